/**
 * Cold start of `npm start` (after a build) to the first 200 on /api/kernel/navigation,
 * on a fresh data directory. Run: npx tsx bench/cold-start.ts
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@racine/backend/testing';

const root = path.resolve(import.meta.dirname, '..');
const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-cold-'));
const base = `http://127.0.0.1:${port}`;

const started = performance.now();
const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
  cwd: root,
  env: { ...process.env, PORT: String(port), RACINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  stdio: 'ignore',
});

async function firstNavigation(): Promise<number> {
  for (;;) {
    try {
      const auth = await fetch(`${base}/api/auth/guest/refresh`, {
        method: 'POST',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (auth.ok) {
        const token = (await auth.json()).backstageIdentity.token;
        const nav = await fetch(`${base}/api/kernel/navigation`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (nav.status === 200) return performance.now() - started;
      }
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 120_000) throw new Error('no answer within 120 s');
    await new Promise(r => setTimeout(r, 50));
  }
}

try {
  const ms = await firstNavigation();
  console.log(
    `cold start (fresh ${path.basename(dataDir)}, SQLite): first 200 on /api/kernel/navigation after ${(ms / 1000).toFixed(2)} s`,
  );
} finally {
  child.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
