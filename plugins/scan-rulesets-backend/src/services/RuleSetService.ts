import crypto from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  createRuleSetRequestSchema,
  diffRuleSetVersions,
  ruleSetDefinitionSchema,
  updateRuleSetRequestSchema,
  type RuleSet,
  type RuleSetChange,
  type RuleSetVersion,
} from '@racine/plugin-scan-rulesets-common';
import type { z } from 'zod';
import type { RuleSetListFilter, RuleSetStore, StoredRuleSet } from '../database/RuleSetStore';
import { BUILTIN_RULE_SETS, type BuiltinRuleSet } from './builtinRuleSets';

export type CreateRuleSetInput = z.output<typeof createRuleSetRequestSchema>;
export type UpdateRuleSetInput = z.output<typeof updateRuleSetRequestSchema>;

export interface RuleSetDiffResult {
  ruleSetId: string;
  fromVersion: number;
  toVersion: number;
  changes: RuleSetChange[];
}

export interface UpdateResult {
  ruleSet: RuleSet;
  /** False when the update changed nothing (no version was added). */
  changed: boolean;
}

function publicRuleSet(stored: StoredRuleSet): RuleSet {
  const { deletedAt: _deletedAt, ...ruleSet } = stored;
  return ruleSet;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Rule sets and their versions. Every change appends an immutable version; rollback appends
 * a version equal to an older one. Authorization and auditing are the router's business.
 */
export class RuleSetService {
  constructor(
    private readonly store: RuleSetStore,
    private readonly builtins: readonly BuiltinRuleSet[] = BUILTIN_RULE_SETS,
  ) {}

  /** Seeds the built-in rule sets that do not exist yet; safe on every start of every replica. */
  async seedBuiltins(): Promise<string[]> {
    const created: string[] = [];
    for (const builtin of this.builtins) {
      const inserted = await this.store.createIfAbsent({
        id: builtin.id,
        workspace: 'default',
        name: builtin.name,
        description: builtin.description,
        builtin: true,
        definition: ruleSetDefinitionSchema.parse(builtin.definition),
        actor: 'plugin:scan-rulesets',
        note: 'Built-in',
      });
      if (inserted) created.push(builtin.id);
    }
    return created;
  }

  async list(filter: RuleSetListFilter = {}): Promise<RuleSet[]> {
    return (await this.store.list(filter)).map(publicRuleSet);
  }

  private async current(id: string): Promise<StoredRuleSet> {
    const found = await this.store.get(id);
    if (!found || found.deletedAt) throw new NotFoundError(`Rule set '${id}' does not exist`);
    return found;
  }

  async get(id: string): Promise<RuleSet> {
    return publicRuleSet(await this.current(id));
  }

  async create(
    input: CreateRuleSetInput,
    context: { actor: string; workspace: string },
  ): Promise<RuleSet> {
    const created = await this.store.create({
      id: crypto.randomUUID(),
      workspace: input.workspace ?? context.workspace,
      name: input.name,
      description: input.description,
      builtin: false,
      definition: input.definition,
      actor: context.actor,
      note: '',
    });
    return publicRuleSet(created);
  }

  /**
   * Applies the given fields over the current version. A change that changes nothing adds no
   * version. `expectedVersion` makes it fail with 409 if someone else changed it first.
   */
  async update(id: string, input: UpdateRuleSetInput, actor: string): Promise<UpdateResult> {
    const current = await this.current(id);
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      throw new ConflictError(
        `Rule set '${id}' is at version ${current.version}, not ${input.expectedVersion}; reload it and apply the change again`,
      );
    }
    const next = {
      name: input.name ?? current.name,
      description: input.description ?? current.description,
      definition: input.definition ?? current.definition,
    };
    if (
      next.name === current.name &&
      next.description === current.description &&
      sameJson(next.definition, current.definition)
    ) {
      return { ruleSet: publicRuleSet(current), changed: false };
    }
    const updated = await this.store.addVersion(id, {
      basedOn: current.version,
      ...next,
      actor,
      note: input.note ?? '',
    });
    return { ruleSet: publicRuleSet(updated), changed: true };
  }

  /** Built-in rule sets cannot be deleted (409): scans fall back on `default`. */
  async delete(id: string, actor: string): Promise<RuleSet> {
    const current = await this.current(id);
    if (current.builtin) {
      throw new ConflictError(`Rule set '${id}' is built in; edit it instead of deleting it`);
    }
    await this.store.markDeleted(id, actor);
    return publicRuleSet(current);
  }

  /**
   * Versions, newest first. They stay readable after the rule set is deleted, so past scans
   * can still show what they ran with.
   */
  async versions(id: string): Promise<RuleSetVersion[]> {
    const versions = await this.store.listVersions(id);
    if (versions.length === 0) throw new NotFoundError(`Rule set '${id}' does not exist`);
    return versions;
  }

  async version(id: string, version: number): Promise<RuleSetVersion> {
    const found = await this.store.getVersion(id, version);
    if (!found) {
      if (!(await this.store.get(id))) throw new NotFoundError(`Rule set '${id}' does not exist`);
      throw new NotFoundError(`Rule set '${id}' has no version ${version}`);
    }
    return found;
  }

  /** Field-by-field changes from one version to another (default: the previous one to the current). */
  async diff(id: string, range: { from?: number; to?: number }): Promise<RuleSetDiffResult> {
    const stored = await this.store.get(id);
    if (!stored) throw new NotFoundError(`Rule set '${id}' does not exist`);
    const toVersion = range.to ?? stored.version;
    const fromVersion = range.from ?? Math.max(1, toVersion - 1);
    const [from, to] = await Promise.all([
      this.version(id, fromVersion),
      this.version(id, toVersion),
    ]);
    return { ruleSetId: id, fromVersion, toVersion, ...diffRuleSetVersions(from, to) };
  }

  /** Appends a version equal to `version` (name, description and definition). */
  async rollback(
    id: string,
    input: { version: number; expectedVersion?: number },
    actor: string,
  ): Promise<RuleSet> {
    const current = await this.current(id);
    if (input.version > current.version) {
      throw new InputError(
        `Rule set '${id}' has no version ${input.version} (current is ${current.version})`,
      );
    }
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      throw new ConflictError(
        `Rule set '${id}' is at version ${current.version}, not ${input.expectedVersion}; reload it first`,
      );
    }
    const target = await this.version(id, input.version);
    const updated = await this.store.addVersion(id, {
      basedOn: current.version,
      name: target.name,
      description: target.description,
      definition: target.definition,
      actor,
      note: `Rolled back to version ${target.version}`,
    });
    return publicRuleSet(updated);
  }
}
