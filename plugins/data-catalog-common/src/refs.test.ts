import { describe, expect, it } from 'vitest';
import { assetRef, columnRef, parseAssetRef } from './refs';

describe('asset refs', () => {
  it('round-trips hostile identifiers', () => {
    const segments = ['ds-1', 'db.main', 'my/schema', 'x"; DROP TABLE t; --', 'clients_é.100%'];
    const ref = assetRef('column', segments);
    expect(ref).toBe(
      'racine:data-catalog:column/ds-1.db%2Emain.my%2Fschema.x"; DROP TABLE t; --.clients_é%2E100%25',
    );
    expect(parseAssetRef(ref)).toEqual({ type: 'column', segments });
  });

  it('builds column refs and rejects foreign refs', () => {
    expect(columnRef('s', 'd', 'public', 'users', 'email')).toBe(
      'racine:data-catalog:column/s.d.public.users.email',
    );
    expect(() => parseAssetRef('racine:datasources:datasource/1')).toThrow();
  });
});
