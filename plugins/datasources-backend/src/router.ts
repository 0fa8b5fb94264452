import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import { DEFAULT_WORKSPACE, WORKSPACE_HEADER, type ActivityOutcome } from '@racine/kernel-common';
import {
  actorOf,
  grantedPermissionNames,
  parseInput,
  type AuditService,
} from '@racine/kernel-node';
import {
  CONNECTION_READERS,
  createDataSourceRequestSchema,
  dataSourceRef,
  datasourceCreatePermission,
  datasourceDeletePermission,
  datasourceEditPermission,
  datasourceMonitorPermission,
  datasourceViewPermission,
  listDataSourcesQuerySchema,
  testConfigRequestSchema,
  updateDataSourceRequestSchema,
} from '@racine/plugin-datasources-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { InvalidCursorError } from './database/DataSourceStore';
import { HEALTH_HISTORY_SIZE, type DataSourceService } from './services/DataSourceService';

export interface DatasourcesRouterOptions {
  service: DataSourceService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
}

const healthQuery = z.object({
  limit: z.coerce.number().int().min(1).max(HEALTH_HISTORY_SIZE).default(HEALTH_HISTORY_SIZE),
});

interface AuditContext {
  credentials: BackstageCredentials;
  verb: string;
  resource?: string;
  workspace?: string;
}

/**
 * HTTP only: parse with zod, authorize with the permission framework, call the service, and
 * audit every mutation (denied and failed ones too). Mounted at `/api/datasources`.
 */
