import { describe, expect, it } from 'vitest';
import {
  BUILTIN_CLASSIFIERS,
  CREDIT_CARD_NUMBER,
  EMAIL_ADDRESS,
  defineClassifier,
} from './classifiers/index.js';
import { ClassificationEngine } from './engine.js';
import { maskKeepEnds } from './mask.js';
import { CH_DIGIT, CH_LETTER, type Classifier, type ColumnInfo, type ValueShape } from './types.js';

const engine = new ClassificationEngine();
const column = (name: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  tableName: 'customers',
  ...extra,
});

const CARDS = ['4111111111111111', '5555555555554444', '4012888888881881', '6011111111111117'];
const SSNS = ['536-22-1475', '219-45-1122', '401-77-9912', '478-21-9034'];

describe('ClassificationEngine.classifyColumn', () => {
  it('explains a label with value, validator and name evidence', () => {
    const [label, ...rest] = engine.classifyColumn(
      column('card_number', { neighbourColumns: ['cvv', 'exp_date'] }),
      CARDS,
    );
    expect(rest).toEqual([]);
    expect(label).toMatchObject({
      classifierId: 'FIN.CREDIT_CARD_NUMBER',
      sensitivity: 'RESTRICTED',
      categories: ['PCI', 'FINANCIAL'],
    });
    expect(label!.confidence).toBeGreaterThan(0.95);
    const e = label!.evidence;
    expect(e.matchShare).toBe(1);
    expect(e.validator).toEqual({ name: 'luhn+iin', passed: 4, checked: 4 });
    expect(e.nameMatch).toEqual({ source: 'column', term: 'card_number', strength: 'strong' });
    expect(e.contextWords).toEqual(expect.arrayContaining(['cvv']));
    expect(e.examples).toEqual([
      '4111 **** **** 1111',
      '5555 **** **** 4444',
      '4012 **** **** 1881',
    ]);
    expect(e.summary).toContain('4/4 pass luhn+iin');
  });

  it('never puts raw values in the output', () => {
    const out = JSON.stringify([
      engine.classifyColumn(column('ssn'), SSNS),
      engine.classifyColumn(column('pan'), CARDS),
      engine.classifyColumn(column('email'), [
        'jane.doe@example.com',
        'bob.smith@example.org',
        'x@example.io',
      ]),
      engine.classifyColumn(column('password'), ['hunter2', 'Summer2019!', 'letmein']),
    ]);
    for (const raw of [
      ...SSNS,
      ...SSNS.map(s => s.replace(/-/g, '')),
      ...CARDS,
      'jane.doe',
      'bob.smith',
      'hunter2',
      'Summer2019',
      'letmein',
    ]) {
      expect(out).not.toContain(raw);
    }
  });

  it('keeps at most three masked examples', () => {
    const emails = Array.from({ length: 20 }, (_, i) => `user${i}@example.com`);
    const [label] = engine.classifyColumn(column('email'), emails);
    expect(label!.evidence.examples).toHaveLength(3);
  });

  it('ignores nulls, empty strings and placeholders', () => {
    const values = [null, undefined, '', '   ', 'N/A', 'null', ...SSNS, null];
    const [label] = engine.classifyColumn(column('ssn'), values);
    expect(label!.classifierId).toBe('GOV.US_SSN');
    expect(label!.evidence.sampledValues).toBe(4);
    expect(label!.evidence.matchShare).toBe(1);
  });

  it('does not count value evidence below the minimum number of distinct values', () => {
    // Ten copies of one 3-digit value prove nothing about CVVs; the name alone decides.
    const [label] = engine.classifyColumn(column('cvv'), Array(10).fill('123'));
    expect(label!.evidence.matchShare).toBeNull();
    expect(engine.classifyColumn(column('code'), Array(10).fill('123'))).toEqual([]);
  });

  it('uses the data type: booleans are never labelled, inet supports IP addresses', () => {
    expect(engine.classifyColumn(column('ssn', { dataType: 'boolean' }), [true, false])).toEqual(
      [],
    );
    const [label] = engine.classifyColumn(column('src', { dataType: 'inet' }), [
      '10.0.0.1',
      '10.0.0.2',
      '192.168.0.7',
    ]);
    expect(label!.evidence.contextWords).toEqual(['inet']);
  });

  it('uses the name alone when no values were sampled', () => {
    const [label] = engine.classifyColumn(column('date_of_birth'), []);
    expect(label!.classifierId).toBe('PII.DATE_OF_BIRTH');
    expect(label!.evidence.summary).toContain('no values sampled');
  });

  it('lets values overrule a misleading name', () => {
    expect(engine.classifyColumn(column('email'), [1, 2, 3, 4, 5, 6])).toEqual([]);
    expect(engine.classifyColumn(column('phone'), ['active', 'inactive', 'pending'])).toEqual([]);
  });

  it('resolves overlaps: a card column is not also a bank account', () => {
    const labels = engine.classifyColumn(
      column('account_number', { tableName: 'bank_accounts' }),
      CARDS,
    );
    expect(labels.map(l => l.classifierId)).toEqual(['FIN.CREDIT_CARD_NUMBER']);
  });

  it('gives two labels to a column that mixes two kinds of data', () => {
    const labels = engine.classifyColumn(column('contact'), [
      'jane.roe@example.com',
      '+1 415 555 0101',
      'ali.hassan@example.com',
      '(312) 555-0177',
      'tanaka@example.jp',
      '+44 20 7946 0018',
    ]);
    expect(labels.map(l => l.classifierId).sort()).toEqual([
      'PII.EMAIL_ADDRESS',
      'PII.PHONE_NUMBER',
    ]);
  });

  it('records negative signals that lowered the confidence', () => {
    const labels = new ClassificationEngine(BUILTIN_CLASSIFIERS, {
      thresholds: { 'FIN.CARD_CVV': 0.01 },
    }).classifyColumn(column('cvv'), ['2324', '2425', '2223', '2526', '1920']);
    const cvv = labels.find(l => l.classifierId === 'FIN.CARD_CVV');
    expect(cvv!.evidence.negativeSignals.join(' ')).toContain('academic-year');
    expect(cvv!.confidence).toBeLessThan(0.2);
  });
});

