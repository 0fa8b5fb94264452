import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { parseInput, type RouteDeclaration } from '@racine/kernel-node';
import express from 'express';
import Router from 'express-promise-router';
import type { Knex } from 'knex';
import { z } from 'zod';
import { ASSETS_TABLE, LABELS_TABLE } from './database/migrations';
import { GLOSSARY_TABLE } from './database/searchMigration';

/**
 * Service-only feed of catalog facts (`GET /api/data-catalog/facts`): every asset with its
 * curated metadata and its labels (all statuses; consumers such as compliance decide which
 * statuses count), in keyset pages by ref. `refs` narrows to given assets (incremental
 * consumers), `changedSince` to assets updated since a time.
 */
export interface FactLabel {
  classifierId: string;
  status: string;
  confidence: number;
  /** The classifier's categories and sensitivity, as the scan reported them (else [] / null). */
  categories: string[];
  sensitivity: string | null;
}

export interface AssetFact {
  ref: string;
  type: string;
  name: string;
  qualifiedName: string;
  parentRef: string | null;
  dataSourceId: string;
  workspace: string;
  status: string;
  description: string | null;
  owners: string[];
  stewards: string[];
  tags: string[];
  terms: string[];
  properties: Record<string, unknown>;
  sensitivity: string | null;
  labels: FactLabel[];
  updatedAt: string;
}

const factsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  cursor: z.string().max(8000).optional(),
  // Comma-separated and/or repeated (`refs=a,b&refs=c`).
  refs: z
    .union([z.string().max(800_000), z.array(z.string().max(8000)).max(1000)])
    .optional()
    .transform(value =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value])
            .flatMap(v => v.split(','))
            .map(v => v.trim())
            .filter(Boolean),
    )
    .pipe(z.array(z.string()).max(5000).optional()),
  changedSince: z.iso.datetime({ offset: true }).optional(),
});

function parseObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function parseTags(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export function createFactsRouter(options: { httpAuth: HttpAuthService; knex: Knex }): {
  router: express.Router;
  routes: RouteDeclaration[];
} {
  const { httpAuth, knex } = options;
  const router = Router();
  const routes: RouteDeclaration[] = [
    {
      method: 'GET',
      path: '/facts',
      audience: 'service',
      description: 'Assets with metadata and labels, in pages (other plugins only)',
    },
  ];

  router.get('/facts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const principal = credentials.principal as { type: string; subject?: string };
    if (principal.type !== 'service' || !principal.subject?.startsWith('plugin:')) {
      throw new NotAllowedError('Only backend plugins may read the catalog facts feed');
    }
    const query = parseInput(factsQuery, req.query, 'query');
    const rows = (await knex(ASSETS_TABLE)
      .select(
        'ref',
        'type',
        'name',
        'qualified_name',
        'parent_ref',
        'data_source_id',
        'workspace',
        'status',
        'description',
        'owners',
        'stewards',
        'tags',
        'terms',
        'properties',
        'sensitivity',
        'updated_at',
      )
      .modify(q => {
        if (query.refs) q.whereIn('ref', query.refs);
        if (query.cursor) q.where('ref', '>', query.cursor);
        if (query.changedSince) q.where('updated_at', '>=', query.changedSince);
      })
      .orderBy('ref')
      .limit(query.limit + 1)) as Array<Record<string, unknown>>;
    const page = rows.slice(0, query.limit);
    const labelsByRef = new Map<string, FactLabel[]>();
    for (let i = 0; i < page.length; i += 500) {
      const refs = page.slice(i, i + 500).map(r => String(r.ref));
      const labels = (await knex(LABELS_TABLE)
        .select('asset_ref', 'classifier_id', 'status', 'confidence', 'categories', 'sensitivity')
        .whereIn('asset_ref', refs)
        .orderBy(['asset_ref', 'classifier_id'])) as Array<Record<string, unknown>>;
      for (const l of labels) {
        const list = labelsByRef.get(String(l.asset_ref)) ?? [];
        list.push({
          classifierId: String(l.classifier_id),
          status: String(l.status),
          confidence: Number(l.confidence),
          categories: parseTags(l.categories),
          sensitivity: l.sensitivity ? String(l.sensitivity) : null,
        });
        labelsByRef.set(String(l.asset_ref), list);
      }
    }
    const termIds = [...new Set(page.flatMap(r => parseTags(r.terms)))];
    const termNames = new Map<string, string>();
    for (let i = 0; i < termIds.length; i += 500) {
      const terms = (await knex(GLOSSARY_TABLE)
        .select('id', 'name')
        .whereIn('id', termIds.slice(i, i + 500))) as { id: string; name: string }[];
      for (const t of terms) termNames.set(t.id, t.name);
    }
    const items: AssetFact[] = page.map(r => ({
      ref: String(r.ref),
      type: String(r.type),
      name: String(r.name),
      qualifiedName: String(r.qualified_name),
      parentRef: r.parent_ref ? String(r.parent_ref) : null,
      dataSourceId: String(r.data_source_id),
      workspace: String(r.workspace),
      status: String(r.status),
      description: r.description ? String(r.description) : null,
      owners: parseTags(r.owners),
      stewards: parseTags(r.stewards),
      tags: parseTags(r.tags),
      terms: parseTags(r.terms).flatMap(id => (termNames.has(id) ? [termNames.get(id)!] : [])),
      properties: parseObject(r.properties),
      sensitivity: r.sensitivity ? String(r.sensitivity) : null,
      labels: labelsByRef.get(String(r.ref)) ?? [],
      updatedAt: String(r.updated_at),
    }));
    res.json({
      items,
      nextCursor: rows.length > query.limit ? items[items.length - 1]!.ref : null,
    });
  });

  return { router, routes };
}
