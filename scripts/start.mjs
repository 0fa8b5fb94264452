#!/usr/bin/env node
// `npm start`: builds the shell if it is missing, then serves the app and the API on one
// port (PORT, default 7007) with data under RACINE_DATA_DIR (default ./data).
// Extra config files: `npm start -- --config app-config.yaml --config more.yaml`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (!args.includes('--config')) args.push('--config', path.join(root, 'app-config.yaml'));

const dataDir = path.resolve(process.env.RACINE_DATA_DIR ?? path.join(root, 'data'));
fs.mkdirSync(dataDir, { recursive: true });

if (!fs.existsSync(path.join(root, 'packages/app/dist/index.html'))) {
  console.log('Building the Racine shell (first start)…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'packages/backend/src/index.ts'), ...args],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      NODE_ENV: 'development',
      ...process.env,
      RACINE_DATA_DIR: dataDir,
      PORT: process.env.PORT ?? '7007',
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
