import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import {
  actorOf,
  isGranted,
  parseInput,
  type AuditService,
  type RouteDeclaration,
} from '@racine/kernel-node';
import {
  catalogLineagePermission,
  catalogViewPermission,
  lineageDirections,
  lineageEdgeKinds,
  parseAssetRef,
  type LineageEdgeKind,
  type PropagatedLabelsResponse,
} from '@racine/plugin-data-catalog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { CatalogStore } from './database/CatalogStore';
import { dbtManifestSchema } from './lineage/dbtManifest';
import type { LabelPropagation } from './lineage/LabelPropagation';
import { DATA_FLOW_KINDS } from './lineage/LineageStore';
import { publicEdge, type LineageService } from './lineage/LineageService';
import { openLineageRunEventSchema } from './lineage/openLineage';
import type { AccessScope, CatalogAccess } from './services/catalogAccess';

/** Every lineage route and what it requires (the kernel's authorization matrix). */
export const lineageRoutes: RouteDeclaration[] = [
  {
    method: 'GET',
    path: '/lineage',
    permission: catalogViewPermission,
    description: 'Lineage graph around a table, view or column',
  },
  {
    method: 'GET',
    path: '/lineage/impact',
    permission: catalogViewPermission,
    description: 'Everything downstream of an asset, with the owners to notify',
  },
  {
    method: 'GET',
    path: '/lineage/labels',
    permission: catalogViewPermission,
    description: 'Labels propagated along lineage to an asset (or its columns), with provenance',
  },
  {
    method: 'POST',
    path: '/openlineage',
    permission: catalogLineagePermission,
    description: 'Receive an OpenLineage run event',
  },
  {
    method: 'POST',
    path: '/lineage/dbt',
    permission: catalogLineagePermission,
    description: 'Import the lineage of a dbt manifest.json',
  },
  {
    method: 'POST',
    path: '/lineage/edges',
    permission: catalogLineagePermission,
    description: 'Declare a lineage edge between two tables or two columns by hand',
  },
  {
    method: 'DELETE',
    path: '/lineage/edges/:id',
    permission: catalogLineagePermission,
    description: 'Remove a lineage edge declared by hand',
  },
  {
    method: 'PUT',
    path: '/lineage/edges/:id',
    permission: catalogLineagePermission,
    description: 'Block or unblock label propagation along a lineage edge',
  },
];

const assetRefString = z
  .string()
  .max(8000)
  .refine(value => {
    try {
      parseAssetRef(value);
      return true;
    } catch {
      return false;
    }
  }, 'must be a data catalog asset ref (racine:data-catalog:<type>/<path>)');

const booleanFlag = z
  .enum(['true', 'false'])
  .default('false')
  .transform(v => v === 'true');

const graphQuery = z.object({
  ref: assetRefString,
  direction: z.enum(lineageDirections).default('both'),
  depth: z.coerce.number().int().min(1).max(20).default(3),
  kind: z
    .string()
    .transform(value =>
      value
        .split(',')
        .map(t => t.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(lineageEdgeKinds)).min(1))
    .optional(),
  includeForeignKeys: booleanFlag,
  columns: booleanFlag,
  limit: z.coerce.number().int().min(1).max(5000).default(2000),
});

const refQuery = z.object({ ref: assetRefString });

const dbtQuery = z.object({ dataSourceId: z.string().min(1).max(255) });

const edgeUpdate = z.object({ propagationBlocked: z.boolean() });

const manualEdge = z.object({ from: assetRefString, to: assetRefString });

function edgeId(req: express.Request): string {
  const id = req.params.id;
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new InputError('Invalid id: not a lineage edge id');
  return id;
}

export interface LineageRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  lineage: LineageService;
  propagation: LabelPropagation;
  catalog: CatalogStore;
  /** ABAC: what a reader may see (conditional grants such as a sensitivity ceiling). */
  access: CatalogAccess;
}

