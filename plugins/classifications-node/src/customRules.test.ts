import type { EngineConfigInput, EngineRule } from '@racine/plugin-classifications-common';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CLASSIFIERS } from './classifiers/index.js';
import { buildEngine, DEFAULT_ENGINE_CONFIG } from './configuredEngine.js';
import {
  compileRule,
  compileRules,
  RuleCompileError,
  summarizeRuleDefinition,
} from './customRules.js';
import { ClassificationEngine } from './engine.js';
import type { ColumnInfo } from './types.js';

const column = (
  name: string,
  tableName = 'employees',
  extra: Partial<ColumnInfo> = {},
): ColumnInfo => ({
  name,
  tableName,
  ...extra,
});

function rule(
  id: string,
  definition: EngineRule['definition'],
  extra: Partial<EngineRule> = {},
): EngineRule {
  return {
    id,
    version: 1,
    name: id,
    description: '',
    categories: ['PII'],
    sensitivity: 'CONFIDENTIAL',
    enabled: true,
    definition,
    ...extra,
  };
}

const BADGES = ['ACME-123456', 'ACME-654321', 'ACME-111222', 'ACME-998877', 'acme-445566'];
const badgeRule = rule('ACME.BADGE', {
  type: 'value_regex',
  pattern: '^ACME-\\d{6}$',
  caseSensitive: false,
  minDistinct: 3,
  threshold: 0.8,
});

function config(rules: EngineRule[], extra: Partial<EngineConfigInput> = {}): EngineConfigInput {
  return { revision: 'test', classifiers: {}, rules, autoApproveConfidence: null, ...extra };
}

