import crypto from 'node:crypto';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type {
  AssetLabelsResponse,
  ClassifierDetails,
  CustomRule,
  CustomRuleVersion,
  EngineConfig,
  ListClassifiersResponse,
  RuleTestResult,
} from '@racine/plugin-classifications-common';
import { buildEngine } from '@racine/plugin-classifications-node';
import { columnRef } from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffDatabase, STAFF_BADGES, type StaffDatabase } from './__fixtures__/postgres';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const BASE = '/api/classifications';
const PASSWORD = 'classifications passphrase 1234';

/** Backstage static external access tokens carry the plugin subject they are configured with. */
const scansToken = crypto.randomBytes(24).toString('hex');
const serviceTokens = {
  backend: {
    auth: {
      externalAccess: [{ type: 'static', options: { token: scansToken, subject: 'plugin:scans' } }],
    },
  },
};

interface Activity {
  verb: string;
  outcome: string;
  actor: string;
  resource: string;
  summary: string;
}

const badgeRule = {
  id: 'ACME.EMPLOYEE_BADGE',
  name: 'Employee badge',
  description: 'ACME badge numbers',
  categories: ['PII'],
  sensitivity: 'CONFIDENTIAL',
  definition: { type: 'value_regex', pattern: '^ACME-\\d{6}$', threshold: 0.8 },
};
const BADGES = ['ACME-123456', 'ACME-654321', 'ACME-111222', 'ACME-998877', 'acme-445566'];

