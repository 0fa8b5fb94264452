import { InputError, NotFoundError } from '@backstage/errors';
import type {
  Finding,
  FindingEvent,
  ListFindingsQuery,
  Waiver,
} from '@racine/plugin-compliance-common';
import type { ComplianceStore, FindingRow } from '../database/ComplianceStore';
import type { FrameworkCatalog } from './FrameworkCatalog';

/** Findings as the API shows them: with their rule's name and the requirements they serve. */
export class FindingService {
  constructor(
    private readonly store: ComplianceStore,
    private readonly frameworks: FrameworkCatalog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async present(rows: FindingRow[], frameworkId?: string): Promise<Finding[]> {
    const [requirements, rules] = await Promise.all([
      this.frameworks.requirementsByRule(),
      this.store.listRules(),
    ]);
    const names = new Map(rules.map(r => [r.id, r.name]));
    const now = this.now().toISOString();
    return rows.map(row => {
      const reqs = requirements.get(row.ruleId) ?? [];
      const first = frameworkId ? reqs.find(r => r.frameworkId === frameworkId) : reqs[0];
      return {
        ...row,
        ruleName: names.get(row.ruleId) ?? row.ruleId,
        requirementId: first?.requirementId ?? null,
        requirements: reqs,
        overdue: (row.status === 'open' || row.status === 'acknowledged') && row.dueAt < now,
      };
    });
  }

  async list(query: ListFindingsQuery): Promise<{ items: Finding[]; nextCursor?: string }> {
    if (query.requirement && !query.framework)
      throw new InputError('Invalid query: requirement needs framework');
    let ruleIds = query.framework
      ? [...(await this.frameworks.ruleIdsOf(query.framework))]
      : undefined;
    if (query.requirement) {
      const framework = await this.frameworks.get(query.framework!);
      const requirement = framework.requirements.find(r => r.id === query.requirement);
      if (!requirement)
        throw new NotFoundError(`Requirement ${query.requirement} is not part of ${framework.id}`);
      ruleIds = requirement.ruleIds;
    }
    const page = await this.store.listFindings(query, ruleIds);
    return { items: await this.present(page.items, query.framework), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<Finding & { events: FindingEvent[]; waivers: Waiver[] }> {
    const [row] = await this.store.getFindings([id]);
    if (!row) throw new NotFoundError(`Finding ${id} does not exist`);
    const [finding] = await this.present([row]);
    return {
      ...finding!,
      events: await this.store.findingEvents({ findingId: id }),
      waivers: await this.store.listWaivers({ findingId: id }),
    };
  }
}
