import { describe, expect, it } from 'vitest';
import { propertiesToText, textToProperties } from './propertiesText';

describe('custom properties as key=value lines', () => {
  it('reads plain numbers and booleans as such, and everything else as text', () => {
    expect(
      textToProperties(
        [
          'retentionDays=365',
          'ratio = -1.5',
          'pii=true',
          'cost_center=00123',
          'schema_version=1.10',
          'zip=02134',
          'code=0x1F',
          'huge=1e400',
          'quoted="365"',
          'url=https://x.example/?a=b',
          '=orphan',
          'no equals sign',
          '',
        ].join('\n'),
      ),
    ).toEqual({
      retentionDays: 365,
      ratio: -1.5,
      pii: true,
      cost_center: '00123',
      schema_version: '1.10',
      zip: '02134',
      code: '0x1F',
      huge: '1e400',
      quoted: '365',
      url: 'https://x.example/?a=b',
    });
  });

  it('gives back what it showed, whatever the values', () => {
    const properties = {
      days: 365,
      on: false,
      text365: '365',
      textTrue: 'true',
      zip: '02134',
      quotes: '"hi"',
      spaced: ' padded ',
      plain: 'salesforce',
      empty: '',
      lines: 'one\ntwo',
    };
    expect(textToProperties(propertiesToText(properties))).toEqual(properties);
    expect(propertiesToText({ zip: '02134', text365: '365' })).toBe('zip=02134\ntext365="365"');
  });
});
