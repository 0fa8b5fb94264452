import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import { DEFAULT_WORKSPACE, WORKSPACE_HEADER } from '@racine/kernel-common';
import {
  actorOf,
  isGranted,
  parseInput,
  type AuditService,
  type WorkspaceService,
} from '@racine/kernel-node';
import {
  createRuleSetRequestSchema,
  previewRuleSetRequestSchema,
  rollbackRuleSetRequestSchema,
  ruleSetCreatePermission,
  ruleSetDeletePermission,
  ruleSetEditPermission,
  ruleSetRef,
  ruleSetViewPermission,
  updateRuleSetRequestSchema,
} from '@racine/plugin-scan-rulesets-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { classifierCatalog } from './services/classifierCatalog';
import type { PreviewService } from './services/PreviewService';
import type { RuleSetService } from './services/RuleSetService';

export interface ScanRulesetsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  workspaces: WorkspaceService;
  ruleSets: RuleSetService;
  previews: PreviewService;
}

const listQuery = z.object({
  /** A workspace name, or `*` for every workspace; defaults to the request's workspace. */
  workspace: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const versionNumber = z.coerce.number().int().min(1);
const versionParams = z.object({ version: versionNumber });
const diffQuery = z.object({ from: versionNumber.optional(), to: versionNumber.optional() });

/** HTTP only: authenticate, authorize, parse, call a service, audit mutations. */
export function createRouter(options: ScanRulesetsRouterOptions): express.Router {
  const { httpAuth, permissions, audit, workspaces, ruleSets, previews } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function requestWorkspace(req: express.Request, explicit?: string): Promise<string> {
    const name = explicit ?? req.header(WORKSPACE_HEADER) ?? DEFAULT_WORKSPACE;
    if (!(await workspaces.exists(name)))
      throw new InputError(`Workspace '${name}' does not exist`);
    return name;
  }

  async function requireView(credentials: BackstageCredentials) {
    if (!(await isGranted(permissions, credentials, ruleSetViewPermission))) {
      throw new NotAllowedError(`Missing permission ${ruleSetViewPermission.name}`);
    }
  }

  /**
   * Runs a mutation: authorizes it (auditing a denial), then audits its outcome. The workspace
   * recorded is the rule set's once known, else the request's.
   */
  async function mutation<T>(
    req: express.Request,
    spec: {
      permission: Permission;
      verb: string;
      /** The rule set acted on; a creation names it once it exists. */
      resource?: string;
      run(
        credentials: BackstageCredentials,
      ): Promise<{ result: T; summary: string; workspace?: string; resource?: string }>;
      describe: string;
    },
  ): Promise<T> {
    const credentials = await credentialsOf(req);
    const headerWorkspace = req.header(WORKSPACE_HEADER) ?? DEFAULT_WORKSPACE;
    const record = (
      outcome: 'success' | 'failure' | 'denied',
      summary: string,
      workspace = headerWorkspace,
      resource = spec.resource,
    ) => audit.record({ credentials, workspace, verb: spec.verb, resource, outcome, summary });
    if (!(await isGranted(permissions, credentials, spec.permission))) {
      await record('denied', `${spec.describe}: denied (missing ${spec.permission.name})`);
      throw new NotAllowedError(`Missing permission ${spec.permission.name}`);
    }
    try {
      const { result, summary, workspace, resource } = await spec.run(credentials);
      await record('success', summary, workspace, resource ?? spec.resource);
      return result;
    } catch (error) {
      await record(
        'failure',
        `${spec.describe}: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  }

  router.get('/', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireView(credentials);
    const query = parseInput(listQuery, req.query, 'query');
    const workspace =
      query.workspace === '*' ? undefined : await requestWorkspace(req, query.workspace);
    res.json({ items: await ruleSets.list({ workspace, query: query.q, limit: query.limit }) });
  });

  router.post('/', async (req, res) => {
    const name = typeof req.body?.name === 'string' ? req.body.name : '';
    const created = await mutation(req, {
      permission: ruleSetCreatePermission,
      verb: 'rule_set.create',
      describe: `Create rule set '${name}'`,
      run: async credentials => {
        const body = parseInput(createRuleSetRequestSchema, req.body, 'rule set');
        const workspace = await requestWorkspace(req, body.workspace);
        const ruleSet = await ruleSets.create(body, { actor: actorOf(credentials), workspace });
        return {
          result: ruleSet,
          workspace,
          resource: ruleSet.ref,
          summary: `Created rule set '${ruleSet.name}'`,
        };
      },
    });
    res.status(201).json(created);
  });

  // Before `/:id`: rule set ids are UUIDs or built-in slugs, never "classifiers".
  router.get('/classifiers', async (req, res) => {
    await requireView(await credentialsOf(req));
    res.json(classifierCatalog());
  });

  router.get('/:id', async (req, res) => {
    await requireView(await credentialsOf(req));
    res.json(await ruleSets.get(req.params.id));
  });

  router.put('/:id', async (req, res) => {
    const { id } = req.params;
    const updated = await mutation(req, {
      permission: ruleSetEditPermission,
      verb: 'rule_set.update',
      resource: ruleSetRef(id),
      describe: `Update rule set '${id}'`,
      run: async credentials => {
        const body = parseInput(updateRuleSetRequestSchema, req.body, 'rule set');
        const { ruleSet, changed } = await ruleSets.update(id, body, actorOf(credentials));
        return {
          result: ruleSet,
          workspace: ruleSet.workspace,
          summary: changed
            ? `Updated rule set '${ruleSet.name}' to version ${ruleSet.version}`
            : `Rule set '${ruleSet.name}' unchanged (version ${ruleSet.version})`,
        };
      },
    });
    res.json(updated);
  });

  router.delete('/:id', async (req, res) => {
    const { id } = req.params;
    await mutation(req, {
      permission: ruleSetDeletePermission,
      verb: 'rule_set.delete',
      resource: ruleSetRef(id),
      describe: `Delete rule set '${id}'`,
      run: async credentials => {
        const deleted = await ruleSets.delete(id, actorOf(credentials));
        return {
          result: deleted,
          workspace: deleted.workspace,
          summary: `Deleted rule set '${deleted.name}'`,
        };
      },
    });
    res.status(204).end();
  });

  router.get('/:id/versions', async (req, res) => {
    await requireView(await credentialsOf(req));
    res.json({ items: await ruleSets.versions(req.params.id) });
  });

  router.get('/:id/versions/:version', async (req, res) => {
    await requireView(await credentialsOf(req));
    const { version } = parseInput(versionParams, { version: req.params.version }, 'path');
    res.json(await ruleSets.version(req.params.id, version));
  });

  router.get('/:id/diff', async (req, res) => {
    await requireView(await credentialsOf(req));
    const range = parseInput(diffQuery, req.query, 'query');
    res.json(await ruleSets.diff(req.params.id, range));
  });

  router.post('/:id/rollback', async (req, res) => {
    const { id } = req.params;
    const rolledBack = await mutation(req, {
      permission: ruleSetEditPermission,
      verb: 'rule_set.rollback',
      resource: ruleSetRef(id),
      describe: `Roll back rule set '${id}'`,
      run: async credentials => {
        const body = parseInput(rollbackRuleSetRequestSchema, req.body, 'rollback');
        const ruleSet = await ruleSets.rollback(id, body, actorOf(credentials));
        return {
          result: ruleSet,
          workspace: ruleSet.workspace,
          summary: `Rolled back rule set '${ruleSet.name}' to version ${body.version} (now version ${ruleSet.version})`,
        };
      },
    });
    res.status(201).json(rolledBack);
  });

  router.post('/:id/preview', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireView(credentials);
    const body = parseInput(previewRuleSetRequestSchema, req.body, 'preview');
    const { ruleSet, preview } = await previews.preview({
      ruleSetId: req.params.id,
      ...body,
      credentials,
    });
    // Reading a data source's structure with its stored credentials is worth a trail entry.
    await audit.record({
      credentials,
      workspace: ruleSet.workspace,
      verb: 'rule_set.preview',
      resource: ruleSet.ref,
      summary: `Previewed rule set '${ruleSet.name}' on data source '${preview.dataSource.name}': ${preview.counts.tablesIncluded} tables, ${preview.counts.columnsIncluded} columns`,
    });
    res.json(preview);
  });

  router.use((_req, _res, next) => next(new NotFoundError('No such scan-rulesets route')));
  return router;
}
