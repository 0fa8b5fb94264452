import { NotFoundError } from '@backstage/errors';
import {
  assetRef,
  parseAssetRef,
  type AssetChild,
  type AssetDetails,
  type AssetDetailsResponse,
  type AssetSummary,
  type Breadcrumb,
  type ListAssetsResponse,
  type TreeResponse,
} from '@racine/plugin-data-catalog-common';
import type {
  AssetFilter,
  CatalogStore,
  StatusFilter,
  StoredAsset,
  StoredLabel,
} from '../database/CatalogStore';
import { UNRESTRICTED_SCOPE, type AccessScope } from './catalogAccess';

function commentOf(asset: StoredAsset): string | null {
  const comment = asset.technical.comment;
  return typeof comment === 'string' && comment ? comment : null;
}

function dataTypeOf(asset: StoredAsset): string | null {
  const t = asset.technical;
  if (asset.type === 'column' && typeof t.dataType === 'string') return t.dataType;
  if ((asset.type === 'table' || asset.type === 'view') && typeof t.kind === 'string')
    return t.kind;
  return null;
}

export function summaryOf(asset: StoredAsset, labels: StoredLabel[]): AssetSummary {
  return {
    ref: asset.ref,
    type: asset.type,
    name: asset.name,
    qualifiedName: asset.qualifiedName,
    dataSourceId: asset.dataSourceId,
    parentRef: asset.parentRef,
    status: asset.status,
    workspace: asset.workspace,
    description: asset.description ?? commentOf(asset),
    owner: asset.owner,
    owners: asset.owners,
    stewards: asset.stewards,
    tags: asset.tags,
    terms: asset.terms,
    properties: asset.properties,
    sensitivity: asset.sensitivity,
    version: asset.version,
    dataType: dataTypeOf(asset),
    firstSeenAt: asset.firstSeenAt,
    lastSeenAt: asset.lastSeenAt,
    updatedAt: asset.updatedAt,
    labels: labels.map(l => ({
      classifierId: l.classifierId,
      confidence: l.confidence,
      status: l.status,
      sensitivity: l.sensitivity,
      categories: l.categories,
    })),
  };
}

function detailsOf(asset: StoredAsset, labels: StoredLabel[]): AssetDetails {
  return {
    ...summaryOf(asset, []),
    technical: asset.technical as AssetDetails['technical'],
    profile: asset.profile,
    labels: labels.map(({ id: _id, assetRef: _ref, ...label }) => label),
    lastRunId: asset.lastRunId,
    sensitivityOverride: asset.sensitivityOverride,
  };
}

export function groupLabels(labels: StoredLabel[]): Map<string, StoredLabel[]> {
  const byAsset = new Map<string, StoredLabel[]>();
  for (const label of labels) {
    const list = byAsset.get(label.assetRef) ?? [];
    list.push(label);
    byAsset.set(label.assetRef, list);
  }
  return byAsset;
}

const CHILDREN_LIMIT = 1000;

/** The catalog as people read it: lists, asset pages, the tree and search. */
export class CatalogQueryService {
  constructor(private readonly store: CatalogStore) {}

  async list(
    filter: AssetFilter,
    page: { limit: number; cursor?: string },
    scope: AccessScope = UNRESTRICTED_SCOPE,
  ): Promise<ListAssetsResponse> {
    const found = await this.store.listAssets({ ...filter, access: scope.filter }, page);
    const labels = groupLabels(await this.store.labelsOf(found.items.map(a => a.ref)));
    return {
      items: found.items.map(a => summaryOf(a, labels.get(a.ref) ?? [])),
      nextCursor: found.nextCursor,
    };
  }

