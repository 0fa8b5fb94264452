import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  customRuleIdSchema,
  customRuleRef,
  expressionRefs,
  type createRuleRequestSchema,
  type CustomRule,
  type CustomRuleDefinition,
  type CustomRuleSummary,
  type CustomRuleVersion,
  type EngineRule,
  type updateRuleRequestSchema,
} from '@racine/plugin-classifications-common';
import {
  BUILTIN_CLASSIFIERS,
  findCycle,
  fold,
  summarizeRuleDefinition,
} from '@racine/plugin-classifications-node';
import type { z } from 'zod';
import type { RuleStore, StoredRule } from '../database/RuleStore';
import type { PatternChecker } from './patternSafety';

const BUILTIN_IDS = new Set(BUILTIN_CLASSIFIERS.map(c => c.id));

export function toRuleSummary(rule: StoredRule): CustomRuleSummary {
  return {
    id: rule.id,
    ref: customRuleRef(rule.id),
    name: rule.name,
    description: rule.description,
    categories: rule.categories,
    sensitivity: rule.sensitivity,
    type: rule.type,
    summary: summarizeRuleDefinition(rule.definition),
    version: rule.version,
    enabled: rule.enabled,
    createdAt: rule.createdAt,
    createdBy: rule.createdBy,
    updatedAt: rule.updatedAt,
    updatedBy: rule.updatedBy,
  };
}

export function toRule(rule: StoredRule): CustomRule {
  return { ...toRuleSummary(rule), definition: rule.definition };
}

/** A stored rule as the engine takes it. */
export function toEngineRule(rule: StoredRule, enabled = rule.enabled): EngineRule {
  return {
    id: rule.id,
    version: rule.version,
    name: rule.name,
    description: rule.description,
    categories: rule.categories,
    sensitivity: rule.sensitivity,
    enabled,
    definition: rule.definition,
  };
}

/** `CUSTOM.<NAME>` from a rule's name: `Employee badge nº` → `CUSTOM.EMPLOYEE_BADGE_NO`. */
export function deriveRuleId(name: string): string {
  const slug = fold(name)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 90);
  if (!slug)
    throw new InputError(
      'Invalid rule: id: cannot be derived from the name; give one (e.g. ACME.EMPLOYEE_BADGE)',
    );
  return `CUSTOM.${slug}`;
}

export interface RuleListFilter {
  q?: string;
  enabled?: boolean;
  type?: CustomRule['type'];
}

/**
 * Custom rules: CRUD with immutable versions, enable/disable, and the checks that keep the
 * engine sound (safe patterns, composites that refer to existing rules without cycles, no
 * deletion of a rule a composite still uses).
 */
export class RuleService {
  constructor(
    private readonly deps: {
      store: RuleStore;
      patterns: PatternChecker;
    },
  ) {}

  async list(filter: RuleListFilter = {}): Promise<CustomRuleSummary[]> {
    const q = filter.q ? fold(filter.q) : undefined;
    return (await this.deps.store.list())
      .filter(r => filter.enabled === undefined || r.enabled === filter.enabled)
      .filter(r => !filter.type || r.type === filter.type)
      .filter(r => !q || fold(`${r.id} ${r.name} ${r.description}`).includes(q))
      .map(toRuleSummary);
  }

  /** Live rules, as stored. */
  async liveRules(): Promise<StoredRule[]> {
    return this.deps.store.list();
  }

  async find(id: string): Promise<StoredRule | undefined> {
    const rule = await this.deps.store.get(id);
    return rule && !rule.deletedAt ? rule : undefined;
  }

  async get(id: string): Promise<CustomRule> {
    const rule = await this.find(id);
    if (!rule) throw new NotFoundError(`Custom rule '${id}' does not exist`);
    return toRule(rule);
  }

  async create(input: z.infer<typeof createRuleRequestSchema>, actor: string): Promise<CustomRule> {
    const id = input.id ?? deriveRuleId(input.name);
    const parsedId = customRuleIdSchema.safeParse(id);
    if (!parsedId.success)
      throw new InputError(`Invalid rule: id: ${parsedId.error.issues[0]?.message}`);
    if (BUILTIN_IDS.has(id)) throw new ConflictError(`'${id}' is a built-in classifier`);
    await this.validate(id, input.definition);
    const rule = await this.deps.store.create({ ...input, id, actor });
    return toRule(rule);
  }

