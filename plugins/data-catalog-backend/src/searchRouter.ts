import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseInput, type RouteDeclaration } from '@racine/kernel-node';
import {
  assetStatuses,
  assetTypes,
  catalogViewPermission,
  sensitivityLevels,
} from '@racine/plugin-data-catalog-common';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { CatalogAccess } from './services/catalogAccess';
import type { SearchService } from './services/SearchService';

export const searchRoutes: RouteDeclaration[] = [
  {
    method: 'GET',
    path: '/search',
    permission: catalogViewPermission,
    description: 'Full-text catalog search with facets',
  },
];

/** `a,b` or repeated parameters → a list of distinct non-empty values. */
function listOf<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform(value =>
      [
        ...new Set(
          (Array.isArray(value) ? value : [value])
            .flatMap(v => v.split(','))
            .map(v => v.trim())
            .filter(Boolean),
        ),
      ].slice(0, 50),
    )
    .pipe(z.array(item))
    .optional();
}

const searchQuery = z.object({
  q: z.string().max(200).default(''),
  // Enumerated values in any case (`sensitivity=restricted`, `type=Table`).
  type: listOf(
    z
      .string()
      .transform(v => v.toLowerCase())
      .pipe(z.enum(assetTypes)),
  ),
  dataSourceId: listOf(z.string().max(255)),
  schema: listOf(z.string().max(1000)),
  label: listOf(z.string().max(255)),
  sensitivity: listOf(
    z
      .string()
      .transform(v => v.toUpperCase())
      .pipe(z.enum(sensitivityLevels)),
  ),
  tag: listOf(z.string().max(255)),
  owner: listOf(z.string().max(255)),
  term: listOf(z.string().max(36)),
  status: listOf(
    z
      .string()
      .transform(v => v.toLowerCase())
      .pipe(z.enum(assetStatuses)),
  ),
  facets: z.enum(['true', 'false']).default('true'),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  cursor: z.string().max(200).optional(),
});

export function createSearchRouter(options: {
  httpAuth: HttpAuthService;
  access: CatalogAccess;
  search: SearchService;
}): express.Router {
  const { httpAuth, access, search } = options;
  const router = Router();

  router.get('/search', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const scope = await access.viewScope(credentials);
    const query = parseInput(searchQuery, req.query, 'query');
    res.json(
      await search.search(
        {
          query: query.q.trim(),
          filters: {
            type: query.type,
            dataSourceId: query.dataSourceId,
            schema: query.schema,
            label: query.label,
            sensitivity: query.sensitivity,
            tag: query.tag,
            owner: query.owner,
            term: query.term,
            status: query.status,
          },
          limit: query.limit,
          cursor: query.cursor,
          facets: query.facets === 'true',
        },
        scope,
      ),
    );
  });

  return router;
}
