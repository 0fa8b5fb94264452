import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { parseInput, type RouteDeclaration } from '@racine/kernel-node';
import {
  catalogEditPermission,
  catalogViewPermission,
  parseAssetRef,
  sensitivityLevels,
} from '@racine/plugin-data-catalog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { CatalogAccess } from './services/catalogAccess';
import type { CurationService } from './services/CurationService';

export const curationRoutes: RouteDeclaration[] = [
  {
    method: 'PATCH',
    path: '/assets/:ref',
    permission: catalogEditPermission,
    description: 'Curate one asset: description, owners, stewards, tags, terms, properties',
  },
  {
    method: 'POST',
    path: '/assets/bulk',
    permission: catalogEditPermission,
    description: 'Curate many assets at once',
  },
  {
    method: 'GET',
    path: '/assets/:ref/history',
    permission: catalogViewPermission,
    description: 'Curation history of an asset',
  },
];

/** A user or group entity ref, e.g. `user:default/ada` or `group:default/finance`. */
const entityRef = z
  .string()
  .max(255)
  .regex(
    /^(user|group):[a-z0-9_.-]+\/[^\s/]+$/i,
    'must be a user or group ref like user:default/ada',
  );
const tag = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s,]+$/, 'must be one word without commas');
const termId = z.string().min(1).max(36);
/** A list edit's values, each once (the first occurrence kept). */
const distinct = (values: string[]) => [...new Set(values)];
const propertyValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

const curatedFields = z
  .object({
    description: z.string().max(20_000).nullable(),
    owners: z.array(entityRef).max(20).transform(distinct),
    stewards: z.array(entityRef).max(20).transform(distinct),
    tags: z.array(tag).max(50).transform(distinct),
    terms: z.array(termId).max(50).transform(distinct),
    properties: z
      .record(z.string().min(1).max(100), propertyValue)
      .refine(p => Object.keys(p).length <= 100, 'at most 100 properties'),
    sensitivity: z.enum(sensitivityLevels).nullable(),
  })
  .partial()
  .strict();

const patchBody = curatedFields.extend({
  /** Optimistic concurrency: refuse (409) when the asset moved on since it was read. */
  expectedVersion: z.number().int().min(0).optional(),
});

const listEdit = z.array(z.string().max(255)).max(50).default([]);
const bulkBody = z
  .object({
    refs: z.array(z.string().max(8000)).min(1).max(1000),
    set: curatedFields.default({}),
    addTags: z.array(tag).max(50).default([]),
    removeTags: listEdit,
    addOwners: z.array(entityRef).max(20).default([]),
    removeOwners: listEdit,
    addStewards: z.array(entityRef).max(20).default([]),
    removeStewards: listEdit,
    addTerms: z.array(termId).max(50).default([]),
    removeTerms: listEdit,
  })
  .strict()
  .superRefine((body, ctx) => {
    // Adding and removing one value at once says two things: refuse rather than pick one.
    for (const field of ['Tags', 'Owners', 'Stewards', 'Terms'] as const) {
      const removed = new Set(body[`remove${field}`]);
      const both = body[`add${field}`].find(value => removed.has(value));
      if (both !== undefined)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [`add${field}`],
          message: `'${both}' is both added and removed (remove${field})`,
        });
    }
  });

const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});

function validRef(ref: string): string {
  try {
    parseAssetRef(ref);
    return ref;
  } catch {
    throw new InputError(
      'Invalid ref: must be a data catalog asset ref (racine:data-catalog:<type>/<path>); pass it URL-encoded',
    );
  }
}

export function createCurationRouter(options: {
  httpAuth: HttpAuthService;
  access: CatalogAccess;
  curation: CurationService;
}): express.Router {
  const { httpAuth, access, curation } = options;
  const router = Router();
  const body = express.json({ limit: '2mb' });

  // Who may edit is checked before the body is parsed.
  const editor = async (
    req: express.Request,
    res: express.Response,
    next: express.NextFunction,
  ) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await access.requireAny(credentials, catalogEditPermission);
    res.locals.credentials = credentials;
    next();
  };

  router.post('/assets/bulk', editor, body, async (req, res) => {
    const input = parseInput(bulkBody, req.body, 'body');
    input.refs.forEach(validRef);
    const { refs, set, ...ops } = input;
    res.json(await curation.bulk(res.locals.credentials, refs, { set, ...ops }));
  });

  router.patch('/assets/:ref', editor, body, async (req, res) => {
    const ref = validRef(req.params.ref);
    const { expectedVersion, ...patch } = parseInput(patchBody, req.body, 'body');
    if (Object.keys(patch).length === 0)
      throw new InputError('Invalid body: give at least one field to change');
    res.json(await curation.patch(res.locals.credentials, ref, patch, expectedVersion));
  });

  router.get('/assets/:ref/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await access.requireAny(credentials, catalogViewPermission);
    const ref = validRef(req.params.ref);
    const query = parseInput(historyQuery, req.query, 'query');
    res.json(await curation.history(credentials, ref, query));
  });

  return router;
}
