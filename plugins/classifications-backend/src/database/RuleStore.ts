import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  customRuleDefinitionSchema,
  type ClassifierCategory,
  type CustomRuleDefinition,
  type CustomRuleType,
  type CustomRuleVersion,
  type SensitivityLevel,
} from '@racine/plugin-classifications-common';
import type { Knex } from 'knex';
import { RULE_VERSIONS_TABLE, RULES_TABLE } from './migrations';

/** A custom rule at its current version, as stored. */
export interface StoredRule {
  id: string;
  version: number;
  enabled: boolean;
  name: string;
  description: string;
  categories: ClassifierCategory[];
  sensitivity: SensitivityLevel;
  type: CustomRuleType;
  definition: CustomRuleDefinition;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  deletedAt: string | null;
}

/** What a version holds: everything but the enabled flag, which is not versioned. */
export interface RuleContent {
  name: string;
  description: string;
  categories: ClassifierCategory[];
  sensitivity: SensitivityLevel;
  definition: CustomRuleDefinition;
}

export interface NewRuleRecord extends RuleContent {
  id: string;
  enabled: boolean;
  note: string;
  actor: string;
}

export interface NewRuleVersionRecord extends RuleContent {
  /** The version the change was made from; refused (409) when another change came first. */
  basedOn: number;
  note: string;
  actor: string;
}

/**
 * Custom rules and their immutable versions. Each change appends a version and moves the
 * rule's `current_version`; enabling and disabling do not make versions. Deleted rules keep
 * their rows (labels in the catalog carry their ids), and their ids are never reused.
 */
export interface RuleStore {
  /** Rules that are not deleted, at their current version, by id. */
  list(): Promise<StoredRule[]>;
  /** A rule at its current version, deleted or not. */
  get(id: string): Promise<StoredRule | undefined>;
  /** ConflictError when the id is taken (by a deleted rule too). */
  create(record: NewRuleRecord): Promise<StoredRule>;
  addVersion(id: string, record: NewRuleVersionRecord): Promise<StoredRule>;
  setEnabled(id: string, enabled: boolean, actor: string): Promise<StoredRule>;
  markDeleted(id: string, actor: string): Promise<void>;
  listVersions(id: string): Promise<CustomRuleVersion[]>;
  getVersion(id: string, version: number): Promise<CustomRuleVersion | undefined>;
}

type RuleRow = {
  id: string;
  current_version: number;
  enabled: boolean | number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  deleted_by: string | null;
};

type VersionRow = {
  rule_id: string;
  version: number;
  name: string;
  description: string;
  categories: string;
  sensitivity: string;
  type: string;
  definition: string;
  note: string;
  created_at: string;
  created_by: string;
};

function parseDefinition(text: string): CustomRuleDefinition {
  // Parsing fills fields added after the version was written with their defaults.
  return customRuleDefinitionSchema.parse(JSON.parse(text));
}

function toRule(row: RuleRow & VersionRow): StoredRule {
  return {
    id: row.id,
    version: Number(row.current_version),
    enabled: Boolean(row.enabled),
    name: row.name,
    description: row.description,
    categories: JSON.parse(row.categories) as ClassifierCategory[],
    sensitivity: row.sensitivity as SensitivityLevel,
    type: row.type as CustomRuleType,
    definition: parseDefinition(row.definition),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    deletedAt: row.deleted_at,
  };
}