export function createLineageRouter(options: LineageRouterOptions): express.Router {
  const { httpAuth, permissions, audit, lineage, propagation, catalog, access } = options;
  const router = Router();

  /** A reader's scope: 403 without catalog.view; conditional grants narrow what they see. */
  async function readerScope(req: express.Request): Promise<AccessScope> {
    const credentials = await callerWith(req, catalogViewPermission);
    return access.viewScope(credentials);
  }

  /**
   * Which of `refs` are catalog assets (`known`), and which of those the scope hides. Refs
   * the catalog does not hold (yet) are named by an edge only and carry no governed content.
   */
  async function visibility(
    scope: AccessScope,
    refs: string[],
  ): Promise<{ known: Set<string>; hidden: Set<string> }> {
    const assets = await catalog.getAssets(refs);
    const visible = new Set((await scope.visible(assets)).map(a => a.ref));
    return {
      known: new Set(assets.map(a => a.ref)),
      hidden: new Set(assets.filter(a => !visible.has(a.ref)).map(a => a.ref)),
    };
  }

  /** 404 for a ref the caller may not see, or that is no catalog asset and no edge names. */
  function requireVisible(
    { known, hidden }: { known: Set<string>; hidden: Set<string> },
    ref: string,
    namedByAnEdge: boolean,
  ): void {
    if (hidden.has(ref) || !(known.has(ref) || namedByAnEdge))
      throw new NotFoundError(`Asset ${ref} does not exist`);
  }

  async function callerWith(
    req: express.Request,
    permission: Permission,
    verb?: string,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    if (!(await isGranted(permissions, credentials, permission))) {
      if (verb) {
        await audit.record({
          credentials,
          workspace: DEFAULT_WORKSPACE,
          verb,
          outcome: 'denied',
          summary: `${actorOf(credentials)} lacks ${permission.name}`,
        });
      }
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
    return credentials;
  }

  // Writers are authorized before their (possibly large) body is parsed.
  const writer =
    (verb: string) =>
    async (req: express.Request, res: express.Response, next: express.NextFunction) => {
      res.locals.credentials = await callerWith(req, catalogLineagePermission, verb);
      next();
    };

  router.get('/lineage', async (req, res) => {
    const scope = await readerScope(req);
    const query = parseInput(graphQuery, req.query, 'query');
    const kinds: LineageEdgeKind[] = query.kind ?? [
      ...DATA_FLOW_KINDS,
      ...(query.includeForeignKeys ? (['foreign_key'] as const) : []),
    ];
    const graph = await lineage.graph({
      ref: query.ref,
      direction: query.direction,
      depth: query.depth,
      kinds,
      includeColumns: query.columns,
      limit: query.limit,
    });
    const seen = await visibility(
      scope,
      graph.nodes.map(n => n.ref),
    );
    requireVisible(seen, query.ref, graph.edges.length > 0);
    const { hidden } = seen;
    res.json({
      ...graph,
      nodes: graph.nodes.filter(n => !hidden.has(n.ref)),
      edges: graph.edges.filter(e => !hidden.has(e.from) && !hidden.has(e.to)),
    });
  });

  router.get('/lineage/impact', async (req, res) => {
    const scope = await readerScope(req);
    const { ref } = parseInput(refQuery, req.query, 'query');
    const impact = await lineage.impact(ref);
    const seen = await visibility(scope, [ref, ...impact.assets.map(a => a.ref)]);
    requireVisible(seen, ref, impact.assets.length > 0);
    const { hidden } = seen;
    res.json({
      ...impact,
      assets: impact.assets.filter(a => !hidden.has(a.ref)),
      owners: impact.owners
        .map(o => ({ ...o, refs: o.refs.filter(r => !hidden.has(r)) }))
        .filter(o => o.refs.length > 0),
      unowned: impact.unowned.filter(r => !hidden.has(r)),
    });
  });

  router.get('/lineage/labels', async (req, res) => {
    const scope = await readerScope(req);
    const { ref } = parseInput(refQuery, req.query, 'query');
    const refs = [ref];
    const { type } = parseAssetRef(ref);
    if (type === 'table' || type === 'view') {
      const columns = await catalog.listChildren(ref, { status: 'all', limit: 5000 });
      refs.push(...columns.items.map(c => c.ref));
    }
    const seen = await visibility(scope, refs);
    // Labels are an asset's only.
    requireVisible(seen, ref, false);
    const { hidden } = seen;
    const items = await propagation.propagatedLabels(refs.filter(r => !hidden.has(r)));
    // The path may cross assets the caller may not see: those hops are left out.
    const pathHidden = (await visibility(scope, [...new Set(items.flatMap(i => i.path))])).hidden;
    const body: PropagatedLabelsResponse = {
      items: items.map(i => ({
        ...i,
        sourceRef: pathHidden.has(i.sourceRef) ? '' : i.sourceRef,
        path: i.path.filter(r => !pathHidden.has(r)),
      })),
    };
    res.json(body);
  });

  router.post(
    '/openlineage',
    writer('lineage.openlineage'),
    express.json({ limit: '10mb' }),
    async (req, res) => {
      const credentials: BackstageCredentials = res.locals.credentials;
      const event = parseInput(openLineageRunEventSchema, req.body, 'body');
      const result = await lineage.ingestOpenLineage(event);
      await audit.record({
        credentials,
        workspace: DEFAULT_WORKSPACE,
        verb: 'lineage.openlineage',
        summary: `OpenLineage ${event.eventType ?? 'event'} of job ${event.job.namespace}/${event.job.name} (run ${event.run.runId}): ${result.datasets.length} dataset(s), ${result.edges} table edge(s), ${result.columnEdges} column edge(s)`,
        details: {
          runId: event.run.runId,
          job: `${event.job.namespace}/${event.job.name}`,
          datasets: result.datasets.slice(0, 100),
        },
      });
      res.json(result);
    },
  );

  router.post(
    '/lineage/dbt',
    writer('lineage.dbt'),
    express.json({ limit: '100mb' }),
    async (req, res) => {
      const credentials: BackstageCredentials = res.locals.credentials;
      const { dataSourceId } = parseInput(dbtQuery, req.query, 'query');
      const manifest = parseInput(dbtManifestSchema, req.body, 'body');
      const result = await lineage.importDbt(dataSourceId, manifest);
      await audit.record({
        credentials,
        workspace: DEFAULT_WORKSPACE,
        verb: 'lineage.dbt',
        summary: `Imported dbt project ${manifest.metadata.project_name ?? '(unnamed)'} into ${dataSourceId}: ${result.nodes} node(s), ${result.matched} in the catalog, ${result.edges} table edge(s), ${result.columnEdges} column edge(s)`,
        details: { dataSourceId, ...result },
      });
      res.json(result);
    },
  );

  router.post(
    '/lineage/edges',
    writer('lineage.edge.create'),
    express.json({ limit: '64kb' }),
    async (req, res) => {
      const credentials: BackstageCredentials = res.locals.credentials;
      const { from, to } = parseInput(manualEdge, req.body, 'body');
      const edge = await lineage.addManualEdge(from, to);
      await audit.record({
        credentials,
        workspace: DEFAULT_WORKSPACE,
        resource: edge.to,
        verb: 'lineage.edge.create',
        summary: `Declared ${edge.level} lineage from ${edge.from} to ${edge.to}`,
        details: { id: edge.id, from: edge.from, to: edge.to, level: edge.level },
      });
      res.status(201).json(publicEdge(edge));
    },
  );

  router.delete('/lineage/edges/:id', writer('lineage.edge.delete'), async (req, res) => {
    const credentials: BackstageCredentials = res.locals.credentials;
    const edge = await lineage.removeManualEdge(edgeId(req));
    await audit.record({
      credentials,
      workspace: DEFAULT_WORKSPACE,
      resource: edge.to,
      verb: 'lineage.edge.delete',
      summary: `Removed ${edge.level} lineage from ${edge.from} to ${edge.to}`,
      details: { id: edge.id, from: edge.from, to: edge.to },
    });
    res.status(204).end();
  });

  router.put(
    '/lineage/edges/:id',
    writer('lineage.edge.update'),
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials: BackstageCredentials = res.locals.credentials;
      const id = edgeId(req);
      const { propagationBlocked } = parseInput(edgeUpdate, req.body, 'body');
      const before = await lineage.getEdge(id);
      if (!before) throw new NotFoundError(`Lineage edge ${id} does not exist`);
      const edge = await lineage.setPropagationBlocked(id, propagationBlocked);
      await audit.record({
        credentials,
        workspace: DEFAULT_WORKSPACE,
        resource: edge.to,
        verb: 'lineage.edge.update',
        summary: `${propagationBlocked ? 'Blocked' : 'Unblocked'} label propagation from ${edge.from} to ${edge.to}`,
        details: { id, from: edge.from, to: edge.to, propagationBlocked },
      });
      res.json(publicEdge(edge));
    },
  );

  return router;
}
