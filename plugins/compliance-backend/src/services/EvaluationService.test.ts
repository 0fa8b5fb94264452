import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { col, createHarness, label, type Harness } from '../__fixtures__/harness';
import { REPORT_CSV_HEADER } from './ReportService';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

describe(`compliance evaluation over crafted catalogs (${engine})`, () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    // Only the rule under test runs in each case.
    for (const rule of await h.store.listRules())
      await h.store.updateRule(
        rule.id,
        { ...rule, enabled: false },
        'test',
        new Date().toISOString(),
      );
  });
  afterEach(async () => {
    await h.db.destroy();
  });

  const only = async (ruleId: string) => {
    const rule = (await h.store.getRule(ruleId))!;
    await h.store.updateRule(ruleId, { ...rule, enabled: true }, 'test', new Date().toISOString());
  };
  const open = async (ruleId?: string) =>
    (await h.store.listFindings({ limit: 500, status: 'open', ruleId })).items
      .map(f => f.assetRef)
      .sort();

  it('pii-has-owner: PII columns without an owner fail; rejected labels do not count', async () => {
    await only('pii-has-owner');
    h.catalog.source({ id: 'ds1' });
    h.catalog.put({ ref: col('ds1.db.s.t.email'), labels: [label('PII.EMAIL_ADDRESS')] });
    h.catalog.put({
      ref: col('ds1.db.s.t.phone'),
      labels: [label('PII.PHONE_NUMBER', 'suggested')],
      owners: ['user:default/ann'],
    });
    h.catalog.put({ ref: col('ds1.db.s.t.name'), labels: [label('PII.PERSON_NAME', 'rejected')] });
    h.catalog.put({ ref: col('ds1.db.s.t.amount') });
    const run = await h.evaluate();
    expect(run).toMatchObject({ status: 'succeeded', assetsEvaluated: 4, findingsOpened: 1 });
    expect(await open()).toEqual([col('ds1.db.s.t.email')]);
    const [finding] = (await h.findings.list({ limit: 10 })).items;
    expect(finding).toMatchObject({ severity: 'high', requirementId: 'art-5-2', owner: null });
    expect(finding!.evidence).toMatchObject({
      labels: [{ classifierId: 'PII.EMAIL_ADDRESS', categories: ['PII'] }],
    });
    // A fixed problem resolves its finding on re-evaluation.
    h.catalog.put({
      ref: col('ds1.db.s.t.email'),
      labels: [label('PII.EMAIL_ADDRESS')],
      owners: ['user:default/bob'],
    });
    expect(await h.evaluate()).toMatchObject({ findingsResolved: 1 });
    expect(await open()).toEqual([]);
  });

  it('pci-prod-only: PCI columns outside prod fail', async () => {
    await only('pci-prod-only');
    h.catalog.source({ id: 'prod1', environment: 'prod' });
    h.catalog.source({ id: 'stage1', environment: 'staging' });
    h.catalog.put({
      ref: col('prod1.db.s.cards.pan'),
      dataSourceId: 'prod1',
      labels: [label('FIN.CREDIT_CARD_NUMBER')],
    });
    h.catalog.put({
      ref: col('stage1.db.s.cards.pan'),
      dataSourceId: 'stage1',
      labels: [label('FIN.CREDIT_CARD_NUMBER')],
    });
    h.catalog.put({ ref: col('stage1.db.s.cards.note'), dataSourceId: 'stage1' });
    await h.evaluate();
    expect(await open()).toEqual([col('stage1.db.s.cards.pan')]);
    const [f] = (await h.findings.list({ limit: 10, framework: 'pci-dss' })).items;
    expect(f).toMatchObject({ severity: 'critical', requirementId: '3.2' });
    expect(Date.parse(f!.dueAt) - Date.parse(f!.firstSeenAt)).toBe(7 * 86_400_000);
  });

  it('restricted-no-viewer-access: a viewer grant covering a RESTRICTED asset fails', async () => {
    await only('restricted-no-viewer-access');
    h.catalog.source({ id: 'ds1' });
    h.catalog.put({
      ref: col('ds1.db.s.patients.mrn'),
      labels: [label('PHI.MEDICAL_RECORD_NUMBER')],
    });
    h.catalog.put({ ref: col('ds1.db.s.staff.mrn'), labels: [label('PHI.MEDICAL_RECORD_NUMBER')] });
    h.catalog.put({ ref: col('ds1.db.s.patients.email'), labels: [label('PII.EMAIL_ADDRESS')] });
    h.catalog.accessGrants = [
      {
        subject: 'user:default/v',
        role: 'viewer',
        permission: null,
        workspace: 'default',
        resource: 'racine:data-catalog:column/ds1.db.s.patients.*',
        effect: 'allow',
        active: true,
      },
      {
        subject: 'user:default/o',
        role: 'data-owner',
        permission: null,
        workspace: '*',
        resource: '*',
        effect: 'allow',
        active: true,
      },
      {
        subject: 'user:default/x',
        role: 'viewer',
        permission: null,
        workspace: '*',
        resource: '*',
        effect: 'allow',
        active: false,
      },
    ];
    await h.evaluate();
    // patients.email is not RESTRICTED (PII.EMAIL_ADDRESS is CONFIDENTIAL); staff.mrn has no viewer grant.
    expect(await open()).toEqual([col('ds1.db.s.patients.mrn')]);
  });

  it('phi-retention-tag: PHI columns need a retention:* tag', async () => {
    await only('phi-retention-tag');
    h.catalog.source({ id: 'ds1' });
    h.catalog.put({
      ref: col('ds1.db.s.p.icd'),
      labels: [label('PHI.ICD10_CODE')],
      tags: ['clinical'],
    });
    h.catalog.put({
      ref: col('ds1.db.s.p.mrn'),
      labels: [label('PHI.MEDICAL_RECORD_NUMBER')],
      tags: ['retention:6y'],
    });
    await h.evaluate();
    expect(await open()).toEqual([col('ds1.db.s.p.icd')]);
  });

  it('pii-source-scanned-30d: one finding per stale data source holding PII', async () => {
    await only('pii-source-scanned-30d');
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
    h.catalog.source({ id: 'fresh', lastScannedAt: daysAgo(3) });
    h.catalog.source({ id: 'stale', lastScannedAt: daysAgo(45) });
    h.catalog.source({ id: 'never', lastScannedAt: null });
    h.catalog.source({ id: 'nopii', lastScannedAt: null });
    for (const ds of ['fresh', 'stale', 'never'])
      for (const c of ['a', 'b'])
        h.catalog.put({
          ref: col(`${ds}.db.s.t.${c}`),
          dataSourceId: ds,
          labels: [label('PII.EMAIL_ADDRESS')],
        });
    h.catalog.put({ ref: col('nopii.db.s.t.a'), dataSourceId: 'nopii' });
    const run = await h.evaluate();
    expect(run.findingsOpened).toBe(2);
    expect(await open()).toEqual([
      'racine:datasources:datasource/never',
      'racine:datasources:datasource/stale',
    ]);
    const scores = await h.scores.scores('gdpr');
    expect(scores.requirements.find(r => r.id === 'art-30')).toMatchObject({
      inScope: 3,
      failing: 2,
    });
    // Scanning the stale source (its assets change) resolves its finding incrementally.
    h.catalog.source({ id: 'stale', lastScannedAt: daysAgo(0) });
    const inc = await h.evaluations.evaluateRefs([col('stale.db.s.t.a')]);
    expect(inc.resolved).toBe(1);
    expect(await open()).toEqual(['racine:datasources:datasource/never']);
  });

  it('no-secrets-in-analytics: SECRET.* labels in analytics sources fail', async () => {
    await only('no-secrets-in-analytics');
    h.catalog.source({ id: 'wh', environment: 'analytics' });
    h.catalog.source({ id: 'lake', environment: 'prod', tags: ['analytics'] });
    h.catalog.source({ id: 'app', environment: 'prod' });
    h.catalog.put({
      ref: col('wh.db.s.t.token'),
      dataSourceId: 'wh',
      labels: [label('SECRET.API_TOKEN', 'suggested')],
    });
    h.catalog.put({
      ref: col('lake.db.s.t.pw'),
      dataSourceId: 'lake',
      labels: [label('SECRET.PASSWORD')],
    });
    h.catalog.put({
      ref: col('app.db.s.t.pw'),
      dataSourceId: 'app',
      labels: [label('SECRET.PASSWORD')],
    });
    h.catalog.put({
      ref: col('wh.db.s.t.email'),
      dataSourceId: 'wh',
      labels: [label('PII.EMAIL_ADDRESS')],
    });
    h.catalog.put({
      ref: col('wh.db.s.t.key'),
      dataSourceId: 'wh',
      labels: [label('SECRET.PRIVATE_KEY', 'rejected')],
    });
    await h.evaluate();
    expect(await open()).toEqual([col('lake.db.s.t.pw'), col('wh.db.s.t.token')]);
  });

  it('incremental evaluation reads and changes only the affected assets', async () => {
    await only('pii-has-owner');
    await only('phi-retention-tag');
    h.catalog.source({ id: 'ds1' });
    for (let i = 0; i < 50; i++)
      h.catalog.put({
        ref: col(`ds1.db.s.t.c${String(i).padStart(2, '0')}`),
        labels: [label('PII.EMAIL_ADDRESS')],
      });
    await h.evaluate();
    expect((await open()).length).toBe(50);
    const before = await h.db
      .knex('compliance_findings')
      .select('id', 'updated_at', 'last_seen_at', 'last_evaluation_id')
      .orderBy('id');

    h.catalog.reads = [];
    h.clock.now = new Date(Date.now() + 60_000);
    const changed = col('ds1.db.s.t.c07');
    h.catalog.put({
      ref: changed,
      labels: [label('PII.EMAIL_ADDRESS')],
      owners: ['user:default/ann'],
    });
    const result = await h.evaluations.evaluateRefs([changed]);
    expect(result).toEqual({ assetsEvaluated: 1, opened: 0, resolved: 1 });
    expect(h.catalog.reads).toEqual([[changed]]);
    const after = await h.db
      .knex('compliance_findings')
      .select('id', 'updated_at', 'last_seen_at', 'last_evaluation_id')
      .orderBy('id');
    const differing = after.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[i]));
    expect(differing).toHaveLength(1);
    expect((await h.findings.list({ limit: 5, assetRef: changed })).items[0]).toMatchObject({
      status: 'resolved',
    });

    // A new failure on another asset opens only that finding; an unknown (deleted) ref resolves its own.
    h.catalog.put({ ref: col('ds1.db.s.t.phi'), labels: [label('PHI.ICD10_CODE')] });
    expect(await h.evaluations.evaluateRefs([col('ds1.db.s.t.phi')])).toEqual({
      assetsEvaluated: 1,
      opened: 1,
      resolved: 0,
    });
    h.catalog.facts.delete(col('ds1.db.s.t.c01'));
    expect(await h.evaluations.evaluateRefs([col('ds1.db.s.t.c01')])).toEqual({
      assetsEvaluated: 0,
      opened: 0,
      resolved: 1,
    });
  });

  it('an expired waiver re-opens its finding; a still-failing waived finding stays waived on re-evaluation', async () => {
    await only('pii-has-owner');
    h.catalog.source({ id: 'ds1' });
    h.catalog.put({ ref: col('ds1.db.s.t.email'), labels: [label('PII.EMAIL_ADDRESS')] });
    await h.evaluate();
    const [finding] = (await h.store.listFindings({ limit: 5 })).items;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 3_600_000).toISOString();
    const [waiver] = await h.store.requestWaivers(
      [finding!.id],
      'Legacy table, migration planned',
      expiresAt,
      'user:default/steward',
      now.toISOString(),
    );
    expect(waiver).toMatchObject({ status: 'pending', findingId: finding!.id });
    await h.store.decideWaiver(waiver!.id, true, 'user:default/officer', 'ok', now.toISOString());
    expect((await h.store.getFindings([finding!.id]))[0]).toMatchObject({
      status: 'waived',
      waiverId: waiver!.id,
    });
    await h.evaluate();
    expect((await h.store.getFindings([finding!.id]))[0]!.status).toBe('waived');
    expect(await h.store.expireWaivers(now.toISOString())).toEqual({ expired: 0, reopened: 0 });
    const later = new Date(now.getTime() + 2 * 3_600_000).toISOString();
    expect(await h.store.expireWaivers(later)).toEqual({ expired: 1, reopened: 1 });
    expect((await h.store.getFindings([finding!.id]))[0]).toMatchObject({
      status: 'open',
      waiverId: null,
    });
    expect((await h.store.listWaivers({ ids: [waiver!.id] }))[0]!.status).toBe('expired');
    const events = await h.store.findingEvents({ findingId: finding!.id });
    expect(events.map(e => `${e.fromStatus}->${e.toStatus}`)).toEqual([
      'null->open',
      'open->waived',
      'waived->open',
    ]);
  });

  it('reports requirement status, evidence and waivers as of a date, in CSV and PDF', async () => {
    await only('pii-has-owner');
    await only('pci-prod-only');
    h.catalog.source({ id: 'ds1', name: 'Sales DB', environment: 'staging' });
    h.catalog.put({ ref: col('ds1.db.s.t.email'), labels: [label('PII.EMAIL_ADDRESS')] });
    h.catalog.put({
      ref: col('ds1.db.s.t.pan'),
      labels: [label('FIN.CREDIT_CARD_NUMBER')],
      owners: ['user:default/ann'],
    });
    h.clock.now = new Date('2026-11-01T10:00:00.000Z');
    await h.evaluate();
    const t1 = '2026-11-01T12:00:00.000Z';
    // Later the PII column gets an owner; the report as of t1 still shows it failing.
    h.catalog.put({
      ref: col('ds1.db.s.t.email'),
      labels: [label('PII.EMAIL_ADDRESS')],
      owners: ['user:default/bob'],
    });
    h.clock.now = new Date('2026-11-02T10:00:00.000Z');
    await h.evaluate();
    const pan = (await h.store.listFindings({ limit: 5, ruleId: 'pci-prod-only' })).items[0]!;
    const [w] = await h.store.requestWaivers(
      [pan.id],
      'Masked copy, tokenization in Q1',
      '2099-01-01T00:00:00.000Z',
      'user:default/s',
      '2026-11-02T11:00:00.000Z',
    );
    await h.store.decideWaiver(
      w!.id,
      true,
      'user:default/officer',
      null,
      '2026-11-02T11:30:00.000Z',
    );

    const csvThen = parseCsv(h.reports.toCsv(await h.reports.build('gdpr', t1)));
    expect(csvThen[0]).toEqual(REPORT_CSV_HEADER);
    const art52 = csvThen.filter(r => r[3] === 'art-5-2');
    expect(art52).toHaveLength(1);
    expect(art52[0]).toMatchObject({
      6: 'non-compliant',
      7: 'pii-has-owner',
      9: col('ds1.db.s.t.email'),
      10: 'open',
      11: 'high',
    });
    expect(JSON.parse(art52[0]![14]!)).toMatchObject({
      labels: [{ classifierId: 'PII.EMAIL_ADDRESS' }],
    });
    expect(csvThen.find(r => r[3] === 'art-30')![6]).toBe('compliant');

    const csvNow = parseCsv(
      h.reports.toCsv(await h.reports.build('pci-dss', '2026-11-03T00:00:00.000Z')),
    );
    const row = csvNow.find(r => r[3] === '6.5.5')!;
    expect(row).toMatchObject({
      6: 'compliant-with-waivers',
      10: 'waived',
      15: 'Masked copy, tokenization in Q1',
      16: '2099-01-01T00:00:00.000Z',
      17: 'user:default/officer',
    });
    expect(
      parseCsv(h.reports.toCsv(await h.reports.build('gdpr', '2026-11-03T00:00:00.000Z'))).find(
        r => r[3] === 'art-5-2',
      )![6],
    ).toBe('compliant');

    const pdf = await h.reports.toPdf(await h.reports.build('pci-dss', '2026-11-03T00:00:00.000Z'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text.replace(/\s+/g, ' ');
    await parser.destroy();
    expect(text).toContain('PCI DSS 4.0 compliance report');
    expect(text).toContain('As of 2026-11-03T00:00:00.000Z');
    expect(text).toContain('6.5.5 Live PANs are not used in pre-production environments');
    expect(text).toContain('Status: compliant-with-waivers');
    expect(text).toContain('Waiver: Masked copy, tokenization in Q1');
    expect(text).toContain('data source Sales DB (staging)');

    const trail = h.reports.auditTrailCsv(await h.reports.auditTrail({}));
    const rows = parseCsv(trail);
    expect(rows.map(r => r[1])).toEqual(
      expect.arrayContaining(['finding', 'waiver.requested', 'waiver.approved']),
    );
  });

  it('notifies owners of the findings opened on what they own, once, and announces finding.opened', async () => {
    await only('phi-retention-tag');
    h.catalog.source({ id: 'ds1', owner: 'user:default/dsowner' });
    h.catalog.put({
      ref: col('ds1.db.s.p.icd'),
      labels: [label('PHI.ICD10_CODE')],
      owners: ['ann'],
    });
    h.catalog.put({ ref: col('ds1.db.s.p.mrn'), labels: [label('PHI.MEDICAL_RECORD_NUMBER')] });
    await h.evaluate();
    await h.evaluate();
    const ann = await h.store.listNotifications('user:default/ann', {
      unreadOnly: false,
      limit: 10,
    });
    expect(ann.unread).toBe(1);
    expect(ann.items[0]).toMatchObject({
      title: 'New medium compliance finding: phi-retention-tag',
    });
    expect(ann.items[0]!.message).toContain('icd');
    // No owner on the column: the data source's owner gets the task.
    const dsOwner = await h.store.listNotifications('user:default/dsowner', {
      unreadOnly: true,
      limit: 10,
    });
    expect(dsOwner.items.map(n => n.message)).toEqual([expect.stringContaining('mrn')]);
    expect(
      await h.store.markNotificationRead(
        'user:default/ann',
        ann.items[0]!.id,
        new Date().toISOString(),
      ),
    ).toBe(true);
    expect(
      await h.store.markNotificationRead(
        'user:default/bob',
        ann.items[0]!.id,
        new Date().toISOString(),
      ),
    ).toBe(false);
    expect(
      (await h.store.listNotifications('user:default/ann', { unreadOnly: true, limit: 10 })).unread,
    ).toBe(0);
    expect(h.published).toHaveLength(1);
    expect(h.published[0]).toMatchObject({
      topic: 'finding.opened',
      eventPayload: {
        findings: [{ ruleId: 'phi-retention-tag' }, { ruleId: 'phi-retention-tag' }],
      },
    });
    const mine = await h.findings.list({ limit: 10, owner: 'ann' });
    expect(mine.items.map(f => f.assetRef)).toEqual([col('ds1.db.s.p.icd')]);
  });

  it('scores count waived findings as passing and keep snapshots over time', async () => {
    await only('pii-has-owner');
    h.catalog.source({ id: 'ds1' });
    h.catalog.put({ ref: col('ds1.db.s.t.a'), labels: [label('PII.EMAIL_ADDRESS')] });
    h.catalog.put({
      ref: col('ds1.db.s.t.b'),
      labels: [label('PII.EMAIL_ADDRESS')],
      owners: ['x'],
    });
    await h.evaluate();
    expect(await h.scores.scores('gdpr')).toMatchObject({
      score: 0.5,
      inScope: 2,
      failing: 1,
      dataSources: [{ id: 'ds1', score: 0.5 }],
      workspaces: [{ id: 'default', score: 0.5 }],
    });
    await h.scores.snapshot('2026-11-01T00:00:00.000Z');
    h.catalog.put({
      ref: col('ds1.db.s.t.a'),
      labels: [label('PII.EMAIL_ADDRESS')],
      owners: ['y'],
    });
    await h.evaluate();
    await h.scores.snapshot('2026-11-02T00:00:00.000Z');
    const history = await h.scores.history({ frameworkId: 'gdpr', kind: 'framework', limit: 10 });
    expect(history.map(p => p.score)).toEqual([0.5, 1]);
  });
});
