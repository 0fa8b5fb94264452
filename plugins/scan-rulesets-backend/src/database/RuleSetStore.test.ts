import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { ruleSetDefinitionSchema } from '@racine/plugin-scan-rulesets-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateScanRulesetsDatabase } from './migrations';
import { KnexRuleSetStore, nameKey, type NewRuleSetRecord } from './RuleSetStore';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

const record = (overrides: Partial<NewRuleSetRecord> = {}): NewRuleSetRecord => ({
  id: `rs-${Math.random().toString(36).slice(2)}`,
  workspace: 'default',
  name: 'Orders only',
  description: 'Just orders',
  builtin: false,
  definition: ruleSetDefinitionSchema.parse({ include: { tables: ['orders'] } }),
  actor: 'user:default/alice',
  note: '',
  ...overrides,
});

describe(`KnexRuleSetStore (${engine})`, () => {
  let db: TestDatabase;
  let store: KnexRuleSetStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateScanRulesetsDatabase(db.knex);
    // Migrating twice is a no-op.
    await migrateScanRulesetsDatabase(db.knex);
    store = new KnexRuleSetStore(db.knex);
  });
  afterAll(() => db?.destroy());

  it('creates a rule set with version 1 and reads it back', async () => {
    const created = await store.create(record({ id: 'orders-1', name: 'Orders 1' }));
    expect(created).toMatchObject({
      id: 'orders-1',
      ref: 'racine:scan-rulesets:rule-set/orders-1',
      name: 'Orders 1',
      description: 'Just orders',
      workspace: 'default',
      builtin: false,
      version: 1,
      createdBy: 'user:default/alice',
      updatedBy: 'user:default/alice',
      deletedAt: null,
    });
    expect(created.definition.include.tables).toEqual(['orders']);
    expect(created.definition.sampling.size).toBe(100);
    expect(await store.get('orders-1')).toEqual(created);
    expect(await store.get('nope')).toBeUndefined();
    const versions = await store.listVersions('orders-1');
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      ruleSetId: 'orders-1',
      version: 1,
      name: 'Orders 1',
      note: '',
    });
  });

  it('keeps names unique per workspace, ignoring case, but not across workspaces', async () => {
    await store.create(record({ name: 'PII Sweep' }));
    await expect(store.create(record({ name: 'pii sweep' }))).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(store.create(record({ name: '  PII SWEEP ' }))).rejects.toMatchObject({
      name: 'ConflictError',
    });
    const other = await store.create(record({ name: 'PII Sweep', workspace: 'finance' }));
    expect(other.workspace).toBe('finance');
  });

  it('appends versions with compare-and-set on the current version', async () => {
    const created = await store.create(record({ name: 'Versioned' }));
    const v2 = await store.addVersion(created.id, {
      basedOn: 1,
      name: 'Versioned',
      description: 'second',
      definition: ruleSetDefinitionSchema.parse({ sampling: { size: 500 } }),
      actor: 'user:default/bob',
      note: '',
    });
    expect(v2).toMatchObject({
      version: 2,
      description: 'second',
      updatedBy: 'user:default/bob',
      createdBy: 'user:default/alice',
    });
    expect(v2.definition.sampling.size).toBe(500);
    await expect(
      store.addVersion(created.id, {
        basedOn: 1,
        name: 'Versioned',
        description: 'stale',
        definition: v2.definition,
        actor: 'x',
        note: '',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    const versions = await store.listVersions(created.id);
    expect(versions.map(v => v.version)).toEqual([2, 1]);
    // Version 1 is unchanged by the later edit.
    expect((await store.getVersion(created.id, 1))!.definition.include.tables).toEqual(['orders']);
    expect(await store.getVersion(created.id, 3)).toBeUndefined();
  });

  it('lets exactly one of two concurrent changes win', async () => {
    const created = await store.create(record({ name: 'Raced' }));
    const change = (description: string) =>
      store.addVersion(created.id, {
        basedOn: 1,
        name: 'Raced',
        description,
        definition: created.definition,
        actor: 'x',
        note: '',
      });
    const results = await Promise.allSettled([change('a'), change('b'), change('c')]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results
        .filter(r => r.status === 'rejected')
        .map(r => (r as PromiseRejectedResult).reason.name),
    ).toEqual(['ConflictError', 'ConflictError']);
    expect((await store.listVersions(created.id)).map(v => v.version)).toEqual([2, 1]);
  });

  it('refuses a rename onto a taken name', async () => {
    await store.create(record({ name: 'Taken' }));
    const mine = await store.create(record({ name: 'Mine' }));
    await expect(
      store.addVersion(mine.id, {
        basedOn: 1,
        name: 'TAKEN',
        description: '',
        definition: mine.definition,
        actor: 'x',
        note: '',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect((await store.get(mine.id))!.version).toBe(1);
  });

  it('soft-deletes: versions stay, the name is freed, no more versions', async () => {
    const doomed = await store.create(record({ name: 'Doomed' }));
    await store.markDeleted(doomed.id, 'user:default/alice');
    const stored = await store.get(doomed.id);
    expect(stored!.deletedAt).toEqual(expect.any(String));
    expect(await store.listVersions(doomed.id)).toHaveLength(1);
    await expect(store.markDeleted(doomed.id, 'x')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      store.addVersion(doomed.id, {
        basedOn: 1,
        name: 'Doomed',
        description: '',
        definition: doomed.definition,
        actor: 'x',
        note: '',
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    const reborn = await store.create(record({ name: 'Doomed' }));
    expect(reborn.id).not.toBe(doomed.id);
    expect((await store.list()).map(r => r.id)).not.toContain(doomed.id);
  });

  it('seeds idempotently, even when raced, and works around a taken name', async () => {
    const builtin = record({
      id: 'seeded',
      name: 'Seeded',
      builtin: true,
      actor: 'plugin:scan-rulesets',
    });
    const results = await Promise.all([
      store.createIfAbsent(builtin),
      store.createIfAbsent(builtin),
      store.createIfAbsent(builtin),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.createIfAbsent(builtin)).toBe(false);
    expect(await store.listVersions('seeded')).toHaveLength(1);

    await store.create(record({ name: 'Occupied' }));
    expect(
      await store.createIfAbsent(record({ id: 'occupied', name: 'Occupied', builtin: true })),
    ).toBe(true);
    expect((await store.get('occupied'))!.name).toBe('Occupied (built-in)');
  });

  it('lists a workspace with the built-ins, searches names and descriptions, and orders built-ins first', async () => {
    await store.create(
      record({ name: 'Finance ledgers', description: 'Ledger tables', workspace: 'finance' }),
    );
    await store.create(record({ name: 'Zeta', description: 'contains 100%_literal text' }));
    const finance = await store.list({ workspace: 'finance' });
    expect(finance.every(r => r.workspace === 'finance' || r.builtin)).toBe(true);
    expect(finance[0].builtin).toBe(true);
    expect(finance.map(r => r.name)).toEqual(
      expect.arrayContaining(['Finance ledgers', 'Seeded', 'PII Sweep']),
    );
    expect((await store.list({ query: 'LEDGER' })).map(r => r.name)).toEqual(['Finance ledgers']);
    // LIKE wildcards in the query are literal.
    expect((await store.list({ query: '100%_' })).map(r => r.name)).toEqual(['Zeta']);
    expect(await store.list({ query: '_%' })).toEqual([]);
    expect(await store.list({ limit: 2 })).toHaveLength(2);
  });

  it('stores hostile names and unicode as they are', async () => {
    const name = `x"; DROP TABLE scan_rulesets; -- 日本 'é'`;
    const created = await store.create(
      record({
        name,
        definition: ruleSetDefinitionSchema.parse({ include: { tables: ['日本*', 'a"b'] } }),
      }),
    );
    expect((await store.get(created.id))!.name).toBe(name);
    expect((await store.get(created.id))!.definition.include.tables).toEqual(['日本*', 'a"b']);
    expect((await store.list({ query: '日本' })).map(r => r.id)).toContain(created.id);
    expect(nameKey(' Café ')).toBe('café');
  });
});
