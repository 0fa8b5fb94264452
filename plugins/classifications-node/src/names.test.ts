import { describe, expect, it } from 'vitest';
import { BUILTIN_CLASSIFIERS } from './classifiers/index.js';
import { columnContext, compileNameRules, NameRuleIndex, scoreName } from './names.js';
import type { ColumnInfo } from './types.js';

describe('NameRuleIndex', () => {
  const rules = BUILTIN_CLASSIFIERS.map(c => compileNameRules(c.names));
  const index = new NameRuleIndex(rules);
  const neighbours = ['id', 'customer_email', 'billing_address1', 'card_number', 'created_at'];
  const columns: ColumnInfo[] = [
    ...[
      'email',
      'customerEmailAddress',
      'ssn',
      'national_insurance_no',
      'addr_line_2',
      'address1',
      'iban',
      'phone_number',
      'dob',
      'patient_id',
      'token',
      'aws_secret_access_key',
      'order_id',
      'notes',
      'x',
      'Straße',
    ].map(name => ({
      name,
      tableName: 'customers',
      schemaName: 'crm',
      dataType: 'text',
      neighbourColumns: neighbours,
    })),
    { name: 'c7', tableName: 'payroll', comment: 'Employee social security number' },
    { name: 'value', tableName: 'patients', schemaName: 'ehr', dataType: 'inet' },
    { name: 'col', tableName: 't', neighbourColumns: [] },
  ];

  it('scores every classifier as scoring each one alone does', () => {
    for (const column of columns) {
      const ctx = columnContext(column);
      expect(index.scoreAll(ctx)).toEqual(rules.map(r => scoreName(r, ctx)));
    }
  });

  it('tokenises repeated names once and keeps their context words', () => {
    const first = columnContext(columns[0]!);
    const again = columnContext(columns[0]!);
    expect(again.column).toBe(first.column);
    expect([...again.contextTokens].sort()).toEqual([...first.contextTokens].sort());
    // `billing_address1` gives `address1` and its digit-free form as context.
    expect(first.contextTokens.has('address1')).toBe(true);
    expect(first.contextTokens.has('address')).toBe(true);
    // A column is not its own context.
    expect(
      columnContext({ ...columns[0]!, neighbourColumns: ['email'] }).contextTokens.has('email'),
    ).toBe(false);
  });
});
