/**
 * Policy decisions per second with 10k policy lines and 1k users: single decisions and
 * batches of 1,000 through the in-process permissions service, Casbin's own enforce() for
 * reference, and the time to reload the policy after a change. On SQLite (default) or
 * PostgreSQL (RACINE_TEST_DB=postgres). Run: npx tsx bench/rbac.ts [users] [roles]
 */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  createPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { actingAsUser, KernelRegistries, ResourceAccessRegistry } from '@racine/kernel-node';
import { createTestDatabase } from '@racine/kernel-node/testing';
import {
  InProcessPermissionsService,
  migrateRbacDatabase,
  PolicyStore,
  RacinePolicyEngine,
} from '@racine/plugin-rbac-backend';

const USERS = Number(process.argv[2] ?? 1000);
const ROLES = Number(process.argv[3] ?? 100);
const LINES_PER_ROLE = 90;
const WORKSPACES = ['sales', 'hr', 'finance', 'ops', 'lab'];

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

async function main() {
  const database = await createTestDatabase();
  const random = rng(42);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  try {
    await migrateRbacDatabase(database.knex);
    // 30 plugins × 20 permissions, a third of them resource permissions.
    const permissions = Array.from({ length: 600 }, (_, i) => {
      const name = `plugin${Math.floor(i / 20)}.perm${i % 20}`;
      return i % 3 === 0
        ? createPermission({
            name,
            attributes: { action: 'read' },
            resourceType: `type${Math.floor(i / 20)}`,
          })
        : createPermission({ name, attributes: { action: 'read' } });
    });
    const registries = new KernelRegistries();
    registries.addPermissions('bench', { permissions });
    const types = new ResourceAccessRegistry();
    for (let t = 0; t < 30; t++) {
      types.add({
        pluginId: 'bench',
        resourceType: `type${t}`,
        ruleNames: ['IS_IN_WORKSPACE', 'MATCHES_RESOURCE_REF'],
        applyConditions: async () => [],
      });
    }
    const store = new PolicyStore(database.knex);
    const engine = new RacinePolicyEngine({
      store,
      config: { roles: [], grants: [] },
      registries,
      resourceTypes: types,
    });
    await engine.start();

    let lines = 0;
    await store.mutate(async trx => {
      for (let r = 0; r < ROLES; r++) {
        const entries = Array.from({ length: LINES_PER_ROLE }, (_, i) => {
          const p = permissions[(r * 7 + i * 13) % permissions.length];
          const narrowed = i % 10 === 0;
          return {
            permission: i % 15 === 0 ? `${p.name.split('.')[0]}.*` : p.name,
            resource: narrowed ? `racine:bench:thing/r${r}-*` : '*',
            effect: (i % 29 === 0 ? 'deny' : 'allow') as 'allow' | 'deny',
          };
        });
        await store.createRole(trx, {
          name: `role-${r}`,
          description: '',
          builtin: false,
          permissions: entries,
          inherits: r > 0 && r % 5 !== 0 ? [`role-${r - 1}`] : [],
        });
        lines += entries.length + (r % 5 !== 0 ? 1 : 0);
      }
      const grants = [];
      for (let u = 0; u < USERS; u++) {
        grants.push({
          subject: `user:default/u${u}`,
          role: `role-${Math.floor(random() * ROLES)}`,
          workspace: '*',
        });
        grants.push({
          subject: `user:default/u${u}`,
          role: `role-${Math.floor(random() * ROLES)}`,
          workspace: pick(WORKSPACES),
        });
      }
      for (const g of grants) {
        await store.createGrant(trx, {
          ...g,
          resource: '*',
          effect: 'allow',
          source: 'admin',
          createdBy: 'bench',
        });
      }
      lines += grants.length;
    });
    const reloadStarted = performance.now();
    await engine.reload();
    const firstLoad = performance.now() - reloadStarted;
    const compiled = await engine.ready();
    const totalLines = compiled.snapshot.lines.length + compiled.snapshot.links.length;

    const fallback = {} as PermissionsService;
    const service = new InProcessPermissionsService(engine, fallback, types);
    const users = Array.from({ length: USERS }, (_, u) => actingAsUser(`user:default/u${u}`));
    const query = () => {
      const p = pick(permissions);
      return { name: p.name, resourceType: (p as ResourcePermission).resourceType };
    };

    // Single decisions, cold (every subject's first question compiles its lines) then warm.
    const singles = 200_000;
    let started = performance.now();
    let allowed = 0;
    for (let i = 0; i < singles; i++) {
      const result = compiled.decide(`user:default/u${i % USERS}`, query()).result;
      if (result !== AuthorizeResult.DENY) allowed++;
    }
    const coldSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    for (let i = 0; i < singles; i++)
      compiled.decide(`user:default/u${Math.floor(random() * USERS)}`, query());
    const warmSeconds = (performance.now() - started) / 1000;

    // Single awaited decisions through the permissions service (what a route does).
    const viaService = 50_000;
    started = performance.now();
    for (let i = 0; i < viaService; i++) {
      const p = pick(permissions);
      if ('resourceType' in p)
        await service.authorizeConditional([{ permission: p as ResourcePermission }], {
          credentials: pick(users),
        });
      else await service.authorize([{ permission: p }], { credentials: pick(users) });
    }
    const serviceSeconds = (performance.now() - started) / 1000;

    // Batches of 1,000 basic permission checks for one caller.
    const basics = permissions.filter(p => !('resourceType' in p));
    const batches: number[] = [];
    for (let b = 0; b < 100; b++) {
      const batch = Array.from({ length: 1000 }, () => ({ permission: pick(basics) }));
      const credentials = pick(users);
      const t = performance.now();
      await service.authorize(batch as Parameters<PermissionsService['authorize']>[0], {
        credentials,
      });
      batches.push(performance.now() - t);
    }
    batches.sort((a, b) => a - b);

    // Casbin's own enforce() over the same policy, for reference.
    const t0 = performance.now();
    const enforcer = await engine.enforcer();
    const casbinLoad = performance.now() - t0;
    // Bounded by time: with domain-matched role links Casbin walks every line per request.
    let casbinCount = 0;
    started = performance.now();
    while (performance.now() - started < 5000 && casbinCount < 200) {
      await enforcer.enforce(
        `user:default/u${Math.floor(random() * USERS)}`,
        pick(WORKSPACES),
        '*',
        pick(permissions).name,
      );
      casbinCount++;
    }
    const casbinSeconds = (performance.now() - started) / 1000;
    let sliceCount = 0;
    started = performance.now();
    while (performance.now() - started < 3000) {
      await engine.enforce(
        `user:default/u${Math.floor(random() * USERS)}`,
        pick(permissions).name,
        pick(WORKSPACES),
      );
      sliceCount++;
    }
    const sliceSeconds = (performance.now() - started) / 1000;

    // Reload after a change (what every replica does within its poll interval).
    const reloads: number[] = [];
    for (let i = 0; i < 10; i++) {
      await store.mutate(trx =>
        store.createGrant(trx, {
          subject: `user:default/u${i}`,
          role: 'role-1',
          workspace: 'lab',
          resource: '*',
          effect: 'allow',
          source: 'admin',
          createdBy: 'bench',
        }),
      );
      const t = performance.now();
      await engine.reload();
      reloads.push(performance.now() - t);
    }
    reloads.sort((a, b) => a - b);
    engine.stop();

    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
    console.log(
      `rbac bench (${database.kind}): ${fmt(totalLines)} policy lines (${fmt(lines)} stored), ${USERS} users, ${permissions.length} permissions`,
    );
    console.log(
      `  single decisions, cold cache : ${fmt(singles / coldSeconds)}/s (${Math.round((allowed / singles) * 100)}% not DENY)`,
    );
    console.log(`  single decisions, warm cache : ${fmt(singles / warmSeconds)}/s`);
    console.log(
      `  via the permissions service  : ${fmt(viaService / serviceSeconds)}/s (one awaited request each)`,
    );
    console.log(
      `  batch of 1,000               : median ${median(batches).toFixed(2)} ms, p95 ${batches[94].toFixed(2)} ms, max ${batches[99].toFixed(2)} ms`,
    );
    console.log(
      `  Casbin enforce(), whole policy: ${(casbinCount / casbinSeconds).toFixed(1)}/s (enforcer load ${casbinLoad.toFixed(0)} ms)`,
    );
    console.log(
      `  Casbin on a subject's slice  : ${(sliceCount / sliceSeconds).toFixed(1)}/s (what explain uses, enforcer built per call)`,
    );
    console.log(
      `  policy reload after a change : median ${median(reloads).toFixed(0)} ms, max ${reloads[9].toFixed(0)} ms (first load ${firstLoad.toFixed(0)} ms)`,
    );
  } finally {
    await database.destroy();
  }
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
