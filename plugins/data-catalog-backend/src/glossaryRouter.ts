import type { BackstageCredentials, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import {
  actorOf,
  isGranted,
  parseInput,
  type AuditService,
  type RouteDeclaration,
} from '@racine/kernel-node';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { Permission } from '@backstage/plugin-permission-common';
import {
  catalogEditPermission,
  catalogGlossaryApprovePermission,
  catalogViewPermission,
  glossaryStatuses,
} from '@racine/plugin-data-catalog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { KnexCurationStore } from './database/CurationStore';
import type { KnexGlossaryStore } from './database/GlossaryStore';
import type { CurationService } from './services/CurationService';

export const glossaryRoutes: RouteDeclaration[] = [
  {
    method: 'GET',
    path: '/glossary',
    permission: catalogViewPermission,
    description: 'Business glossary terms',
  },
  {
    method: 'GET',
    path: '/glossary/:id',
    permission: catalogViewPermission,
    description: 'One glossary term with its parents, children and related terms',
  },
  {
    method: 'POST',
    path: '/glossary',
    permission: catalogEditPermission,
    description: 'Propose a glossary term (draft)',
  },
  {
    method: 'PATCH',
    path: '/glossary/:id',
    permission: catalogEditPermission,
    description: 'Edit a glossary term (a reworded approved term returns to draft)',
  },
  {
    method: 'POST',
    path: '/glossary/:id/approve',
    permission: catalogGlossaryApprovePermission,
    description: 'Approve a draft glossary term',
  },
  {
    method: 'DELETE',
    path: '/glossary/:id',
    permission: catalogEditPermission,
    description: 'Delete a glossary term without children (detached from its assets)',
  },
];

const termName = z.string().trim().min(1).max(200);
const termId = z.string().min(1).max(36);
const termBody = z
  .object({
    name: termName,
    definition: z.string().max(20_000).default(''),
    synonyms: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
    related: z.array(termId).max(50).default([]),
    parentId: termId.nullable().default(null),
  })
  .strict();
const termPatch = z
  .object({
    name: termName,
    definition: z.string().max(20_000),
    synonyms: z.array(z.string().trim().min(1).max(200)).max(50),
    related: z.array(termId).max(50),
    parentId: termId.nullable(),
  })
  .partial()
  .strict();
const listQuery = z.object({
  q: z.string().max(200).optional(),
  status: z.enum(glossaryStatuses).optional(),
  parentId: z.string().max(36).optional(),
});

export function createGlossaryRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  glossary: KnexGlossaryStore;
  curationStore: KnexCurationStore;
  curation: CurationService;
}): express.Router {
  const { httpAuth, permissions, audit, glossary, curationStore, curation } = options;
  const router = Router();
  const body = express.json({ limit: '1mb' });
  const now = () => new Date().toISOString();

  async function caller(req: express.Request, permission: Permission) {
    const credentials = await httpAuth.credentials(req, {
      allow: permission === catalogViewPermission ? ['user', 'service'] : ['user'],
    });
    if (!(await isGranted(permissions, credentials, permission)))
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    return credentials;
  }
  const requiring =
    (permission: Permission) =>
    async (req: express.Request, res: express.Response, next: express.NextFunction) => {
      res.locals.credentials = await caller(req, permission);
      next();
    };
  const record = (
    credentials: BackstageCredentials,
    verb: string,
    id: string,
    summary: string,
    details?: Record<string, unknown>,
  ) =>
    audit.record({
      credentials,
      workspace: DEFAULT_WORKSPACE,
      resource: `racine:data-catalog:glossary-term/${id}`,
      verb,
      summary,
      details,
    });

  router.get('/glossary', async (req, res) => {
    await caller(req, catalogViewPermission);
    const query = parseInput(listQuery, req.query, 'query');
    const parentId =
      query.parentId === undefined ? undefined : query.parentId === 'root' ? null : query.parentId;
    res.json({
      items: await glossary.list({
        query: query.q?.trim() || undefined,
        status: query.status,
        parentId,
      }),
    });
  });

  router.get('/glossary/:id', async (req, res) => {
    await caller(req, catalogViewPermission);
    res.json(await glossary.get(parseInput(termId, req.params.id, 'id')));
  });

  router.post('/glossary', requiring(catalogEditPermission), body, async (req, res) => {
    const credentials: BackstageCredentials = res.locals.credentials;
    const input = parseInput(termBody, req.body, 'body');
    const term = await glossary.create(input, actorOf(credentials), now());
    await record(credentials, 'glossary.create', term.id, `Proposed glossary term ${term.name}`, {
      term,
    });
    res.status(201).json(term);
  });

  router.patch('/glossary/:id', requiring(catalogEditPermission), body, async (req, res) => {
    const credentials: BackstageCredentials = res.locals.credentials;
    const id = parseInput(termId, req.params.id, 'id');
    const patch = parseInput(termPatch, req.body, 'body');
    if (Object.keys(patch).length === 0)
      throw new InputError('Invalid body: give at least one field to change');
    const { term, before, reworded } = await glossary.update(
      id,
      patch,
      actorOf(credentials),
      now(),
    );
    if (
      term.name !== before.name ||
      JSON.stringify(term.synonyms) !== JSON.stringify(before.synonyms)
    ) {
      // Assets are found by the names of their terms.
      await curationStore.refreshCuratedText(await curationStore.refsWithTerm(id));
    }
    await record(
      credentials,
      'glossary.update',
      id,
      `Edited glossary term ${term.name}${reworded && before.status === 'approved' ? ' (back to draft)' : ''}`,
      { before, after: term },
    );
    res.json(term);
  });

  router.post(
    '/glossary/:id/approve',
    requiring(catalogGlossaryApprovePermission),
    async (req, res) => {
      const credentials: BackstageCredentials = res.locals.credentials;
      const id = parseInput(termId, req.params.id, 'id');
      const term = await glossary.approve(id, actorOf(credentials), now());
      await record(credentials, 'glossary.approve', id, `Approved glossary term ${term.name}`);
      res.json(term);
    },
  );

  router.delete('/glossary/:id', requiring(catalogEditPermission), async (req, res) => {
    const credentials: BackstageCredentials = res.locals.credentials;
    const id = parseInput(termId, req.params.id, 'id');
    const existing = await glossary.get(id);
    if (existing.childCount > 0) {
      await glossary.delete(id); // throws the 409 naming the children
    }
    await curation.detachTerm(credentials, id, existing.name);
    const term = await glossary.delete(id);
    await record(credentials, 'glossary.delete', id, `Deleted glossary term ${term.name}`, {
      term,
    });
    res.status(204).end();
  });

  return router;
}
