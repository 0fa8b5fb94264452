#!/usr/bin/env node
// Keeps TypeScript project references in step with the workspace dependency graph: each
// package's tsconfig.json references the workspace packages its package.json depends on,
// and the root tsconfig.json references every package. Run by `npm run typecheck`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['kernel', 'packages', 'plugins'].flatMap(group =>
  fs
    .readdirSync(path.join(root, group), { withFileTypes: true })
    .filter(d => d.isDirectory() && fs.existsSync(path.join(root, group, d.name, 'package.json')))
    .map(d => `${group}/${d.name}`),
);
const byName = new Map(
  dirs.map(dir => [
    JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')).name,
    dir,
  ]),
);

async function write(file, json) {
  // Formatted as `prettier --check` expects, so lint stays green after a rewrite.
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(json), { ...options, filepath: file });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
}

for (const dir of dirs) {
  const file = path.join(root, dir, 'tsconfig.json');
  if (!fs.existsSync(file)) continue;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
  // Only runtime dependencies: tests are checked separately (tsconfig.tests.json), which
  // keeps test-only links (a plugin's API test booting the whole backend) out of the graph.
  const deps = Object.keys(pkg.dependencies ?? {}).filter(n => byName.has(n));
  const tsconfig = JSON.parse(fs.readFileSync(file, 'utf8'));
  tsconfig.exclude = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/__fixtures__/**'];
  tsconfig.references = deps
    .sort()
    .map(n => ({ path: path.relative(path.join(root, dir), path.join(root, byName.get(n))) }));
  if (tsconfig.references.length === 0) delete tsconfig.references;
  await write(file, tsconfig);
}
await write(path.join(root, 'tsconfig.json'), {
  files: [],
  references: dirs
    .filter(d => fs.existsSync(path.join(root, d, 'tsconfig.json')))
    .map(d => ({ path: d })),
});