export function createDatasourcesRouter(options: DatasourcesRouterOptions): express.Router {
  const { service, auth, httpAuth, permissions, audit } = options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const record = (context: AuditContext, outcome: ActivityOutcome, summary: string) =>
    audit.record({
      credentials: context.credentials,
      verb: context.verb,
      resource: context.resource,
      workspace: context.workspace ?? DEFAULT_WORKSPACE,
      outcome,
      summary,
    });

  /** Passes when the caller holds any of `required`; otherwise 403, audited when `denial` says what was tried. */
  async function authorize(
    credentials: BackstageCredentials,
    required: Permission[],
    denial?: AuditContext & { summary: string },
  ) {
    const granted = await grantedPermissionNames(permissions, credentials, required);
    if (required.some(p => granted.has(p.name))) return;
    const names = required.map(p => p.name).join(' or ');
    if (denial) await record(denial, 'denied', `${denial.summary}: denied (missing ${names})`);
    throw new NotAllowedError(`Missing permission ${names}`);
  }

  /** Runs a mutation and audits its outcome; client errors (400/404/409) are recorded as failures. */
  async function audited<T>(
    context: AuditContext,
    summary: string,
    run: () => Promise<T>,
    describe?: (result: T) => Partial<AuditContext> & { summary?: string },
  ): Promise<T> {
    try {
      const result = await run();
      const extra = describe?.(result) ?? {};
      await record({ ...context, ...extra }, 'success', extra.summary ?? summary);
      return result;
    } catch (error) {
      if (
        error instanceof InputError ||
        error instanceof ConflictError ||
        error instanceof NotFoundError
      ) {
        await record(context, 'failure', `${summary}: ${error.message}`);
      }
      throw error;
    }
  }

  const requestWorkspace = (req: express.Request) =>
    req.header(WORKSPACE_HEADER) || DEFAULT_WORKSPACE;

  router.get('/connectors', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, [datasourceViewPermission]);
    res.json({ items: service.connectors() });
  });

  router.post('/test', async (req, res) => {
    const credentials = await credentialsOf(req);
    // Testing a form before saving: whoever may create sources, or edit the one named.
    await authorize(credentials, [datasourceCreatePermission, datasourceEditPermission]);
    const body = parseInput(testConfigRequestSchema, req.body, 'body');
    if (body.dataSourceId) await authorize(credentials, [datasourceEditPermission]);
    res.json(await service.testConfig(body.type, body.config, body.dataSourceId));
  });

  router.get('/', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, [datasourceViewPermission]);
    const query = parseInput(listDataSourcesQuerySchema, req.query, 'query');
    try {
      res.json(await service.list(query));
    } catch (error) {
      if (error instanceof InvalidCursorError)
        throw new InputError(`Invalid query: ${error.message}`);
      throw error;
    }
  });

  router.post('/', async (req, res) => {
    const credentials = await credentialsOf(req);
    const workspace =
      (typeof req.body?.workspace === 'string' && req.body.workspace) || requestWorkspace(req);
    const context: AuditContext = { credentials, verb: 'datasource.create', workspace };
    await authorize(credentials, [datasourceCreatePermission], {
      ...context,
      summary: 'Register a data source',
    });
    const created = await audited(
      context,
      'Register a data source',
      async () => {
        const body = parseInput(createDataSourceRequestSchema, req.body, 'body');
        return service.create(
          { ...body, workspace: body.workspace ?? workspace },
          actorOf(credentials),
        );
      },
      source => ({
        resource: source.ref,
        workspace: source.workspace,
        summary: `Registered ${source.type} data source '${source.name}'`,
      }),
    );
    res.status(201).json(created);
  });

  router.get('/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, [datasourceViewPermission]);
    res.json(await service.get(req.params.id));
  });

  router.put('/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = req.params;
    const existing = await service.find(id);
    const context: AuditContext = {
      credentials,
      verb: 'datasource.update',
      resource: dataSourceRef(id),
      workspace: existing?.workspace,
    };
    const label = existing ? `data source '${existing.name}'` : `data source ${id}`;
    await authorize(credentials, [datasourceEditPermission], {
      ...context,
      summary: `Update ${label}`,
    });
    const updated = await audited(
      context,
      `Update ${label}`,
      async () => {
        const body = parseInput(updateDataSourceRequestSchema, req.body, 'body');
        return service.update(id, body, actorOf(credentials));
      },
      source => ({
        summary: `Updated data source '${source.name}'${Object.keys(req.body?.config ?? {}).length ? ' (configuration)' : ''}`,
      }),
    );
    res.json(updated);
  });

  router.delete('/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = req.params;
    const existing = await service.find(id);
    const context: AuditContext = {
      credentials,
      verb: 'datasource.delete',
      resource: dataSourceRef(id),
      workspace: existing?.workspace,
    };
    const label = existing ? `data source '${existing.name}'` : `data source ${id}`;
    await authorize(credentials, [datasourceDeletePermission], {
      ...context,
      summary: `Delete ${label}`,
    });
    await audited(
      context,
      `Delete ${label}`,
      () => service.delete(id, actorOf(credentials)),
      deleted => ({
        summary: `Deleted ${deleted.type} data source '${deleted.name}'`,
      }),
    );
    res.status(204).end();
  });

  router.post('/:id/test', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = req.params;
    const existing = await service.find(id);
    const context: AuditContext = {
      credentials,
      verb: 'datasource.test',
      resource: dataSourceRef(id),
      workspace: existing?.workspace,
    };
    const label = existing ? `data source '${existing.name}'` : `data source ${id}`;
    await authorize(credentials, [datasourceMonitorPermission, datasourceEditPermission], {
      ...context,
      summary: `Test the connection of ${label}`,
    });
    const result = await audited(
      context,
      `Test the connection of ${label}`,
      () => service.testSaved(id, 'manual'),
      r => ({
        summary: r.ok
          ? `Tested the connection of ${label}: ok in ${r.latencyMs} ms`
          : `Tested the connection of ${label}: failed (${r.error})`,
      }),
    );
    res.json(result);
  });

  router.get('/:id/health', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, [datasourceViewPermission]);
    const { limit } = parseInput(healthQuery, req.query, 'query');
    res.json(await service.health(req.params.id, limit));
  });

  // Service-only: hands out decrypted credentials to the few plugins that connect to sources.
  router.get('/:id/connection', async (req, res) => {
    const credentials = await credentialsOf(req);
    if (!auth.isPrincipal(credentials, 'service')) {
      // Signed in, but this route is for backend services only.
      throw new NotAllowedError('This endpoint is only for backend services');
    }
    const { id } = req.params;
    const existing = await service.find(id);
    const context: AuditContext = {
      credentials,
      verb: 'datasource.readConnection',
      resource: dataSourceRef(id),
      workspace: existing?.workspace,
    };
    const caller = credentials.principal.subject;
    if (!CONNECTION_READERS.includes(caller)) {
      await record(context, 'denied', `${caller} may not read the connection of data source ${id}`);
      throw new NotAllowedError(`${caller} may not read data source connections`);
    }
    const connection = await service.connection(id);
    await record(
      context,
      'success',
      `${caller} read the connection of data source '${connection.name}'`,
    );
    res.json(connection);
  });

  return router;
}
