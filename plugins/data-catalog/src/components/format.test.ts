import { assetPagePath, columnRef } from '@racine/plugin-data-catalog-common';
import { describe, expect, it } from 'vitest';
import { refFromPathname } from './format';

describe('refFromPathname', () => {
  it('reads back the exact ref of an asset page, escaped slashes and dots included', () => {
    const ref = columnRef(
      'ds-1',
      '/data/shop.sqlite',
      'my/schema "x"',
      'orders.2024 ü',
      'ça.va%_/',
    );
    expect(refFromPathname(assetPagePath(ref))).toBe(ref);
    expect(refFromPathname(`${assetPagePath(ref)}/`)).toBe(ref);
  });

  it('answers undefined off an asset page or for a malformed encoding', () => {
    expect(refFromPathname('/catalog')).toBeUndefined();
    expect(refFromPathname('/catalog/asset/%E0%A4%A')).toBeUndefined();
  });
});
