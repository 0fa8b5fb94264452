import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  FindingRequirement,
  Framework,
  FrameworkInput,
} from '@racine/plugin-compliance-common';
import type { ComplianceStore } from '../database/ComplianceStore';
import { BUILTIN_FRAMEWORKS } from '../frameworks/builtinFrameworks';

/** The shipped frameworks and the custom ones stored by users, behind one lookup. */
export class FrameworkCatalog {
  constructor(private readonly store: ComplianceStore) {}

  async list(): Promise<Framework[]> {
    return [...BUILTIN_FRAMEWORKS, ...(await this.store.listFrameworks())];
  }

  async get(id: string): Promise<Framework> {
    const found = (await this.list()).find(f => f.id === id);
    if (!found) throw new NotFoundError(`Framework ${id} does not exist`);
    return found;
  }

  async ruleIdsOf(id: string): Promise<Set<string>> {
    const framework = await this.get(id);
    return new Set(framework.requirements.flatMap(r => r.ruleIds));
  }

  /** For each rule, the requirements it gives evidence for (in framework order). */
  async requirementsByRule(): Promise<Map<string, FindingRequirement[]>> {
    const out = new Map<string, FindingRequirement[]>();
    for (const framework of await this.list())
      for (const requirement of framework.requirements)
        for (const ruleId of requirement.ruleIds) {
          const list = out.get(ruleId) ?? [];
          list.push({ frameworkId: framework.id, requirementId: requirement.id });
          out.set(ruleId, list);
        }
    return out;
  }

  async create(input: FrameworkInput, actor: string, now: string): Promise<Framework> {
    if (BUILTIN_FRAMEWORKS.some(f => f.id === input.id))
      throw new ConflictError(`Framework ${input.id} is built in`);
    const ids = new Set<string>();
    for (const r of input.requirements) {
      if (ids.has(r.id)) throw new ConflictError(`Requirement ${r.id} appears twice`);
      ids.add(r.id);
    }
    await this.store.createFramework(input, actor, now);
    return this.get(input.id);
  }

  async delete(id: string): Promise<void> {
    if (BUILTIN_FRAMEWORKS.some(f => f.id === id))
      throw new ConflictError(`Framework ${id} is built in and cannot be deleted`);
    if (!(await this.store.deleteFramework(id)))
      throw new NotFoundError(`Framework ${id} does not exist`);
  }
}