function toVersion(row: VersionRow): CustomRuleVersion {
  return {
    ruleId: row.rule_id,
    version: Number(row.version),
    name: row.name,
    description: row.description,
    categories: JSON.parse(row.categories) as ClassifierCategory[],
    sensitivity: row.sensitivity as SensitivityLevel,
    definition: parseDefinition(row.definition),
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

function versionRow(
  id: string,
  version: number,
  content: RuleContent,
  note: string,
  actor: string,
  now: string,
): VersionRow {
  return {
    rule_id: id,
    version,
    name: content.name,
    description: content.description,
    categories: JSON.stringify(content.categories),
    sensitivity: content.sensitivity,
    type: content.definition.type,
    definition: JSON.stringify(content.definition),
    note,
    created_at: now,
    created_by: actor,
  };
}

export class KnexRuleStore implements RuleStore {
  constructor(private readonly knex: Knex) {}

  private selectCurrent() {
    return this.knex(`${RULES_TABLE} as r`)
      .join(`${RULE_VERSIONS_TABLE} as v`, join =>
        join.on('v.rule_id', '=', 'r.id').andOn('v.version', '=', 'r.current_version'),
      )
      .select(
        'r.*',
        'v.rule_id',
        'v.version',
        'v.name',
        'v.description',
        'v.categories',
        'v.sensitivity',
        'v.type',
        'v.definition',
        'v.note',
      );
  }

  async list(): Promise<StoredRule[]> {
    const rows = (await this.selectCurrent()
      .whereNull('r.deleted_at')
      .orderBy('r.id')) as (RuleRow & VersionRow)[];
    return rows.map(toRule);
  }

  async get(id: string): Promise<StoredRule | undefined> {
    const row = (await this.selectCurrent().where('r.id', id).first()) as
      (RuleRow & VersionRow) | undefined;
    return row ? toRule(row) : undefined;
  }

  async create(record: NewRuleRecord): Promise<StoredRule> {
    const now = new Date().toISOString();
    try {
      await this.knex.transaction(async trx => {
        await trx(RULES_TABLE).insert({
          id: record.id,
          current_version: 1,
          enabled: record.enabled,
          created_at: now,
          created_by: record.actor,
          updated_at: now,
          updated_by: record.actor,
        });
        await trx(RULE_VERSIONS_TABLE).insert(
          versionRow(record.id, 1, record, record.note, record.actor, now),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const existing = await this.get(record.id);
        throw new ConflictError(
          existing?.deletedAt
            ? `Rule id '${record.id}' belonged to a deleted rule and cannot be reused (labels carry it)`
            : `A rule with id '${record.id}' already exists`,
        );
      }
      throw error;
    }
    return (await this.get(record.id))!;
  }

  async addVersion(id: string, record: NewRuleVersionRecord): Promise<StoredRule> {
    const now = new Date().toISOString();
    const next = record.basedOn + 1;
    const outcome = await this.knex.transaction(async trx => {
      // Compare-and-set on the current version: of two concurrent edits, one wins.
      const updated = await trx(RULES_TABLE)
        .where({ id, current_version: record.basedOn })
        .whereNull('deleted_at')
        .update({ current_version: next, updated_at: now, updated_by: record.actor });
      if (updated === 0) {
        const row = (await trx(RULES_TABLE).where({ id }).first()) as RuleRow | undefined;
        return !row || row.deleted_at ? 'gone' : 'moved';
      }
      await trx(RULE_VERSIONS_TABLE).insert(
        versionRow(id, next, record, record.note, record.actor, now),
      );
      return 'added';
    });
    if (outcome === 'gone') throw new NotFoundError(`Custom rule '${id}' does not exist`);
    if (outcome === 'moved') {
      throw new ConflictError(
        `Custom rule '${id}' changed since version ${record.basedOn}; reload it and apply the change again`,
      );
    }
    return (await this.get(id))!;
  }

  async setEnabled(id: string, enabled: boolean, actor: string): Promise<StoredRule> {
    const updated = await this.knex(RULES_TABLE)
      .where({ id })
      .whereNull('deleted_at')
      .update({ enabled, updated_at: new Date().toISOString(), updated_by: actor });
    if (updated === 0) throw new NotFoundError(`Custom rule '${id}' does not exist`);
    return (await this.get(id))!;
  }

  async markDeleted(id: string, actor: string): Promise<void> {
    const now = new Date().toISOString();
    const updated = await this.knex(RULES_TABLE).where({ id }).whereNull('deleted_at').update({
      deleted_at: now,
      deleted_by: actor,
      enabled: false,
      updated_at: now,
      updated_by: actor,
    });
    if (updated === 0) throw new NotFoundError(`Custom rule '${id}' does not exist`);
  }

  async listVersions(id: string): Promise<CustomRuleVersion[]> {
    const rows = (await this.knex(RULE_VERSIONS_TABLE)
      .where({ rule_id: id })
      .orderBy('version', 'desc')) as VersionRow[];
    return rows.map(toVersion);
  }

  async getVersion(id: string, version: number): Promise<CustomRuleVersion | undefined> {
    const row = (await this.knex(RULE_VERSIONS_TABLE).where({ rule_id: id, version }).first()) as
      VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }
}
