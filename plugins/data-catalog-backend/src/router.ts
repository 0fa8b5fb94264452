import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import { actorOf, parseInput, type AuditService, type RouteDeclaration } from '@racine/kernel-node';
import {
  assetRef,
  assetTypes,
  catalogViewPermission,
  completeScanSchema,
  parseAssetRef,
  tableBatchSchema,
  type AssetType,
  type CompleteScanResponse,
  type IngestTablesResponse,
} from '@racine/plugin-data-catalog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { CatalogIngestService } from './services/CatalogIngestService';
import type { AccessScope, CatalogAccess } from './services/catalogAccess';
import type { CatalogQueryService } from './services/CatalogQueryService';

/** Service principals allowed to publish into the catalog. */
export const INGEST_SUBJECTS = ['plugin:scans'];

/** Every route the router mounts and what it requires (the kernel's authorization matrix). */
export const catalogRoutes: RouteDeclaration[] = [
  {
    method: 'POST',
    path: '/ingest/tables',
    audience: 'service',
    description: 'Scans publish table batches (plugin:scans only)',
  },
  {
    method: 'POST',
    path: '/ingest/complete',
    audience: 'service',
    description: 'Scans report a completed full scan (plugin:scans only)',
  },
  { method: 'GET', path: '/assets', permission: catalogViewPermission, description: 'List assets' },
  {
    method: 'GET',
    path: '/assets/:ref',
    permission: catalogViewPermission,
    description: 'One asset with its children',
  },
  {
    method: 'GET',
    path: '/tree',
    permission: catalogViewPermission,
    description: 'Children for the tree browser',
  },
];

export interface CatalogRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  ingest: CatalogIngestService;
  catalog: CatalogQueryService;
  access: CatalogAccess;
}

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

const assetTypeList = z
  .string()
  .transform(value =>
    value
      .split(',')
      .map(t => t.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(assetTypes)).min(1));

const statusFilter = z.enum(['active', 'deleted', 'all']).default('active');

const listQuery = z.object({
  dataSourceId: z.string().min(1).max(255).optional(),
  type: assetTypeList.optional(),
  parentRef: assetRefString.optional(),
  q: z.string().max(200).optional(),
  label: z.string().min(1).max(255).optional(),
  status: statusFilter,
  workspace: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(8000).optional(),
});

const detailsQuery = z.object({
  includeDeleted: z.enum(['true', 'false']).default('false'),
});

const treeQuery = z.object({
  parentRef: assetRefString.optional(),
  status: statusFilter,
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  cursor: z.string().max(8000).optional(),
});

const ingestTablesBody = z.object({ batches: z.array(tableBatchSchema).min(1).max(200) });

export function createCatalogRouter(options: CatalogRouterOptions): express.Router {
  const { httpAuth, audit, ingest, catalog, access } = options;
  const router = Router();

  /** The caller's view of the catalog (ABAC conditions as SQL); 403 without catalog.view. */
  async function readerOf(req: express.Request): Promise<AccessScope> {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    return access.viewScope(credentials);
  }

  /** Ingestion is service-to-service: only the scans plugin publishes into the catalog. */
  async function ingesterOf(req: express.Request, verb: string): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const principal = credentials.principal as { type: string; subject?: string };
    if (principal.type !== 'service' || !INGEST_SUBJECTS.includes(principal.subject ?? '')) {
      await audit.record({
        credentials,
        workspace: DEFAULT_WORKSPACE,
        verb,
        outcome: 'denied',
        summary: `${actorOf(credentials)} may not publish into the data catalog (only ${INGEST_SUBJECTS.join(', ')})`,
      });
      throw new NotAllowedError(
        `Only ${INGEST_SUBJECTS.join(', ')} may publish into the data catalog`,
      );
    }
    return credentials;
  }

  // Who may publish is checked before a large body is even parsed.
  const ingestBody = express.json({ limit: '25mb' });
  const ingester =
    (verb: string) =>
    async (req: express.Request, res: express.Response, next: express.NextFunction) => {
      res.locals.credentials = await ingesterOf(req, verb);
      next();
    };

  router.post('/ingest/tables', ingester('assets.ingest'), ingestBody, async (req, res) => {
    const credentials: BackstageCredentials = res.locals.credentials;
    const { batches } = parseInput(ingestTablesBody, req.body, 'body');
    const result = await ingest.ingestTables(batches);
    const first = batches[0];
    // A replay that changed nothing is not a mutation: it leaves no trace in the audit trail.
    if (result.changed > 0)
      await audit.record({
        credentials,
        workspace: first.workspace,
        resource: assetRef('datasource', [first.dataSourceId]),
        verb: 'assets.ingest',
        summary: `Ingested ${result.tables} table(s) and ${result.columns} column(s) of ${first.dataSourceName} from scan ${first.runId}: ${result.changed} asset(s) changed`,
        details: {
          runId: first.runId,
          tables: result.tables,
          columns: result.columns,
          changed: result.changed,
          deletedColumns: result.deletedColumns,
        },
      });
    const body: IngestTablesResponse = {
      tables: result.tables,
      columns: result.columns,
      changed: result.changed,
      deletedColumns: result.deletedColumns,
    };
    res.json(body);
  });

  router.post('/ingest/complete', ingester('assets.complete'), ingestBody, async (req, res) => {
    const credentials: BackstageCredentials = res.locals.credentials;
    const input = parseInput(completeScanSchema, req.body, 'body');
    const result = await ingest.completeScan(input);
    if (result.changedRefs.length > 0)
      await audit.record({
        credentials,
        workspace: DEFAULT_WORKSPACE,
        resource: assetRef('datasource', [input.dataSourceId]),
        verb: 'assets.complete',
        summary: `Scan ${input.runId} completed: ${result.deleted} table(s) or view(s) no longer found, marked deleted`,
        details: {
          runId: input.runId,
          deleted: result.deleted,
          deletedColumns: result.deletedColumns,
        },
      });
    const body: CompleteScanResponse = {
      deleted: result.deleted,
      deletedColumns: result.deletedColumns,
    };
    res.json(body);
  });

  router.get('/assets', async (req, res) => {
    const scope = await readerOf(req);
    const query = parseInput(listQuery, req.query, 'query');
    res.json(
      await catalog.list(
        {
          dataSourceId: query.dataSourceId,
          types: query.type as AssetType[] | undefined,
          parentRef: query.parentRef,
          query: query.q?.trim() || undefined,
          classifierId: query.label,
          status: query.status,
          workspace: query.workspace,
        },
        { limit: query.limit, cursor: query.cursor },
        scope,
      ),
    );
  });

  router.get('/assets/:ref', async (req, res) => {
    const scope = await readerOf(req);
    const ref = req.params.ref;
    const valid = assetRefString.safeParse(ref);
    if (!valid.success) {
      throw new InputError(`Invalid ref: ${valid.error.issues[0]?.message}; pass it URL-encoded`);
    }
    const query = parseInput(detailsQuery, req.query, 'query');
    res.json(
      await catalog.details(ref, { includeDeleted: query.includeDeleted === 'true' }, scope),
    );
  });

  router.get('/tree', async (req, res) => {
    const scope = await readerOf(req);
    const query = parseInput(treeQuery, req.query, 'query');
    res.json(
      await catalog.tree(
        query.parentRef ?? null,
        {
          status: query.status,
          limit: query.limit,
          cursor: query.cursor,
        },
        scope,
      ),
    );
  });

  return router;
}
