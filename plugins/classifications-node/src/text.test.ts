import { describe, expect, it } from 'vitest';
import {
  maskCardNumber,
  maskEmail,
  maskKeepEnds,
  maskSecret,
  maskTail,
  maskWords,
} from './mask.js';
import { fold, shapeOf, tokenizeName, valueToText } from './text.js';
import { CH_AT, CH_DIGIT, CH_DOT, CH_SPACE } from './types.js';

describe('fold', () => {
  it('lower-cases and strips accents', () => {
    expect(fold('Zoë Müller')).toBe('zoe muller');
    expect(fold('Straße')).toBe('strasse');
    expect(fold('ŁÓDŹ')).toBe('lodz');
    expect(fold('São Paulo')).toBe('sao paulo');
    expect(fold('plain')).toBe('plain');
  });
});

describe('tokenizeName', () => {
  it('splits snake, camel, Pascal and upper-case names', () => {
    expect(tokenizeName('customerEmailAddress')).toEqual(['customer', 'email', 'address']);
    expect(tokenizeName('CUSTOMER_EMAIL')).toEqual(['customer', 'email']);
    expect(tokenizeName('SSNNumber')).toEqual(['ssn', 'number']);
    expect(tokenizeName('addr-line 1')).toEqual(['addr', 'line', '1']);
    expect(tokenizeName('Geburtsdatum')).toEqual(['geburtsdatum']);
  });
});

describe('valueToText', () => {
  it('drops nulls, blanks and placeholders and stringifies scalars', () => {
    expect(valueToText(null)).toBeUndefined();
    expect(valueToText(undefined)).toBeUndefined();
    expect(valueToText('   ')).toBeUndefined();
    expect(valueToText('N/A')).toBeUndefined();
    expect(valueToText('null')).toBeUndefined();
    expect(valueToText({ a: 1 })).toBeUndefined();
    expect(valueToText(NaN)).toBeUndefined();
    expect(valueToText(' 42 ')).toBe('42');
    expect(valueToText(42)).toBe('42');
    expect(valueToText(12345678901234567890n)).toBe('12345678901234567890');
    expect(valueToText(new Date(Date.UTC(1984, 2, 12)))).toBe('1984-03-12T00:00:00.000Z');
  });
});

describe('shapeOf', () => {
  it('counts character classes and flags', () => {
    const s = shapeOf('Jane.Doe@example.com 1');
    expect(s.letters).toBe(17);
    expect(s.digits).toBe(1);
    expect(s.flags & CH_AT).toBeTruthy();
    expect(s.flags & CH_DOT).toBeTruthy();
    expect(s.flags & CH_SPACE).toBeTruthy();
    expect(s.flags & CH_DIGIT).toBeTruthy();
  });
});

describe('masking', () => {
  it('keeps only the first four and last four digits of a card', () => {
    expect(maskCardNumber('4111111111111111')).toBe('4111 **** **** 1111');
    expect(maskCardNumber('4111-1111-1111-1111')).toBe('4111 **** **** 1111');
    expect(maskCardNumber('378282246310005')).toBe('3782 ****** *0005');
  });
  it('masks e-mail local parts', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
  });
  it('keeps format but never reveals more than half of the characters', () => {
    expect(maskTail('123-45-6789')).toBe('***-**-6789');
    expect(maskKeepEnds('1234', 4, 4)).toBe('1**4');
    expect(maskKeepEnds('AB', 1, 0)).toBe('A*');
    expect(maskWords('Jane Doe')).toBe('J*** D**');
    expect(maskSecret('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…[20 chars]');
  });
});
