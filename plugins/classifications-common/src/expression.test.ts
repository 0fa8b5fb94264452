import { describe, expect, it } from 'vitest';
import {
  ExpressionSyntaxError,
  formatCompositeExpression,
  parseCompositeExpression,
} from './expression';
import { compositeRuleSchema } from './rules';

describe('composite expressions as text', () => {
  it('parses precedence, NOT and parentheses, and formats back', () => {
    const e = parseCompositeExpression(
      'pii.email_address and not ACME.HR_TABLE or (ACME.A OR ACME.B) AND ACME.C',
    );
    expect(e).toEqual({
      op: 'or',
      of: [
        {
          op: 'and',
          of: [{ ref: 'PII.EMAIL_ADDRESS' }, { op: 'not', of: [{ ref: 'ACME.HR_TABLE' }] }],
        },
        {
          op: 'and',
          of: [{ op: 'or', of: [{ ref: 'ACME.A' }, { ref: 'ACME.B' }] }, { ref: 'ACME.C' }],
        },
      ],
    });
    expect(formatCompositeExpression(e)).toBe(
      'PII.EMAIL_ADDRESS AND NOT ACME.HR_TABLE OR (ACME.A OR ACME.B) AND ACME.C',
    );
    expect(compositeRuleSchema.safeParse({ type: 'composite', expression: e }).success).toBe(true);
    expect(parseCompositeExpression('A.B AND C.D AND E.F')).toEqual({
      op: 'and',
      of: [{ ref: 'A.B' }, { ref: 'C.D' }, { ref: 'E.F' }],
    });
    expect(formatCompositeExpression(parseCompositeExpression('NOT (A.B OR C.D)'))).toBe(
      'NOT (A.B OR C.D)',
    );
  });

  it('explains syntax errors', () => {
    for (const bad of ['', 'A.B AND', '(A.B', 'A.B C.D', 'A.B AND $', 'email']) {
      expect(() => parseCompositeExpression(bad)).toThrow(ExpressionSyntaxError);
    }
  });
});
