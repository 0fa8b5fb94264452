import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateKernelDatabase } from '../database/migrations';
import { createTestDatabase, type TestDatabase } from '../testing';
import { ActivityLog } from './ActivityLog';

describe(`ActivityLog (${process.env.RACINE_TEST_DB ?? 'sqlite'})`, () => {
  let db: TestDatabase;
  let log: ActivityLog;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateKernelDatabase(db.knex);
    log = new ActivityLog(db.knex);
  });
  afterAll(() => db?.destroy());

  it('chains each record to the previous one and verifies the whole trail', async () => {
    const first = await log.record('kernel', {
      actor: 'user:default/alice',
      verb: 'test.first',
      summary: 'first',
    });
    const second = await log.record('kernel', {
      actor: 'user:default/bob',
      verb: 'test.second',
      summary: 'second',
      details: { n: 2 },
    });
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await log.verify()).toEqual({ ok: true, checked: 2 });
  });

  it('keeps concurrent appends on one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log.record('kernel', {
          actor: 'user:default/c',
          verb: 'test.concurrent',
          summary: `c${i}`,
        }),
      ),
    );
    const result = await log.verify();
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(22);
  });

  it('filters and pages newest first with a cursor', async () => {
    const page1 = await log.list({ verb: 'test.concurrent', limit: 15 });
    expect(page1.items).toHaveLength(15);
    expect(page1.nextCursor).toBeDefined();
    const page2 = await log.list({ verb: 'test.concurrent', limit: 15, cursor: page1.nextCursor });
    expect(page2.items).toHaveLength(5);
    expect(page2.nextCursor).toBeUndefined();
    const seqs = [...page1.items, ...page2.items].map(r => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect((await log.list({ actor: 'user:default/bob' })).items.map(r => r.verb)).toEqual([
      'test.second',
    ]);
    expect((await log.list({ since: '2999-01-01T00:00:00.000Z' })).items).toEqual([]);
  });

  it('reports the first altered record', async () => {
    const { items } = await log.list({ actor: 'user:default/bob' });
    const target = items[0];
    await db
      .knex('racine_activity')
      .where({ seq: target.seq })
      .update({ summary: 'rewritten history' });
    expect(await log.verify()).toEqual({
      ok: false,
      checked: target.seq - 1,
      brokenAt: target.seq,
    });
    await db.knex('racine_activity').where({ seq: target.seq }).update({ summary: 'second' });
    expect((await log.verify()).ok).toBe(true);
  });

  it('reports a deleted record as a broken link', async () => {
    const { items } = await log.list({ verb: 'test.concurrent', limit: 3 });
    const victim = items[2];
    await db.knex('racine_activity').where({ seq: victim.seq }).delete();
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toBe(items[1].seq);
  });
});
