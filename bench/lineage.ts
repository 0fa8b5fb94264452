/**
 * Lineage walks: a 5-hop lineage query over a 1,000-node graph (10 layers of 100 tables,
 * each fed by 3 tables of the layer before: 2,700 edges, plus 3 columns per table linked
 * alike), on SQLite and on PostgreSQL. Times the recursive walk alone (store) and the whole
 * `GET /lineage` answer (walk + edges + node details), downstream and both ways.
 * Run: npx tsx bench/lineage.ts [tables] [runs]
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createTestDatabase } from '@racine/kernel-node/testing';
import { tableRef } from '@racine/plugin-data-catalog-common';
import { KnexCatalogStore } from '../plugins/data-catalog-backend/src/database/CatalogStore';
import { migrateCatalogDatabase } from '../plugins/data-catalog-backend/src/database/migrations';
import {
  DATA_FLOW_KINDS,
  KnexLineageStore,
  type LineageEdgeInput,
} from '../plugins/data-catalog-backend/src/lineage/LineageStore';
import { LineageService } from '../plugins/data-catalog-backend/src/lineage/LineageService';

const tables = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 50);
const layers = 10;
const perLayer = Math.ceil(tables / layers);
const fanIn = 3;

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  child: () => silent,
} as unknown as LoggerService;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(label: string, work: () => Promise<unknown>) {
  await work(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(44)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(samples, 95).toFixed(1).padStart(7)} ms`,
  );
}

async function run(kind: 'sqlite' | 'postgres') {
  process.env.RACINE_TEST_DB = kind;
  const db = await createTestDatabase();
  try {
    await migrateCatalogDatabase(db.knex);
    const lineageStore = new KnexLineageStore(db.knex);
    const service = new LineageService({
      knex: db.knex,
      store: lineageStore,
      catalog: new KnexCatalogStore(db.knex),
      logger: silent,
    });
    const ref = (layer: number, i: number) =>
      tableRef('bench', 'warehouse', `layer_${layer}`, `t_${i}`);
    const column = (layer: number, i: number, c: number) =>
      `${ref(layer, i)}.c${c}`.replace(':table/', ':column/');
    // Deterministic pseudo-random fan-in.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const edges: LineageEdgeInput[] = [];
    for (let layer = 1; layer < layers; layer++) {
      for (let i = 0; i < perLayer; i++) {
        const sources = new Set<number>();
        while (sources.size < fanIn) sources.add(Math.floor(random() * perLayer));
        for (const s of sources) {
          edges.push({
            from: ref(layer - 1, s),
            to: ref(layer, i),
            kind: 'manual',
            level: 'table',
          });
          for (let c = 0; c < 3; c++) {
            edges.push({
              from: column(layer - 1, s, c),
              to: column(layer, i, c),
              kind: 'manual',
              level: 'column',
              fromParent: ref(layer - 1, s),
              toParent: ref(layer, i),
            });
          }
        }
      }
    }
    const started = performance.now();
    await lineageStore.addEdges('bench', edges, new Date().toISOString());
    console.log(
      `${kind}: ${layers * perLayer} tables, ${edges.length} edges (table + column) written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const focus = ref(2, 7);
    const middle = ref(5, 11);
    const reached = await lineageStore.walk({
      ref: focus,
      direction: 'downstream',
      depth: 5,
      level: 'table',
      kinds: DATA_FLOW_KINDS,
      limit: 5000,
    });
    console.log(`  5 hops downstream of one table reach ${reached.refs.size} tables`);
    await time('walk, 5 hops downstream (recursive CTE)', () =>
      lineageStore.walk({
        ref: focus,
        direction: 'downstream',
        depth: 5,
        level: 'table',
        kinds: DATA_FLOW_KINDS,
        limit: 5000,
      }),
    );
    await time('GET /lineage answer, 5 hops downstream', () =>
      service.graph({
        ref: focus,
        direction: 'downstream',
        depth: 5,
        kinds: DATA_FLOW_KINDS,
        includeColumns: false,
      }),
    );
    await time('GET /lineage answer, 5 hops both ways', () =>
      service.graph({
        ref: middle,
        direction: 'both',
        depth: 5,
        kinds: DATA_FLOW_KINDS,
        includeColumns: false,
      }),
    );
    await time('GET /lineage answer, 5 hops, one column', () =>
      service.graph({
        ref: column(2, 7, 1),
        direction: 'downstream',
        depth: 5,
        kinds: DATA_FLOW_KINDS,
        includeColumns: false,
      }),
    );
    await time('impact analysis (everything downstream)', () => service.impact(ref(0, 3)));
  } finally {
    await db.destroy();
  }
}

for (const kind of ['sqlite', 'postgres'] as const) await run(kind);
