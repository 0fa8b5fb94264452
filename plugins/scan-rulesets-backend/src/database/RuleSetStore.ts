import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ruleSetDefinitionSchema,
  ruleSetRef,
  type RuleSet,
  type RuleSetDefinition,
  type RuleSetVersion,
} from '@racine/plugin-scan-rulesets-common';
import type { Knex } from 'knex';

const RULE_SETS = 'scan_rulesets';
const VERSIONS = 'scan_ruleset_versions';

/** A rule set as stored, deleted ones included. */
export interface StoredRuleSet extends RuleSet {
  deletedAt: string | null;
}

export interface NewRuleSetRecord {
  id: string;
  workspace: string;
  name: string;
  description: string;
  builtin: boolean;
  definition: RuleSetDefinition;
  actor: string;
  note: string;
}

export interface NewVersionRecord {
  /** The version the change was made from; the store refuses it if another change came first. */
  basedOn: number;
  name: string;
  description: string;
  definition: RuleSetDefinition;
  actor: string;
  note: string;
}

export interface RuleSetListFilter {
  /** Rule sets of this workspace plus the built-ins; every workspace when absent. */
  workspace?: string;
  /** Case-insensitive substring of the name or description. */
  query?: string;
  limit?: number;
}

/**
 * Rule sets and their immutable versions. Each change appends a version row and moves the
 * rule set's `current_version`; version rows are never updated or deleted.
 */
export interface RuleSetStore {
  list(filter?: RuleSetListFilter): Promise<StoredRuleSet[]>;
  /** The rule set at its current version, deleted or not. */
  get(id: string): Promise<StoredRuleSet | undefined>;
  /** Creates a rule set with its version 1. ConflictError when the name is taken in the workspace. */
  create(record: NewRuleSetRecord): Promise<StoredRuleSet>;
  /**
   * Creates the rule set unless one with its id exists (safe to race from several replicas).
   * When only its name is taken, it is created as `<name> (built-in)`. True if it created it.
   */
  createIfAbsent(record: NewRuleSetRecord): Promise<boolean>;
  /**
   * Appends a version and makes it current. ConflictError when `basedOn` is no longer the
   * current version or the name is taken; NotFoundError when the rule set is gone.
   */
  addVersion(id: string, record: NewVersionRecord): Promise<StoredRuleSet>;
  /** Soft-deletes: the row and its versions stay (past scans name them), the name is freed. */
  markDeleted(id: string, actor: string): Promise<void>;
  listVersions(id: string): Promise<RuleSetVersion[]>;
  getVersion(id: string, version: number): Promise<RuleSetVersion | undefined>;
}

type RuleSetRow = {
  id: string;
  workspace: string;
  name: string;
  name_key: string;
  description: string;
  builtin: boolean | number;
  current_version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  deleted_by: string | null;
};

type VersionRow = {
  rule_set_id: string;
  version: number;
  name: string;
  description: string;
  definition: string;
  note: string;
  created_at: string;
  created_by: string;
};