describe(`classifications API (${engine})`, () => {
  let server: RacineTestServer;
  const tokens: Record<string, string> = {};

  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    json?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: T }> => {
    const res = await server.request(`${BASE}${path}`, { method, json, token });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const activity = async (query: string) =>
    (await (await server.request(`/api/kernel/activity?${query}`)).json()).items as Activity[];

  beforeAll(async () => {
    server = await startRacineServer({ config: serviceTokens });
    for (const role of ['data-steward', 'viewer', 'none']) {
      const username = `c-${role}`;
      const created = await server.request('/api/rbac/users', {
        method: 'POST',
        json: { username, password: PASSWORD },
      });
      expect(created.status).toBe(201);
      if (role !== 'none') {
        const granted = await server.request('/api/rbac/grants', {
          method: 'POST',
          json: { subject: `user:default/${username}`, role, workspace: '*' },
        });
        expect(granted.status).toBe(201);
      }
      tokens[role] = await server.signIn(username, PASSWORD);
    }
  }, 120_000);
  afterAll(() => server?.stop());

  describe('access', () => {
    it.each([
      ['GET', '/classifiers'],
      ['PUT', '/classifiers/PII.EMAIL_ADDRESS'],
      ['GET', '/rules'],
      ['POST', '/rules'],
      ['POST', '/rules/test'],
      ['GET', '/engine-config'],
      ['GET', '/review-queue'],
      ['POST', '/decisions'],
      ['GET', '/accuracy'],
    ])('%s %s needs a caller', async (method, path) => {
      expect((await call(method, path, method === 'GET' ? undefined : {}, null)).status).toBe(401);
    });

    it('refuses callers without the permission, before reading their input, and audits denied mutations', async () => {
      expect((await call('GET', '/classifiers', undefined, tokens.none)).status).toBe(403);
      expect((await call('GET', '/engine-config', undefined, tokens.none)).status).toBe(403);
      expect((await call('POST', '/rules', { nonsense: true }, tokens.viewer)).status).toBe(403);
      expect(
        (await call('PUT', '/classifiers/PII.EMAIL_ADDRESS', { threshold: 0.9 }, tokens.viewer))
          .status,
      ).toBe(403);
      expect((await call('POST', '/decisions', {}, tokens.viewer)).status).toBe(403);
      // A steward cannot delete rules (administrators can).
      expect(
        (await call('DELETE', '/rules/ACME.ANY', undefined, tokens['data-steward'])).status,
      ).toBe(403);
      const denied = await activity('outcome=denied&actor=user:default/c-viewer');
      expect(denied.map(a => a.verb)).toEqual(
        expect.arrayContaining([
          'classification.rule.create',
          'classification.classifier.update',
          'classification.label.decide',
        ]),
      );
      // Viewers read.
      expect((await call('GET', '/rules', undefined, tokens.viewer)).status).toBe(200);
    });
  });

  describe('classifier library', () => {
    it('lists, searches and details the built-in classifiers with their examples', async () => {
      const { body: all } = await call<ListClassifiersResponse>('GET', '/classifiers');
      expect(all.items).toHaveLength(48);
      expect(all.categories).toEqual(['PII', 'PHI', 'PCI', 'SPI', 'SECRET', 'FINANCIAL', 'GOV']);
      const { body: cards } = await call<ListClassifiersResponse>(
        'GET',
        '/classifiers?q=card&category=PCI',
      );
      expect(cards.items.map(c => c.id)).toEqual([
        'FIN.CREDIT_CARD_NUMBER',
        'FIN.CARD_EXPIRY',
        'FIN.CARD_CVV',
      ]);
      const { status, body } = await call<ClassifierDetails>(
        'GET',
        '/classifiers/FIN.CREDIT_CARD_NUMBER',
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: 'FIN.CREDIT_CARD_NUMBER',
        enabled: true,
        validator: 'luhn+iin',
        overridden: false,
        valueEvidence: 'checksum (luhn+iin)',
      });
      expect(body.examples.length).toBeGreaterThan(0);
      expect(body.maskedExamples[0]).toMatch(/\*\*\*\*/);
      expect(body.names.strong).toContain('card_number');
      expect((await call('GET', '/classifiers/NOPE.NOTHING')).status).toBe(404);
    });

    it('edits enabled, threshold, sensitivity and categories, resets with null, and audits it', async () => {
      const bad = await call<{ error: { message: string } }>(
        'PUT',
        '/classifiers/PII.EMAIL_ADDRESS',
        { threshold: 2, sensitivity: 'SECRETISH', colour: 'red' },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/threshold/);
      expect(bad.body.error.message).toMatch(/sensitivity/);
      const { status, body } = await call<ClassifierDetails>(
        'PUT',
        '/classifiers/PII.EMAIL_ADDRESS',
        { sensitivity: 'RESTRICTED', categories: ['PII', 'SPI'], threshold: 0.7 },
        tokens['data-steward'],
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({
        sensitivity: 'RESTRICTED',
        categories: ['PII', 'SPI'],
        threshold: 0.7,
        overridden: true,
        updatedBy: 'user:default/c-data-steward',
      });
      expect(body.defaults).toMatchObject({ sensitivity: 'CONFIDENTIAL', categories: ['PII'] });
      const off = await call<ClassifierDetails>('PUT', '/classifiers/FIN.CARD_EXPIRY', {
        enabled: false,
      });
      expect(off.body.enabled).toBe(false);
      const { body: disabled } = await call<ListClassifiersResponse>(
        'GET',
        '/classifiers?enabled=false',
      );
      expect(disabled.items.map(c => c.id)).toEqual(['FIN.CARD_EXPIRY']);
      const reset = await call<ClassifierDetails>('PUT', '/classifiers/PII.EMAIL_ADDRESS', {
        threshold: null,
      });
      expect(reset.body).toMatchObject({
        threshold: reset.body.defaults.threshold,
        sensitivity: 'RESTRICTED',
      });
      expect((await call('PUT', '/classifiers/NOPE.NOTHING', { enabled: false })).status).toBe(404);
      const audited = await activity('verb=classification.classifier.update&outcome=success');
      expect(audited[audited.length - 1]).toMatchObject({
        actor: 'user:default/c-data-steward',
        resource: 'racine:classifications:classifier/PII.EMAIL_ADDRESS',
      });
    });
  });

  describe('custom rules', () => {
    it('creates, versions, rolls back, enables/disables and deletes a rule', async () => {
      const created = await call<CustomRule>('POST', '/rules', badgeRule, tokens['data-steward']);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: 'ACME.EMPLOYEE_BADGE',
        ref: 'racine:classifications:rule/ACME.EMPLOYEE_BADGE',
        type: 'value_regex',
        version: 1,
        enabled: true,
        definition: {
          type: 'value_regex',
          pattern: '^ACME-\\d{6}$',
          caseSensitive: false,
          minDistinct: 3,
          threshold: 0.8,
        },
        summary: 'values match /^ACME-\\d{6}$/i (≥ 80% of distinct values)',
        createdBy: 'user:default/c-data-steward',
      });
      expect((await call('POST', '/rules', badgeRule)).status).toBe(409);

      const derived = await call<CustomRule>('POST', '/rules', {
        name: 'Project code names',
        categories: ['SPI'],
        sensitivity: 'INTERNAL',
        definition: {
          type: 'dictionary',
          terms: ['Zoë', 'Orion', 'Saint-Étienne'],
          threshold: 0.6,
        },
      });
      expect(derived.status).toBe(201);
      expect(derived.body.id).toBe('CUSTOM.PROJECT_CODE_NAMES');

      const edited = await call<CustomRule>('PUT', '/rules/ACME.EMPLOYEE_BADGE', {
        definition: { ...badgeRule.definition, threshold: 0.6 },
        note: 'looser',
        basedOn: 1,
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ version: 2, definition: { threshold: 0.6 } });
      const stale = await call('PUT', '/rules/ACME.EMPLOYEE_BADGE', {
        name: 'Stale edit',
        basedOn: 1,
      });
      expect(stale.status).toBe(409);

      const versions = await call<{ items: CustomRuleVersion[] }>(
        'GET',
        '/rules/ACME.EMPLOYEE_BADGE/versions',
      );
      expect(versions.body.items.map(v => [v.version, v.note])).toEqual([
        [2, 'looser'],
        [1, ''],
      ]);
      const v1 = await call<CustomRuleVersion>('GET', '/rules/ACME.EMPLOYEE_BADGE/versions/1');
      expect(v1.body.definition).toMatchObject({ threshold: 0.8 });
      expect((await call('GET', '/rules/ACME.EMPLOYEE_BADGE/versions/9')).status).toBe(404);
      expect((await call('GET', '/rules/ACME.EMPLOYEE_BADGE/versions/zero')).status).toBe(400);
      const rolled = await call<CustomRule>('POST', '/rules/ACME.EMPLOYEE_BADGE/rollback', {
        version: 1,
      });
      expect(rolled.body).toMatchObject({ version: 3, definition: { threshold: 0.8 } });

      const disabled = await call<CustomRule>('PUT', '/rules/CUSTOM.PROJECT_CODE_NAMES/enabled', {
        enabled: false,
      });
      expect(disabled.body).toMatchObject({ enabled: false, version: 1 });
      const { body: list } = await call<{ items: CustomRule[] }>('GET', '/rules?enabled=true');
      expect(list.items.map(r => r.id)).toEqual(['ACME.EMPLOYEE_BADGE']);
      expect((list.items[0] as Partial<CustomRule>).definition).toBeUndefined();

      expect((await call('DELETE', '/rules/CUSTOM.PROJECT_CODE_NAMES')).status).toBe(204);
      expect((await call('GET', '/rules/CUSTOM.PROJECT_CODE_NAMES')).status).toBe(404);
      expect((await call('DELETE', '/rules/CUSTOM.PROJECT_CODE_NAMES')).status).toBe(404);
      const reuse = await call<{ error: { message: string } }>('POST', '/rules', {
        ...badgeRule,
        id: 'CUSTOM.PROJECT_CODE_NAMES',
      });
      expect(reuse.status).toBe(409);
      expect(reuse.body.error.message).toMatch(/deleted rule/);

      const verbs = (
        await activity('resource=racine:classifications:rule/ACME.EMPLOYEE_BADGE')
      ).map(a => `${a.verb}:${a.outcome}`);
      expect(verbs).toEqual(
        expect.arrayContaining([
          'classification.rule.create:success',
          'classification.rule.update:success',
          'classification.rule.update:failure',
          'classification.rule.rollback:success',
        ]),
      );
      const toggles = (
        await activity('resource=racine:classifications:rule/CUSTOM.PROJECT_CODE_NAMES')
      ).map(a => a.verb);
      expect(toggles).toEqual(
        expect.arrayContaining(['classification.rule.disable', 'classification.rule.delete']),
      );
    });

    it('answers 400 naming the fields of a bad rule, unsafe or invalid patterns and bad composites', async () => {
      const bad = await call<{ error: { message: string } }>('POST', '/rules', {
        id: 'pii.lowercase',
        name: '',
        categories: [],
        sensitivity: 'LOUD',
        definition: { type: 'value_regex' },
      });
      expect(bad.status).toBe(400);
      for (const field of ['id', 'name', 'categories', 'sensitivity', 'definition.pattern'])
        expect(bad.body.error.message).toContain(field);
      const reserved = await call<{ error: { message: string } }>('POST', '/rules', {
        ...badgeRule,
        id: 'PII.MY_EMAIL',
      });
      expect(reserved.body.error.message).toMatch(/built-in namespace/);
      const invalid = await call<{ error: { message: string } }>('POST', '/rules', {
        ...badgeRule,
        id: 'ACME.BROKEN',
        definition: { type: 'value_regex', pattern: '([a-z]' },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toMatch(/definition\.pattern: Invalid regular expression/);
      const redos = await call<{ error: { message: string } }>('POST', '/rules', {
        ...badgeRule,
        id: 'ACME.REDOS',
        definition: { type: 'value_regex', pattern: '^(a+)+$' },
      });
      expect(redos.status).toBe(400);
      expect(redos.body.error.message).toMatch(/definition\.pattern: .*exponential time/);
      const unknown = await call<{ error: { message: string } }>('POST', '/rules', {
        ...badgeRule,
        id: 'ACME.COMBO',
        definition: {
          type: 'composite',
          expression: { op: 'and', of: [{ ref: 'PII.EMAIL_ADDRESS' }, { ref: 'ACME.NOT_THERE' }] },
        },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/unknown rule or classifier ACME\.NOT_THERE/);
      const shape = await call<{ error: { message: string } }>('POST', '/rules', {
        ...badgeRule,
        id: 'ACME.COMBO',
        definition: {
          type: 'composite',
          expression: {
            op: 'not',
            of: [{ ref: 'PII.EMAIL_ADDRESS' }, { ref: 'PII.PHONE_NUMBER' }],
          },
        },
      });
      expect(shape.status).toBe(400);
      expect((await call('PUT', '/rules/ACME.NOPE', { name: 'x' })).status).toBe(404);
    });

    it('refuses composite cycles and deleting a rule a composite uses', async () => {
      const hr = await call<CustomRule>('POST', '/rules', {
        id: 'ACME.HR_TABLE',
        name: 'HR tables',
        categories: ['PII'],
        sensitivity: 'CONFIDENTIAL',
        enabled: false,
        definition: { type: 'name_regex', pattern: '^hr_', target: 'table', confidence: 0.9 },
      });
      expect(hr.status).toBe(201);
      const combo = await call<CustomRule>('POST', '/rules', {
        id: 'ACME.HR_EMAIL',
        name: 'HR e-mail addresses',
        categories: ['PII', 'SPI'],
        sensitivity: 'RESTRICTED',
        definition: {
          type: 'composite',
          expression: { op: 'and', of: [{ ref: 'PII.EMAIL_ADDRESS' }, { ref: 'ACME.HR_TABLE' }] },
        },
      });
      expect(combo.status).toBe(201);
      expect(combo.body.summary).toBe('(PII.EMAIL_ADDRESS AND ACME.HR_TABLE)');
      const cycle = await call<{ error: { message: string } }>('PUT', '/rules/ACME.HR_TABLE', {
        definition: {
          type: 'composite',
          expression: { op: 'or', of: [{ ref: 'ACME.HR_EMAIL' }, { ref: 'PII.PHONE_NUMBER' }] },
        },
      });
      expect(cycle.status).toBe(400);
      expect(cycle.body.error.message).toMatch(/cycle: /);
      const inUse = await call<{ error: { message: string } }>('DELETE', '/rules/ACME.HR_TABLE');
      expect(inUse.status).toBe(409);
      expect(inUse.body.error.message).toMatch(/ACME\.HR_EMAIL/);
    });

    it('tests each rule type on pasted values before saving, without echoing values', async () => {
      const test = (body: unknown) =>
        call<RuleTestResult>('POST', '/rules/test', body, tokens['data-steward']);

      const regex = await test({
        definition: badgeRule.definition,
        values: [...BADGES, 'visitor', ''],
      });
      expect(regex.status).toBe(200);
      expect(regex.body).toMatchObject({
        fired: true,
        confidence: 0.833,
        threshold: 0.8,
        matches: [true, true, true, true, true, false, false],
      });
      expect(regex.body.evidence.examples).toEqual(['AC**-****56', 'AC**-****21', 'AC**-****22']);
      expect(JSON.stringify(regex.body)).not.toContain('ACME-123456');

      const name = await test({
        definition: { type: 'name_regex', pattern: 'badge', target: 'column' },
        values: [],
        column: { name: 'employee_badge_no', tableName: 'staff' },
      });
      expect(name.body).toMatchObject({
        fired: true,
        confidence: 0.8,
        evidence: { nameMatch: { source: 'column', term: 'employee_badge_no' } },
      });

      const dictionary = await test({
        definition: {
          type: 'dictionary',
          terms: ['Zoë', 'Saint-Étienne', 'Orion'],
          threshold: 0.7,
        },
        values: ['ZOE', 'saint etienne', 'ORION', 'Apollo'],
      });
      expect(dictionary.body).toMatchObject({
        fired: true,
        confidence: 0.75,
        matches: [true, true, true, false],
      });

      const composite = await test({
        definition: {
          type: 'composite',
          expression: {
            op: 'and',
            of: [{ ref: 'PII.EMAIL_ADDRESS' }, { op: 'not', of: [{ ref: 'ACME.HR_TABLE' }] }],
          },
        },
        values: ['jane@example.com', 'bob@example.org', 'li@example.net'],
        column: { name: 'contact', tableName: 'hr_people' },
      });
      expect(composite.body).toMatchObject({ fired: false, confidence: 0 });
      expect(composite.body.operands).toEqual([
        { ref: 'PII.EMAIL_ADDRESS', fired: true, confidence: expect.any(Number) },
        { ref: 'ACME.HR_TABLE', fired: true, confidence: 0.9 },
      ]);

      const saved = await test({
        ruleId: 'ACME.HR_EMAIL',
        values: ['jane@example.com', 'bob@example.org', 'li@example.net'],
        column: { name: 'contact', tableName: 'hr_people' },
      });
      expect(saved.body).toMatchObject({ fired: true });

      const both = await call<{ error: { message: string } }>('POST', '/rules/test', {
        definition: badgeRule.definition,
      });
      expect(both.status).toBe(400);
      expect(both.body.error.message).toMatch(/values: give exactly one of values and source/);
      expect(
        (await test({ definition: { type: 'value_regex', pattern: '(x+x+)+y' }, values: ['x'] }))
          .status,
      ).toBe(400);
      expect((await test({ ruleId: 'ACME.NOT_SAVED', values: ['x'] })).status).toBe(404);
      expect(
        (await call('POST', '/rules/test', { ruleId: 'ACME.HR_EMAIL', values: [] }, tokens.viewer))
          .status,
      ).toBe(403);
    });
  });

  describe('live columns', () => {
    let staff: StaffDatabase;
    let dataSourceId: string;
    beforeAll(async () => {
      staff = await createStaffDatabase();
      const res = await server.request('/api/datasources', {
        method: 'POST',
        json: { name: 'Staff directory', type: 'postgres', config: staff.config },
      });
      expect(res.status).toBe(201);
      dataSourceId = (await res.json()).id;
    });
    afterAll(() => staff?.drop());

    it('tests a rule on a column sampled through the datasources plugin, audited, values never returned', async () => {
      const byPath = await call<RuleTestResult>(
        'POST',
        '/rules/test',
        {
          definition: badgeRule.definition,
          source: { dataSourceId, schema: 'public', table: 'staff', column: 'badge' },
        },
        tokens['data-steward'],
      );
      expect(byPath.status).toBe(200);
      expect(byPath.body).toMatchObject({
        fired: true,
        confidence: 0.857,
        sample: {
          dataSourceId,
          schema: 'public',
          table: 'staff',
          column: 'badge',
          rows: STAFF_BADGES.length,
        },
      });
      expect(byPath.body.matches).toBeUndefined();
      for (const badge of STAFF_BADGES) expect(JSON.stringify(byPath.body)).not.toContain(badge);

      const ref = columnRef(dataSourceId, staff.config.database, 'public', 'staff', 'email');
      const byRef = await call<RuleTestResult>('POST', '/rules/test', {
        ruleId: 'ACME.EMPLOYEE_BADGE',
        source: { assetRef: ref },
      });
      expect(byRef.status).toBe(200);
      expect(byRef.body).toMatchObject({
        fired: false,
        confidence: 0,
        sample: { column: 'email', rows: STAFF_BADGES.length },
      });

      const tested = await activity('verb=classification.rule.test&outcome=success');
      expect(tested.map(a => a.resource)).toContain(ref);
      expect(tested.find(a => a.actor === 'user:default/c-data-steward')?.summary).toMatch(
        /7 sampled values of public\.staff\.badge/,
      );

      const missing = await call('POST', '/rules/test', {
        definition: badgeRule.definition,
        source: { dataSourceId, schema: 'public', table: 'staff', column: 'nope' },
      });
      expect(missing.status).toBe(404);
      const noSource = await call('POST', '/rules/test', {
        definition: badgeRule.definition,
        source: {
          dataSourceId: 'no-such-source',
          schema: 'public',
          table: 'staff',
          column: 'badge',
        },
      });
      expect(noSource.status).toBe(404);
      const notColumn = await call('POST', '/rules/test', {
        definition: badgeRule.definition,
        source: { assetRef: 'racine:data-catalog:table/a.b.c.d' },
      });
      expect(notColumn.status).toBe(400);
    });

    it('makes scans classify with the configured engine: custom rules label, disabled built-ins stay silent', async () => {
      const columnLabels = async (column: string) => {
        const ref = columnRef(dataSourceId, staff.config.database, 'public', 'staff', column);
        const res = await call<AssetLabelsResponse>(
          'GET',
          `/assets/${encodeURIComponent(ref)}/labels`,
        );
        expect(res.status).toBe(200);
        return res.body.labels.map(l => l.classifierId).sort();
      };
      const scan = async () => {
        const res = await server.request('/api/scans/runs', {
          method: 'POST',
          json: { dataSourceId },
        });
        expect(res.status).toBe(202);
        const { id } = (await res.json()) as { id: string };
        await expect
          .poll(
            async () =>
              ((await (await server.request(`/api/scans/runs/${id}`)).json()) as { status: string })
                .status,
            { timeout: 60_000, interval: 200 },
          )
          .toBe('succeeded');
      };

      expect((await call('PUT', '/classifiers/PII.EMAIL_ADDRESS', { enabled: false })).status).toBe(
        200,
      );
      try {
        await scan();
        expect(await columnLabels('badge')).toEqual(['ACME.EMPLOYEE_BADGE']);
        expect(await columnLabels('email')).not.toContain('PII.EMAIL_ADDRESS');
      } finally {
        await call('PUT', '/classifiers/PII.EMAIL_ADDRESS', { enabled: null });
      }
      // The next run builds its engine from the configuration as it is then.
      await scan();
      expect(await columnLabels('email')).toContain('PII.EMAIL_ADDRESS');
    }, 150_000);

    it('lets scans classify with the built-in defaults when the group is switched off', async () => {
      const off = await startRacineServer({
        config: { racine: { groups: { classifications: { enabled: false } } } },
      });
      try {
        expect((await off.request(`${BASE}/engine-config`)).status).toBe(404);
        const created = await off.request('/api/datasources', {
          method: 'POST',
          json: { name: 'Staff directory', type: 'postgres', config: staff.config },
        });
        expect(created.status).toBe(201);
        const sourceId = ((await created.json()) as { id: string }).id;
        const started = await off.request('/api/scans/runs', {
          method: 'POST',
          json: { dataSourceId: sourceId },
        });
        expect(started.status).toBe(202);
        const { id } = (await started.json()) as { id: string };
        await expect
          .poll(
            async () =>
              ((await (await off.request(`/api/scans/runs/${id}`)).json()) as { status: string })
                .status,
            { timeout: 60_000, interval: 200 },
          )
          .toBe('succeeded');
        const listed = await off.request(
          `/api/data-catalog/assets?dataSourceId=${encodeURIComponent(sourceId)}&type=column&limit=50`,
        );
        expect(listed.status).toBe(200);
        const columns = (
          (await listed.json()) as {
            items: { name: string; labels: { classifierId: string }[] }[];
          }
        ).items;
        const labelsOf = (name: string) =>
          columns.find(c => c.name === name)!.labels.map(l => l.classifierId);
        expect(labelsOf('email')).toContain('PII.EMAIL_ADDRESS');
        expect(labelsOf('badge')).toEqual([]);
      } finally {
        await off.stop();
      }
    }, 150_000);
  });

  describe('engine configuration', () => {
    it('serves users and services what scans need to build the same engine', async () => {
      expect((await call('GET', '/engine-config', undefined, scansToken)).status).toBe(200);
      const { body: config } = await call<EngineConfig>(
        'GET',
        '/engine-config',
        undefined,
        tokens.viewer,
      );
      expect(config.classifiers).toMatchObject({
        'PII.EMAIL_ADDRESS': { sensitivity: 'RESTRICTED', categories: ['PII', 'SPI'] },
        'FIN.CARD_EXPIRY': { enabled: false },
      });
      expect(config.rules.map(r => [r.id, r.enabled])).toEqual([
        ['ACME.EMPLOYEE_BADGE', true],
        ['ACME.HR_EMAIL', true],
        ['ACME.HR_TABLE', false],
      ]);
      expect(config.autoApproveConfidence).toBeNull();
      expect(config.revision).toMatch(/^[0-9a-f]{16}$/);

      const built = buildEngine(config);
      const badges = built.classifyColumn({ name: 'badge', tableName: 'staff' }, BADGES);
      expect(badges.map(l => [l.classifierId, l.confidence])).toEqual([['ACME.EMPLOYEE_BADGE', 1]]);
      const emails = built.classifyColumn({ name: 'email', tableName: 'hr_people' }, [
        'jane@example.com',
        'bob@example.org',
        'li@example.net',
      ]);
      expect(emails.map(l => l.classifierId).sort()).toEqual([
        'ACME.HR_EMAIL',
        'PII.EMAIL_ADDRESS',
      ]);
      expect(emails.find(l => l.classifierId === 'PII.EMAIL_ADDRESS')).toMatchObject({
        sensitivity: 'RESTRICTED',
        categories: ['PII', 'SPI'],
      });

      const again = await call<EngineConfig>('GET', '/engine-config');
      expect(again.body.revision).toBe(config.revision);
      await call('PUT', '/rules/ACME.EMPLOYEE_BADGE/enabled', { enabled: false });
      const changed = await call<EngineConfig>('GET', '/engine-config');
      expect(changed.body.revision).not.toBe(config.revision);
      expect(changed.body.rules.map(r => r.id)).not.toContain('ACME.EMPLOYEE_BADGE');
      await call('PUT', '/rules/ACME.EMPLOYEE_BADGE/enabled', { enabled: true });
    });

    it('sets automatic approval (approve permission), validated and audited', async () => {
      expect((await call('PUT', '/settings', { autoApproveConfidence: 0.2 })).status).toBe(400);
      expect(
        (await call('PUT', '/settings', { autoApproveConfidence: 0.97 }, tokens.viewer)).status,
      ).toBe(403);
      const set = await call<{ autoApproveConfidence: number }>(
        'PUT',
        '/settings',
        { autoApproveConfidence: 0.97 },
        tokens['data-steward'],
      );
      expect(set.body).toMatchObject({
        autoApproveConfidence: 0.97,
        updatedBy: 'user:default/c-data-steward',
      });
      expect((await call<EngineConfig>('GET', '/engine-config')).body.autoApproveConfidence).toBe(
        0.97,
      );
      const off = await call<{ autoApproveConfidence: number | null }>('PUT', '/settings', {
        autoApproveConfidence: null,
      });
      expect(off.body.autoApproveConfidence).toBeNull();
      expect((await activity('verb=classification.settings.update&outcome=success')).length).toBe(
        2,
      );
    });
  });

  describe('search', () => {
    it('finds classifiers and custom rules in the global search', async () => {
      const res = await server.request('/api/kernel/search?q=badge');
      const { hits } = (await res.json()) as { hits: { type: string; ref: string; url: string }[] };
      expect(
        hits.find(h => h.ref === 'racine:classifications:rule/ACME.EMPLOYEE_BADGE'),
      ).toMatchObject({
        type: 'classification-rule',
        url: '/classifications/rules/ACME.EMPLOYEE_BADGE',
      });
      const iban = (await (
        await server.request('/api/kernel/search?q=iban&types=classifier')
      ).json()) as { hits: { ref: string }[] };
      expect(iban.hits.map(h => h.ref)).toContain('racine:classifications:classifier/FIN.IBAN');
    });
  });

  describe('actions', () => {
    it('classifies a column with the configured engine and never echoes the values', async () => {
      const res = await server.request('/api/kernel/actions/classifications.classifyColumn', {
        method: 'POST',
        json: { column: { name: 'badge', tableName: 'staff' }, values: BADGES },
      });
      expect(res.status).toBe(200);
      const { output } = await res.json();
      expect(output.labels.map((l: { classifierId: string }) => l.classifierId)).toEqual([
        'ACME.EMPLOYEE_BADGE',
      ]);
      expect(JSON.stringify(output)).not.toMatch(/ACME-\d{6}/);
      const bad = await server.request('/api/kernel/actions/classifications.classifyColumn', {
        method: 'POST',
        json: { column: {} },
      });
      expect(bad.status).toBe(400);
    });

    it('tests a rule through the action', async () => {
      const res = await server.request('/api/kernel/actions/classifications.testRule', {
        method: 'POST',
        json: {
          definition: { type: 'dictionary', terms: ['orion'], match: 'word', minDistinct: 1 },
          values: ['Project ORION', 'other'],
        },
      });
      expect(res.status).toBe(200);
      const { output } = await res.json();
      expect(output).toMatchObject({ fired: false, confidence: 0.5, matches: [true, false] });
      const denied = await server.request('/api/kernel/actions/classifications.testRule', {
        method: 'POST',
        json: { ruleId: 'ACME.HR_EMAIL', values: [] },
        token: tokens.viewer,
      });
      expect(denied.status).toBe(403);
    });
  });
});
