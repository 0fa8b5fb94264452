import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import {
  BUILTIN_RULE_SET_IDS,
  compileRuleSetFilters,
  createRuleSetRequestSchema,
  updateRuleSetRequestSchema,
  type RuleSetDefinitionInput,
} from '@racine/plugin-scan-rulesets-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateScanRulesetsDatabase } from '../database/migrations';
import { KnexRuleSetStore } from '../database/RuleSetStore';
import { BUILTIN_RULE_SETS } from './builtinRuleSets';
import { RuleSetService } from './RuleSetService';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const alice = { actor: 'user:default/alice', workspace: 'default' };

const createInput = (name: string, definition: RuleSetDefinitionInput = {}, description?: string) =>
  createRuleSetRequestSchema.parse({ name, definition, description });
const updateInput = (value: unknown) => updateRuleSetRequestSchema.parse(value);

describe(`RuleSetService (${engine})`, () => {
  let db: TestDatabase;
  let service: RuleSetService;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateScanRulesetsDatabase(db.knex);
    service = new RuleSetService(new KnexRuleSetStore(db.knex));
  });
  afterAll(() => db?.destroy());

  describe('built-in rule sets', () => {
    it('seeds them once with fixed ids, however often and however concurrently it runs', async () => {
      const other = new RuleSetService(new KnexRuleSetStore(db.knex));
      const runs = await Promise.all([service.seedBuiltins(), other.seedBuiltins()]);
      expect(runs.flat().sort()).toEqual([...BUILTIN_RULE_SET_IDS].sort());
      expect(await service.seedBuiltins()).toEqual([]);
      const builtins = (await service.list()).filter(r => r.builtin);
      expect(builtins.map(r => r.id).sort()).toEqual([...BUILTIN_RULE_SET_IDS].sort());
      for (const id of BUILTIN_RULE_SET_IDS) expect(await service.versions(id)).toHaveLength(1);
    });

    it('ships the documented definitions', async () => {
      const byId = Object.fromEntries((await service.list()).map(r => [r.id, r]));
      expect(byId.default).toMatchObject({
        name: 'Default',
        workspace: 'default',
        builtin: true,
        createdBy: 'plugin:scan-rulesets',
      });
      expect(byId.default.definition).toEqual(compileRuleSetFilters({}).definition);
      expect(byId['quick-pii'].name).toBe('Quick PII scan');
      expect(byId['quick-pii'].definition.classifiers.categories).toEqual([
        'PII',
        'GOV',
        'FINANCIAL',
        'PHI',
      ]);
      expect(byId['quick-pii'].definition.sampling.size).toBe(100);
      expect(byId['quick-pii'].definition.profiling.enabled).toBe(false);
      expect(byId['full-profile'].name).toBe('Full profile');
      expect(byId['full-profile'].definition.profiling).toMatchObject({ enabled: true });
      expect(byId['full-profile'].definition.profiling.metrics).toHaveLength(8);
      expect(byId['pci-focus'].name).toBe('PCI focus');
      const pci = compileRuleSetFilters(byId['pci-focus'].definition);
      for (const column of [
        'card_number',
        'CreditCard',
        'cc_num',
        'cvv',
        'card_expiry',
        'pan',
        'customer_pan',
        'exp_date',
      ]) {
        expect(pci.includesColumn('public', 'payments', column)).toBe(true);
      }
      for (const column of ['company', 'email', 'span', 'panel_id', 'account_id']) {
        expect(pci.includesColumn('public', 'payments', column)).toBe(false);
      }
      expect(pci.includesClassifier('FIN.CREDIT_CARD_NUMBER', ['PCI', 'FINANCIAL'])).toBe(true);
      expect(pci.includesClassifier('PII.EMAIL_ADDRESS', ['PII'])).toBe(false);
      expect(BUILTIN_RULE_SETS.map(b => b.id)).toEqual([...BUILTIN_RULE_SET_IDS]);
    });

    it('are editable (a new version) but never deletable', async () => {
      const { ruleSet, changed } = await service.update(
        'quick-pii',
        updateInput({ definition: { sampling: { size: 50 } } }),
        alice.actor,
      );
      expect(changed).toBe(true);
      expect(ruleSet).toMatchObject({
        id: 'quick-pii',
        version: 2,
        builtin: true,
        updatedBy: alice.actor,
      });
      await expect(service.delete('quick-pii', alice.actor)).rejects.toMatchObject({
        name: 'ConflictError',
      });
      await expect(service.delete('default', alice.actor)).rejects.toMatchObject({
        name: 'ConflictError',
      });
      // Seeding again leaves the edit alone.
      await service.seedBuiltins();
      expect((await service.get('quick-pii')).version).toBe(2);
    });
  });

  describe('versions, diff and rollback', () => {
    it('creates version 1 and adds a version per change', async () => {
      const created = await service.create(
        createInput('Customers', { include: { tables: ['customers'] } }, 'CRM'),
        alice,
      );
      expect(created).toMatchObject({
        version: 1,
        builtin: false,
        name: 'Customers',
        description: 'CRM',
        workspace: 'default',
      });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

      const v2 = await service.update(
        created.id,
        updateInput({
          definition: { include: { tables: ['customers', 'orders'] }, sampling: { size: 250 } },
        }),
        'user:default/bob',
      );
      expect(v2.ruleSet.version).toBe(2);
      const v3 = await service.update(
        created.id,
        updateInput({ name: 'Customers & orders' }),
        'user:default/bob',
      );
      expect(v3.ruleSet).toMatchObject({
        version: 3,
        name: 'Customers & orders',
        description: 'CRM',
      });
      // A name-only change keeps the definition.
      expect(v3.ruleSet.definition.sampling.size).toBe(250);

      const versions = await service.versions(created.id);
      expect(versions.map(v => [v.version, v.createdBy])).toEqual([
        [3, 'user:default/bob'],
        [2, 'user:default/bob'],
        [1, 'user:default/alice'],
      ]);
      expect((await service.version(created.id, 1)).definition.include.tables).toEqual([
        'customers',
      ]);
    });

    it('adds no version for a change that changes nothing', async () => {
      const created = await service.create(createInput('Idempotent'), alice);
      const same = await service.update(
        created.id,
        updateInput({ name: 'Idempotent', definition: {} }),
        alice.actor,
      );
      expect(same.changed).toBe(false);
      expect(same.ruleSet.version).toBe(1);
      expect(await service.versions(created.id)).toHaveLength(1);
    });

    it('diffs two versions field by field, defaulting to previous → current', async () => {
      const created = await service.create(createInput('Diffed', {}, 'before'), alice);
      await service.update(
        created.id,
        updateInput({
          description: 'after',
          definition: {
            exclude: { tables: ['tmp_*'] },
            tableLimit: 5,
            classifiers: { minConfidence: 0.8 },
          },
        }),
        alice.actor,
      );
      const diff = await service.diff(created.id, {});
      expect(diff).toEqual({
        ruleSetId: created.id,
        fromVersion: 1,
        toVersion: 2,
        changes: [
          { path: 'description', from: 'before', to: 'after' },
          { path: 'definition.exclude.tables', from: [], to: ['tmp_*'] },
          { path: 'definition.classifiers.minConfidence', from: 0.6, to: 0.8 },
          { path: 'definition.tableLimit', from: null, to: 5 },
        ],
      });
      const backwards = await service.diff(created.id, { from: 2, to: 1 });
      expect(backwards.changes[0]).toEqual({ path: 'description', from: 'after', to: 'before' });
      expect((await service.diff(created.id, { from: 1, to: 1 })).changes).toEqual([]);
      await expect(service.diff(created.id, { from: 1, to: 9 })).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(service.diff('nope', {})).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('rolls back by adding a version equal to the old one', async () => {
      const created = await service.create(
        createInput('Rolled', { sampling: { size: 10 } }, 'v1'),
        alice,
      );
      await service.update(
        created.id,
        updateInput({
          name: 'Rolled v2',
          description: 'v2',
          definition: { sampling: { size: 20 } },
        }),
        alice.actor,
      );
      const rolled = await service.rollback(created.id, { version: 1 }, 'user:default/carol');
      expect(rolled).toMatchObject({
        version: 3,
        name: 'Rolled',
        description: 'v1',
        updatedBy: 'user:default/carol',
      });
      expect(rolled.definition).toEqual(created.definition);
      const v3 = await service.version(created.id, 3);
      expect(v3.note).toBe('Rolled back to version 1');
      expect((await service.diff(created.id, { from: 1, to: 3 })).changes).toEqual([]);
      // Versions 1 and 2 are untouched.
      expect((await service.version(created.id, 2)).definition.sampling.size).toBe(20);
      await expect(service.rollback(created.id, { version: 9 }, alice.actor)).rejects.toMatchObject(
        { name: 'InputError' },
      );
      await expect(
        service.rollback(created.id, { version: 1, expectedVersion: 2 }, alice.actor),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    });

    it('refuses a stale expectedVersion', async () => {
      const created = await service.create(createInput('Stale'), alice);
      await service.update(created.id, updateInput({ description: 'x' }), alice.actor);
      await expect(
        service.update(
          created.id,
          updateInput({ description: 'y', expectedVersion: 1 }),
          alice.actor,
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
      });
      const ok = await service.update(
        created.id,
        updateInput({ description: 'y', expectedVersion: 2 }),
        alice.actor,
      );
      expect(ok.ruleSet.version).toBe(3);
    });
  });

  describe('names, workspaces and deletion', () => {
    it('keeps names unique per workspace (409) and allows them in another workspace', async () => {
      await service.create(createInput('Unique name'), alice);
      await expect(service.create(createInput('UNIQUE NAME'), alice)).rejects.toMatchObject({
        name: 'ConflictError',
      });
      const elsewhere = await service.create(createInput('Unique name'), {
        ...alice,
        workspace: 'finance',
      });
      expect(elsewhere.workspace).toBe('finance');
      const explicit = await service.create(
        createRuleSetRequestSchema.parse({ name: 'Explicit', workspace: 'hr' }),
        alice,
      );
      expect(explicit.workspace).toBe('hr');
      expect((await service.list({ workspace: 'finance' })).map(r => r.name)).toEqual(
        expect.arrayContaining(['Default', 'Unique name']),
      );
      expect((await service.list({ workspace: 'finance' })).map(r => r.name)).not.toContain(
        'Explicit',
      );
    });

    it('deletes a rule set: gone from reads, versions kept for past scans', async () => {
      const created = await service.create(createInput('Temporary'), alice);
      const deleted = await service.delete(created.id, alice.actor);
      expect(deleted.id).toBe(created.id);
      await expect(service.get(created.id)).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        service.update(created.id, updateInput({ description: 'x' }), alice.actor),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(service.delete(created.id, alice.actor)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(service.rollback(created.id, { version: 1 }, alice.actor)).rejects.toMatchObject(
        { name: 'NotFoundError' },
      );
      expect((await service.version(created.id, 1)).name).toBe('Temporary');
      expect((await service.list()).map(r => r.id)).not.toContain(created.id);
      // Its name is free again.
      await service.create(createInput('Temporary'), alice);
    });

    it('answers 404 for unknown rule sets and versions', async () => {
      await expect(service.get('nope')).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(service.versions('nope')).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(service.version('nope', 1)).rejects.toMatchObject({
        name: 'NotFoundError',
        message: "Rule set 'nope' does not exist",
      });
      await expect(service.version('default', 99)).rejects.toMatchObject({
        name: 'NotFoundError',
        message: "Rule set 'default' has no version 99",
      });
    });
  });
});
