import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintTables, UnknownTableError, withSession } from '../connector.js';
import { jsonFilesConnector } from './jsonFilesConnector.js';

const here = dirname(fileURLToPath(import.meta.url));
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'racine-json-'));
  writeFileSync(
    join(directory, 'people.json'),
    JSON.stringify([
      { id: 1, email: 'ada@example.com', tags: ['a'] },
      { id: 2, email: 'alan@example.com', tags: null },
      { id: 3, email: null },
    ]),
  );
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('README example connector (json-files)', () => {
  it('is quoted verbatim in the README', () => {
    const source = readFileSync(join(here, 'jsonFilesConnector.ts'), 'utf8');
    const readme = readFileSync(join(here, '../../README.md'), 'utf8');
    expect(readme).toContain(source.trim());
  });

  it('implements the session contract', async () => {
    await withSession(jsonFilesConnector, { directory }, async session => {
      const discovery = await session.discover();
      const [people] = discovery.schemas[0]!.tables;
      expect(people).toMatchObject({ schema: 'files', name: 'people', rowEstimate: 3 });
      expect(people!.columns.map(c => [c.name, c.typeCategory, c.nullable])).toEqual([
        ['id', 'integer', false],
        ['email', 'string', true],
        ['tags', 'json', true],
      ]);
      const ref = { schema: 'files', name: 'people' };
      expect((await session.sample(ref, ['email'], 2)).rows).toEqual([
        ['ada@example.com'],
        ['alan@example.com'],
      ]);
      expect(await session.profile(ref, 'email')).toMatchObject({
        rowCount: 3,
        nullCount: 1,
        distinctCount: 2,
      });
      expect(await session.fingerprint(ref)).toBe(await session.fingerprint(ref));
      await expect(
        session.sample({ schema: 'files', name: '../etc/passwd' }, [], 1),
      ).rejects.toBeInstanceOf(UnknownTableError);
      // Without fingerprintMany, scanners fall back to fingerprint per table.
      expect(session.fingerprintMany).toBeUndefined();
      expect(
        await fingerprintTables(session, [ref, { schema: 'files', name: 'missing' }, ref]),
      ).toEqual([await session.fingerprint(ref), null, await session.fingerprint(ref)]);
    });
    expect(
      await jsonFilesConnector.testConnection({ directory: join(directory, 'missing') }),
    ).toMatchObject({
      ok: false,
      errorCode: 'ENOENT',
    });
  });
});