describe('custom rules', () => {
  it('value regex: confidence is the share of distinct values matching, examples masked', () => {
    const engine = buildEngine(config([badgeRule]));
    const labels = engine.classifyColumn(column('badge'), [...BADGES, null, '', 'N/A', 'visitor']);
    const label = labels.find(l => l.classifierId === 'ACME.BADGE');
    expect(label).toMatchObject({
      confidence: 0.833,
      sensitivity: 'CONFIDENTIAL',
      categories: ['PII'],
    });
    expect(label!.evidence).toMatchObject({
      sampledValues: 6,
      distinctValues: 6,
      matchShare: 0.833,
    });
    expect(label!.evidence.summary).toBe('5 of 6 distinct values match /^ACME-\\d{6}$/ (83%)');
    const json = JSON.stringify(labels);
    for (const raw of BADGES) expect(json).not.toContain(raw);
    expect(label!.evidence.examples[0]).toBe('AC**-****56');
  });

  it('value regex: below its threshold or its minimum of distinct values it does not fire', () => {
    const engine = buildEngine(config([badgeRule]));
    const ids = (values: unknown[]) =>
      engine.classifyColumn(column('badge'), values).map(l => l.classifierId);
    expect(ids(['ACME-123456', 'ACME-654321', 'x1', 'x2', 'x3'])).not.toContain('ACME.BADGE');
    expect(ids(['ACME-123456', 'ACME-654321'])).not.toContain('ACME.BADGE');
    const outcome = engine.explainRule('ACME.BADGE', column('badge'), [
      'ACME-123456',
      'ACME-654321',
    ]);
    expect(outcome.evidence.negativeSignals).toEqual([
      'only 2 distinct value(s); the rule needs 3',
    ]);
    expect(outcome.matches).toEqual([true, true]);
  });

  it('value regex: case sensitivity is honoured', () => {
    const strict = rule('ACME.BADGE', {
      type: 'value_regex',
      pattern: '^ACME-\\d{6}$',
      caseSensitive: true,
      minDistinct: 1,
      threshold: 1,
    });
    const engine = buildEngine(config([strict]));
    expect(
      engine.explainRule('ACME.BADGE', column('b'), ['ACME-123456', 'acme-123456']).matches,
    ).toEqual([true, false]);
  });

  it('name regex on the column or the table', () => {
    const onColumn = rule('ACME.HR_FIELD', {
      type: 'name_regex',
      pattern: '^emp_',
      caseSensitive: false,
      target: 'column',
      confidence: 0.75,
      threshold: 0.5,
    });
    const onTable = rule('ACME.HR_TABLE', {
      type: 'name_regex',
      pattern: '^hr_',
      caseSensitive: false,
      target: 'table',
      confidence: 0.9,
      threshold: 0.5,
    });
    const engine = buildEngine(config([onColumn, onTable]));
    const a = engine.classifyColumn(column('EMP_grade', 'hr_people'), []);
    expect(a.map(l => [l.classifierId, l.confidence])).toEqual([
      ['ACME.HR_TABLE', 0.9],
      ['ACME.HR_FIELD', 0.75],
    ]);
    expect(a[1]!.evidence.nameMatch).toEqual({
      source: 'column',
      term: 'EMP_grade',
      strength: 'strong',
    });
    expect(a[0]!.evidence.summary).toBe("table name 'hr_people' matches /^hr_/");
    expect(engine.classifyColumn(column('grade', 'people'), []).map(l => l.classifierId)).toEqual(
      [],
    );
  });

  it('dictionary: case- and accent-folded, whole values or words', () => {
    const projects = rule('ACME.PROJECT', {
      type: 'dictionary',
      terms: ['Zoë', 'Saint-Étienne', 'Orion'],
      match: 'value',
      minDistinct: 3,
      threshold: 0.6,
    });
    const engine = buildEngine(config([projects]));
    const values = ['ZOE', 'saint etienne', 'orion', 'Apollo'];
    const outcome = engine.explainRule('ACME.PROJECT', column('codename', 'projects'), values);
    expect(outcome).toMatchObject({ fired: true, confidence: 0.75 });
    expect(outcome.matches).toEqual([true, true, true, false]);
    expect(outcome.evidence.dictionary).toEqual({ name: 'ACME.PROJECT list (3 terms)', hits: 3 });
    expect(outcome.evidence.examples).toEqual(['Z**', 's**** *******', 'o****']);

    const words = rule('ACME.PROJECT', {
      type: 'dictionary',
      terms: ['orion'],
      match: 'word',
      minDistinct: 1,
      threshold: 0.5,
    });
    const w = buildEngine(config([words])).explainRule('ACME.PROJECT', column('notes'), [
      'Project ORION phase 2',
      'other',
    ]);
    expect(w.matches).toEqual([true, false]);
  });

  it('composite: AND / OR / NOT of custom rules and built-in classifiers', () => {
    const hrTable = rule(
      'ACME.HR_TABLE',
      {
        type: 'name_regex',
        pattern: '^hr_',
        caseSensitive: false,
        target: 'table',
        confidence: 0.9,
        threshold: 0.5,
      },
      { enabled: false },
    );
    const hrEmail = rule('ACME.HR_EMAIL', {
      type: 'composite',
      expression: { op: 'and', of: [{ ref: 'PII.EMAIL_ADDRESS' }, { ref: 'ACME.HR_TABLE' }] },
      threshold: 0.5,
    });
    const notBadge = rule('ACME.NOT_BADGE_EMAIL', {
      type: 'composite',
      expression: {
        op: 'and',
        of: [{ ref: 'PII.EMAIL_ADDRESS' }, { op: 'not', of: [{ ref: 'ACME.BADGE' }] }],
      },
      threshold: 0.5,
    });
    const either = rule('ACME.BADGE_OR_HR', {
      type: 'composite',
      expression: { op: 'or', of: [{ ref: 'ACME.BADGE' }, { ref: 'ACME.HR_TABLE' }] },
      threshold: 0.5,
    });
    // The email classifier is switched off: it still answers as an operand.
    const engine = buildEngine(
      config([{ ...badgeRule, enabled: false }, hrTable, hrEmail, notBadge, either], {
        classifiers: { 'PII.EMAIL_ADDRESS': { enabled: false } },
      }),
    );
    const emails = ['jane@example.com', 'bob@example.org', 'li@example.net', 'zoe@example.fr'];
    const hr = engine.classifyColumn(column('contact', 'hr_people'), emails);
    expect(hr.map(l => l.classifierId).sort()).toEqual([
      'ACME.BADGE_OR_HR',
      'ACME.HR_EMAIL',
      'ACME.NOT_BADGE_EMAIL',
    ]);
    const hrEmailLabel = hr.find(l => l.classifierId === 'ACME.HR_EMAIL')!;
    expect(hrEmailLabel.confidence).toBe(0.9);
    expect(hrEmailLabel.evidence.matchShare).toBe(1);
    expect(hrEmailLabel.evidence.examples[0]).toBe('j***@example.com');
    expect(hrEmailLabel.evidence.summary).toMatch(
      /^all of \[PII\.EMAIL_ADDRESS fired \(0\.9\d+\); ACME\.HR_TABLE fired \(0\.9\)\]$/,
    );

    const sales = engine
      .classifyColumn(column('contact', 'sales'), emails)
      .map(l => l.classifierId);
    expect(sales).toEqual(['ACME.NOT_BADGE_EMAIL']);
    const badges = engine
      .classifyColumn(column('contact', 'sales'), BADGES)
      .map(l => l.classifierId);
    expect(badges).toEqual(['ACME.BADGE_OR_HR']);
    const explained = engine.explainRule('ACME.HR_EMAIL', column('contact', 'sales'), emails);
    expect(explained.fired).toBe(false);
    expect(explained.operands).toEqual([
      { ref: 'PII.EMAIL_ADDRESS', fired: true, confidence: expect.any(Number) },
      { ref: 'ACME.HR_TABLE', fired: false, confidence: 0 },
    ]);
  });

  it('refuses cycles, duplicate ids, invalid patterns and built-in ids', () => {
    const a = rule('X.A', {
      type: 'composite',
      expression: { op: 'or', of: [{ ref: 'X.B' }, { ref: 'PII.EMAIL_ADDRESS' }] },
      threshold: 0.5,
    });
    const b = rule('X.B', {
      type: 'composite',
      expression: { op: 'not', of: [{ ref: 'X.A' }] },
      threshold: 0.5,
    });
    expect(() => compileRules([a, b])).toThrow(/cycle: X\.A → X\.B → X\.A/);
    expect(() => compileRules([badgeRule, badgeRule])).toThrow(RuleCompileError);
    expect(() =>
      compileRule(
        rule('X.C', {
          type: 'value_regex',
          pattern: '([a-z]',
          caseSensitive: false,
          minDistinct: 1,
          threshold: 0.5,
        }),
      ),
    ).toThrow(/Invalid regular expression \/\(\[a-z\]\//);
    expect(() =>
      compileRule(
        rule('PII.MINE', {
          type: 'name_regex',
          pattern: 'x',
          caseSensitive: false,
          target: 'column',
          confidence: 1,
          threshold: 0.5,
        }),
      ),
    ).toThrow();
  });

  it('summarizes definitions in one line', () => {
    expect(summarizeRuleDefinition(badgeRule.definition)).toBe(
      'values match /^ACME-\\d{6}$/i (≥ 80% of distinct values)',
    );
    expect(
      summarizeRuleDefinition({
        type: 'composite',
        threshold: 0.5,
        expression: { op: 'and', of: [{ ref: 'A.B' }, { op: 'not', of: [{ ref: 'C.D' }] }] },
      }),
    ).toBe('(A.B AND NOT C.D)');
  });
});

describe('buildEngine', () => {
  it('an empty configuration labels exactly like the default engine', () => {
    const configured = buildEngine(DEFAULT_ENGINE_CONFIG);
    const plain = new ClassificationEngine();
    const cols: [ColumnInfo, unknown[]][] = [
      [
        column('card_number', 'payments'),
        ['4111111111111111', '5555555555554444', '4012888888881881'],
      ],
      [column('email', 'users'), ['a@example.com', 'b@example.org', 'c@example.net']],
      [column('notes', 'users'), ['hello there', 'call me later', 'fine']],
    ];
    for (const [c, v] of cols)
      expect(configured.classifyColumn(c, v)).toEqual(plain.classifyColumn(c, v));
  });

  it('applies overrides: disabled, threshold, sensitivity and categories', () => {
    const engine = buildEngine(
      config([], {
        classifiers: {
          'PII.EMAIL_ADDRESS': { sensitivity: 'RESTRICTED', categories: ['PII', 'SPI'] },
          'FIN.CREDIT_CARD_NUMBER': { enabled: false },
          'PII.PHONE_NUMBER': { threshold: 1 },
          'NO.SUCH_CLASSIFIER': { enabled: false },
        },
      }),
    );
    const [email] = engine.classifyColumn(column('email', 'users'), [
      'a@example.com',
      'b@example.org',
      'c@example.net',
    ]);
    expect(email).toMatchObject({
      classifierId: 'PII.EMAIL_ADDRESS',
      sensitivity: 'RESTRICTED',
      categories: ['PII', 'SPI'],
    });
    expect(
      engine.classifyColumn(column('card_number', 'payments'), [
        '4111111111111111',
        '5555555555554444',
        '4012888888881881',
      ]),
    ).toEqual([]);
    expect(
      engine.classifyColumn(column('phone', 'users'), [
        '+1 415 555 0100',
        '+44 20 7946 0958',
        '+33 1 42 68 53 00',
      ]),
    ).toEqual([]);
    const info = engine.classifiers.find(c => c.id === 'FIN.CREDIT_CARD_NUMBER');
    expect(info).toMatchObject({ kind: 'builtin', labels: false });
    // The library itself is untouched.
    expect(BUILTIN_CLASSIFIERS.find(c => c.id === 'PII.EMAIL_ADDRESS')!.sensitivity).toBe(
      'CONFIDENTIAL',
    );
  });

  it('narrows to a selection and applies a confidence floor to custom rules too', () => {
    const engine = buildEngine(config([badgeRule]), {
      select: c => c.categories.includes('FINANCIAL'),
      minConfidence: 0.9,
    });
    expect(engine.classifyColumn(column('badge'), BADGES)).toEqual([]);
    expect(
      engine.classifyColumn(column('email'), ['a@example.com', 'b@example.org', 'c@example.net']),
    ).toEqual([]);
    const all = buildEngine(config([badgeRule]), { minConfidence: 0.9 });
    expect(all.classifyColumn(column('badge'), BADGES).map(l => l.classifierId)).toEqual([
      'ACME.BADGE',
    ]);
    expect(all.classifyColumn(column('badge'), [...BADGES, 'x']).map(l => l.classifierId)).toEqual(
      [],
    );
  });

  it('rejects configurations that do not parse', () => {
    expect(() =>
      buildEngine({ revision: 'x', rules: [{ ...badgeRule, categories: [] }] }),
    ).toThrow();
  });
});