describe('engine options', () => {
  it('enables classifiers by id or category and disables others', () => {
    const pciOnly = new ClassificationEngine(BUILTIN_CLASSIFIERS, { enabled: ['PCI'] });
    expect(pciOnly.classifiers.every(c => c.categories.includes('PCI'))).toBe(true);
    expect(
      pciOnly.classifyColumn(column('email'), ['a@example.com', 'b@example.com', 'c@example.com']),
    ).toEqual([]);
    const noEmail = new ClassificationEngine(BUILTIN_CLASSIFIERS, {
      disabled: ['PII.EMAIL_ADDRESS'],
    });
    expect(noEmail.classifiers.some(c => c.id === 'PII.EMAIL_ADDRESS')).toBe(false);
  });

  it('applies threshold, sensitivity and minimum-confidence overrides', () => {
    const values = ['a@example.com', 'b@example.com', 'c@example.com'];
    const strict = new ClassificationEngine(BUILTIN_CLASSIFIERS, {
      thresholds: { 'PII.EMAIL_ADDRESS': 0.999 },
    });
    expect(strict.classifyColumn(column('x'), values)).toEqual([]);
    const relabelled = new ClassificationEngine(BUILTIN_CLASSIFIERS, {
      sensitivities: { 'PII.EMAIL_ADDRESS': 'RESTRICTED' },
    });
    expect(relabelled.classifyColumn(column('email'), values)[0]!.sensitivity).toBe('RESTRICTED');
    const floor = new ClassificationEngine(BUILTIN_CLASSIFIERS, { minConfidence: 0.99 });
    expect(floor.classifyColumn(column('zip'), ['94105', '10001', '60601'])).toEqual([]);
  });

  it('rejects unknown ids and out-of-range values', () => {
    expect(() => new ClassificationEngine(BUILTIN_CLASSIFIERS, { enabled: ['PII.EMAIL'] })).toThrow(
      /Unknown classifier/,
    );
    expect(
      () =>
        new ClassificationEngine(BUILTIN_CLASSIFIERS, { thresholds: { 'PII.EMAIL_ADDRESS': 2 } }),
    ).toThrow();
    expect(() => new ClassificationEngine([EMAIL_ADDRESS, EMAIL_ADDRESS])).toThrow(/Duplicate/);
  });
});

describe('fast paths', () => {
  it('classifyValue returns the strongest single-value match', () => {
    expect(engine.classifyValue('4111 1111 1111 1111')).toEqual({
      classifierId: 'FIN.CREDIT_CARD_NUMBER',
      strength: 0.95,
    });
    expect(engine.classifyValue('jane@example.com')?.classifierId).toBe('PII.EMAIL_ADDRESS');
    expect(engine.classifyValue('hello world')).toBeUndefined();
    expect(engine.classifyValue(null)).toBeUndefined();
  });

  it('classifyValues counts confident matches per classifier', () => {
    const scan = engine.classifyValues([
      '4111111111111111',
      'a@example.com',
      'b@example.com',
      'nothing',
      42,
      null,
    ]);
    expect(scan).toEqual({
      values: 5,
      matches: { 'FIN.CREDIT_CARD_NUMBER': 1, 'PII.EMAIL_ADDRESS': 2 },
    });
  });
});

describe('extensibility', () => {
  const EMPLOYEE_BADGE: Classifier = defineClassifier({
    id: 'ACME.EMPLOYEE_BADGE',
    name: 'ACME badge number',
    description: 'Badge numbers like ACME-123456.',
    categories: ['PII'],
    sensitivity: 'INTERNAL',
    threshold: 0.6,
    examples: ['ACME-123456'],
    names: { strong: ['badge', 'badge_no'] },
    value: {
      minDistinct: 2,
      minLength: 11,
      maxLength: 11,
      requires: CH_DIGIT | CH_LETTER,
      test: (s: ValueShape) => (/^ACME-\d{6}$/.test(s.text) ? 0.9 : 0),
      mask: (v: string) => maskKeepEnds(v, 4, 0),
    },
  });

  it('runs custom classifiers next to the built-in ones', () => {
    const custom = new ClassificationEngine([...BUILTIN_CLASSIFIERS, EMPLOYEE_BADGE]);
    const [label] = custom.classifyColumn(column('ref'), [
      'ACME-123456',
      'ACME-654321',
      'ACME-000042',
    ]);
    expect(label).toMatchObject({ classifierId: 'ACME.EMPLOYEE_BADGE', sensitivity: 'INTERNAL' });
    expect(label!.evidence.examples).toEqual(['ACME-******', 'ACME-******', 'ACME-******']);
  });

  it('can run a single classifier on its own', () => {
    const only = new ClassificationEngine([CREDIT_CARD_NUMBER]);
    expect(only.classifyColumn(column('email'), ['a@example.com', 'b@example.com'])).toEqual([]);
    expect(only.classifyColumn(column('x'), CARDS)[0]!.classifierId).toBe('FIN.CREDIT_CARD_NUMBER');
  });
});