  async update(
    id: string,
    input: z.infer<typeof updateRuleRequestSchema>,
    actor: string,
  ): Promise<CustomRule> {
    const current = await this.find(id);
    if (!current) throw new NotFoundError(`Custom rule '${id}' does not exist`);
    const definition = input.definition ?? current.definition;
    if (input.definition) await this.validate(id, definition);
    const rule = await this.deps.store.addVersion(id, {
      basedOn: input.basedOn ?? current.version,
      name: input.name ?? current.name,
      description: input.description ?? current.description,
      categories: input.categories ?? current.categories,
      sensitivity: input.sensitivity ?? current.sensitivity,
      definition,
      note: input.note,
      actor,
    });
    return toRule(rule);
  }

  /** Makes an earlier version's content the new current version. */
  async rollback(id: string, version: number, note: string, actor: string): Promise<CustomRule> {
    const current = await this.find(id);
    if (!current) throw new NotFoundError(`Custom rule '${id}' does not exist`);
    const old = await this.deps.store.getVersion(id, version);
    if (!old) throw new NotFoundError(`Custom rule '${id}' has no version ${version}`);
    // The rules it refers to may have changed since: validate as a new edit.
    await this.validate(id, old.definition);
    const rule = await this.deps.store.addVersion(id, {
      basedOn: current.version,
      name: old.name,
      description: old.description,
      categories: old.categories,
      sensitivity: old.sensitivity,
      definition: old.definition,
      note: note || `Rolled back to version ${version}`,
      actor,
    });
    return toRule(rule);
  }

  async setEnabled(id: string, enabled: boolean, actor: string): Promise<CustomRule> {
    return toRule(await this.deps.store.setEnabled(id, enabled, actor));
  }

  async delete(id: string, actor: string): Promise<StoredRule> {
    const rule = await this.find(id);
    if (!rule) throw new NotFoundError(`Custom rule '${id}' does not exist`);
    const users = (await this.deps.store.list()).filter(
      r =>
        r.id !== id &&
        r.definition.type === 'composite' &&
        expressionRefs(r.definition.expression).has(id),
    );
    if (users.length > 0) {
      throw new ConflictError(
        `Custom rule '${id}' is used by composite rule(s) ${users.map(u => u.id).join(', ')}; change them first`,
      );
    }
    await this.deps.store.markDeleted(id, actor);
    return rule;
  }

  async versions(id: string): Promise<CustomRuleVersion[]> {
    if (!(await this.deps.store.get(id)))
      throw new NotFoundError(`Custom rule '${id}' does not exist`);
    return this.deps.store.listVersions(id);
  }

  async version(id: string, version: number): Promise<CustomRuleVersion> {
    const found = await this.deps.store.getVersion(id, version);
    if (!found) throw new NotFoundError(`Custom rule '${id}' has no version ${version}`);
    return found;
  }

  /**
   * Checks a definition as rule `id` would have it: patterns safe from catastrophic
   * backtracking; composites referring only to built-in classifiers and live rules, never to
   * themselves, directly or through other composites.
   */
  async validate(id: string, definition: CustomRuleDefinition): Promise<void> {
    switch (definition.type) {
      case 'value_regex':
      case 'name_regex':
        await this.deps.patterns.assertSafe(
          definition.pattern,
          definition.caseSensitive,
          'definition.pattern',
        );
        return;
      case 'dictionary':
        return;
      case 'composite': {
        const refs = expressionRefs(definition.expression);
        const live = new Map((await this.deps.store.list()).map(r => [r.id, r]));
        const unknown = [...refs].filter(ref => !BUILTIN_IDS.has(ref) && !live.has(ref));
        if (unknown.length > 0) {
          throw new InputError(
            `Invalid definition: definition.expression: unknown rule or classifier ${unknown.join(', ')}`,
          );
        }
        if (refs.has(id))
          throw new InputError(
            'Invalid definition: definition.expression: a composite cannot refer to itself',
          );
        const graph = new Map<string, { refs: ReadonlySet<string> }>();
        for (const r of live.values()) {
          graph.set(r.id, {
            refs:
              r.definition.type === 'composite'
                ? expressionRefs(r.definition.expression)
                : new Set(),
          });
        }
        graph.set(id, { refs });
        const cycle = findCycle(graph);
        if (cycle)
          throw new InputError(
            `Invalid definition: definition.expression: composites would refer to each other in a cycle: ${cycle.join(' → ')}`,
          );
        return;
      }
    }
  }
}