  async details(
    ref: string,
    options: { includeDeleted: boolean },
    scope: AccessScope = UNRESTRICTED_SCOPE,
  ): Promise<AssetDetailsResponse> {
    // An asset the caller may not see does not exist for them.
    const [asset] = await scope.visible(await this.store.getAssets([ref]));
    if (!asset) throw new NotFoundError(`No asset ${ref}`);
    const breadcrumbs = await this.breadcrumbsOf(asset);
    // A deleted asset shows the children it had; an active one its active children.
    const status: StatusFilter =
      options.includeDeleted || asset.status === 'deleted' ? 'all' : 'active';

    if (asset.type === 'table' || asset.type === 'view') {
      const columns = await this.store.listChildren(ref, {
        status,
        limit: 100_000,
        access: scope.filter,
      });
      const labels = groupLabels(
        await this.store.labelsOf([ref, ...columns.items.map(c => c.ref)]),
      );
      const ordinal = (c: StoredAsset) =>
        typeof c.technical.ordinal === 'number' ? c.technical.ordinal : 0;
      return {
        ...detailsOf(asset, labels.get(ref) ?? []),
        breadcrumbs,
        columns: columns.items
          .sort((a, b) => ordinal(a) - ordinal(b) || a.name.localeCompare(b.name))
          .map(c => detailsOf(c, labels.get(c.ref) ?? [])),
      };
    }
    const labels = await this.store.labelsOf([ref]);
    if (asset.type === 'column') return { ...detailsOf(asset, labels), breadcrumbs };
    const children = await this.childrenWithCounts(ref, status, CHILDREN_LIMIT, scope);
    return { ...detailsOf(asset, labels), breadcrumbs, children: children.items };
  }

  async tree(
    parentRef: string | null,
    options: { status: StatusFilter; limit: number; cursor?: string },
    scope: AccessScope = UNRESTRICTED_SCOPE,
  ): Promise<TreeResponse> {
    if (parentRef !== null) {
      const [parent] = await scope.visible(await this.store.getAssets([parentRef]));
      if (!parent) throw new NotFoundError(`No asset ${parentRef}`);
    }
    const page = await this.childrenWithCounts(
      parentRef,
      options.status,
      options.limit,
      scope,
      options.cursor,
    );
    return {
      items: page.items.map(c => ({
        ref: c.ref,
        type: c.type,
        name: c.name,
        qualifiedName: c.qualifiedName,
        status: c.status,
        dataType: c.dataType,
        childCount: c.childCount,
        lastSeenAt: c.lastSeenAt,
        updatedAt: c.updatedAt,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Names of data sources as last scanned, by id. */
  async dataSourceNames(ids: string[]): Promise<Map<string, string>> {
    const found = await this.store.getAssets(
      [...new Set(ids)].map(id => assetRef('datasource', [id])),
    );
    return new Map(found.map(a => [a.dataSourceId, a.name]));
  }

  private async childrenWithCounts(
    parentRef: string | null,
    status: StatusFilter,
    limit: number,
    scope: AccessScope,
    cursor?: string,
  ): Promise<{ items: AssetChild[]; nextCursor: string | null }> {
    const page = await this.store.listChildren(parentRef, {
      status,
      limit,
      cursor,
      access: scope.filter,
    });
    const refs = page.items.map(c => c.ref);
    const [counts, labels] = await Promise.all([
      // Counted as the caller may see them: hidden children are not even counted.
      this.store.countChildren(refs, status === 'all' ? 'all' : 'active', scope.filter),
      this.store.labelsOf(refs),
    ]);
    const byAsset = groupLabels(labels);
    return {
      items: page.items.map(c => ({
        ...summaryOf(c, byAsset.get(c.ref) ?? []),
        childCount: counts.get(c.ref) ?? 0,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Data source → … → parent. The path gives the containers; a column's table comes from its parent ref. */
  private async breadcrumbsOf(asset: StoredAsset): Promise<Breadcrumb[]> {
    const { segments } = parseAssetRef(asset.ref);
    const containers = (['datasource', 'database', 'schema'] as const)
      .slice(0, Math.min(3, segments.length - 1))
      .map((type, i) => assetRef(type, segments.slice(0, i + 1)));
    const refs =
      asset.type === 'column' && asset.parentRef ? [...containers, asset.parentRef] : containers;
    const found = new Map((await this.store.getAssets(refs)).map(a => [a.ref, a]));
    return refs.flatMap(ref => {
      const crumb = found.get(ref);
      return crumb ? [{ ref, type: crumb.type, name: crumb.name }] : [];
    });
  }
}
