import { defineConfig } from 'vitest/config';

// Two projects: `unit` (every store, service and API test; runs on SQLite by default and on
// PostgreSQL when RACINE_TEST_DB=postgres) and `browser` (headless Chromium against a real
// `npm start`-style server). `npm test` runs `unit`; CI also runs `browser`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{kernel,packages,plugins}/*/src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          setupFiles: ['./scripts/vitest.setup.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