/** The form names are compared in: NFC, trimmed, lower case. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

function parseDefinition(text: string): RuleSetDefinition {
  // Parsing fills fields added after the version was written with their defaults.
  return ruleSetDefinitionSchema.parse(JSON.parse(text));
}

function toRuleSet(row: RuleSetRow & { definition: string }): StoredRuleSet {
  return {
    id: row.id,
    ref: ruleSetRef(row.id),
    name: row.name,
    description: row.description,
    workspace: row.workspace,
    builtin: Boolean(row.builtin),
    version: Number(row.current_version),
    definition: parseDefinition(row.definition),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    deletedAt: row.deleted_at,
  };
}

function toVersion(row: VersionRow): RuleSetVersion {
  return {
    ruleSetId: row.rule_set_id,
    version: Number(row.version),
    name: row.name,
    description: row.description,
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

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, c => `\\${c}`);
}

export class KnexRuleSetStore implements RuleSetStore {
  constructor(private readonly knex: Knex) {}

  private selectCurrent(db: Knex | Knex.Transaction = this.knex) {
    return db(`${RULE_SETS} as r`)
      .join(`${VERSIONS} as v`, join =>
        join.on('v.rule_set_id', '=', 'r.id').andOn('v.version', '=', 'r.current_version'),
      )
      .select('r.*', 'v.definition');
  }

  async list(filter: RuleSetListFilter = {}): Promise<StoredRuleSet[]> {
    const query = this.selectCurrent().whereNull('r.deleted_at');
    if (filter.workspace) {
      const workspace = filter.workspace;
      query.where(q => q.where('r.workspace', workspace).orWhere('r.builtin', true));
    }
    if (filter.query) {
      const pattern = `%${escapeLike(nameKey(filter.query))}%`;
      query.where(q =>
        q
          .whereRaw(`r.name_key like ? escape '\\'`, [pattern])
          .orWhereRaw(`lower(r.description) like ? escape '\\'`, [pattern]),
      );
    }
    query.orderBy([
      { column: 'r.builtin', order: 'desc' },
      { column: 'r.name_key', order: 'asc' },
      { column: 'r.id', order: 'asc' },
    ]);
    if (filter.limit) query.limit(filter.limit);
    const rows = (await query) as (RuleSetRow & { definition: string })[];
    return rows.map(toRuleSet);
  }

  async get(id: string): Promise<StoredRuleSet | undefined> {
    const row = (await this.selectCurrent().where('r.id', id).first()) as
      (RuleSetRow & { definition: string }) | undefined;
    return row ? toRuleSet(row) : undefined;
  }

  private rowsOf(
    record: NewRuleSetRecord,
    now: string,
  ): { ruleSet: RuleSetRow; version: VersionRow } {
    return {
      ruleSet: {
        id: record.id,
        workspace: record.workspace,
        name: record.name,
        name_key: nameKey(record.name),
        description: record.description,
        builtin: record.builtin,
        current_version: 1,
        created_at: now,
        created_by: record.actor,
        updated_at: now,
        updated_by: record.actor,
        deleted_at: null,
        deleted_by: null,
      },
      version: {
        rule_set_id: record.id,
        version: 1,
        name: record.name,
        description: record.description,
        definition: JSON.stringify(record.definition),
        note: record.note,
        created_at: now,
        created_by: record.actor,
      },
    };
  }

  async create(record: NewRuleSetRecord): Promise<StoredRuleSet> {
    const { ruleSet, version } = this.rowsOf(record, new Date().toISOString());
    try {
      await this.knex.transaction(async trx => {
        await trx(RULE_SETS).insert(ruleSet);
        await trx(VERSIONS).insert(version);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A rule set named '${record.name}' already exists in workspace '${record.workspace}'`,
        );
      }
      throw error;
    }
    return (await this.get(record.id))!;
  }

  async createIfAbsent(record: NewRuleSetRecord): Promise<boolean> {
    const now = new Date().toISOString();
    return this.knex.transaction(async trx => {
      for (const name of [record.name, `${record.name} (built-in)`]) {
        const { ruleSet, version } = this.rowsOf({ ...record, name }, now);
        // No conflict target: neither the id nor the name may clash, and a clash is not an error.
        const inserted = await trx(RULE_SETS).insert(ruleSet).onConflict().ignore().returning('id');
        if (inserted.length > 0) {
          await trx(VERSIONS).insert(version);
          return true;
        }
        if (await trx(RULE_SETS).where({ id: record.id }).first('id')) return false;
      }
      throw new ConflictError(`Cannot create rule set '${record.id}': its name is taken`);
    });
  }

  async addVersion(id: string, record: NewVersionRecord): Promise<StoredRuleSet> {
    const now = new Date().toISOString();
    const next = record.basedOn + 1;
    let outcome: 'added' | 'moved' | 'gone';
    try {
      outcome = await this.knex.transaction(async trx => {
        // Compare-and-set on the current version: of two concurrent changes, one wins.
        const updated = await trx(RULE_SETS)
          .where({ id, current_version: record.basedOn })
          .whereNull('deleted_at')
          .update({
            name: record.name,
            name_key: nameKey(record.name),
            description: record.description,
            current_version: next,
            updated_at: now,
            updated_by: record.actor,
          });
        if (updated === 0) {
          const row = (await trx(RULE_SETS).where({ id }).first()) as RuleSetRow | undefined;
          return !row || row.deleted_at ? 'gone' : 'moved';
        }
        const version: VersionRow = {
          rule_set_id: id,
          version: next,
          name: record.name,
          description: record.description,
          definition: JSON.stringify(record.definition),
          note: record.note,
          created_at: now,
          created_by: record.actor,
        };
        await trx(VERSIONS).insert(version);
        return 'added';
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `Another rule set in this workspace is already named '${record.name}'`,
        );
      }
      throw error;
    }
    if (outcome === 'gone') throw new NotFoundError(`Rule set '${id}' does not exist`);
    if (outcome === 'moved') {
      throw new ConflictError(
        `Rule set '${id}' changed since version ${record.basedOn}; reload it and apply the change again`,
      );
    }
    return (await this.get(id))!;
  }

  async markDeleted(id: string, actor: string): Promise<void> {
    const updated = await this.knex(RULE_SETS)
      .where({ id })
      .whereNull('deleted_at')
      .update({ deleted_at: new Date().toISOString(), deleted_by: actor });
    if (updated === 0) throw new NotFoundError(`Rule set '${id}' does not exist`);
  }

  async listVersions(id: string): Promise<RuleSetVersion[]> {
    const rows = (await this.knex(VERSIONS)
      .where({ rule_set_id: id })
      .orderBy('version', 'desc')) as VersionRow[];
    return rows.map(toVersion);
  }

  async getVersion(id: string, version: number): Promise<RuleSetVersion | undefined> {
    const row = (await this.knex(VERSIONS).where({ rule_set_id: id, version }).first()) as
      VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }
}
