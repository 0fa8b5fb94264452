import { describe, expect, it } from 'vitest';
import { labelSuggestions } from './labelSuggestions';

const known = ['PII.EMAIL_ADDRESS', 'PII.PHONE_NUMBER', 'FINANCIAL.IBAN', 'custom.email_domain'];

describe('labelSuggestions', () => {
  it('suggests the ids holding every word of the text, whatever the case', () => {
    expect(labelSuggestions('pii.email', known)).toEqual(['PII.EMAIL_ADDRESS']);
    expect(labelSuggestions('Email', known)).toEqual(['PII.EMAIL_ADDRESS', 'custom.email_domain']);
    expect(labelSuggestions(' iban ', known)).toEqual(['FINANCIAL.IBAN']);
    expect(labelSuggestions('phone number', known)).toEqual(['PII.PHONE_NUMBER']);
  });

  it('suggests nothing for the exact id, for blank text or for text no id holds', () => {
    expect(labelSuggestions('pii.email_address', known)).toEqual([]);
    expect(labelSuggestions('  ', known)).toEqual([]);
    expect(labelSuggestions('ssn', known)).toEqual([]);
  });

  it('keeps at most `max` suggestions, in the order given', () => {
    expect(labelSuggestions('i', known, 2)).toEqual(['PII.EMAIL_ADDRESS', 'PII.PHONE_NUMBER']);
  });
});
