import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  createPermissionRule,
  type PermissionResourceRef,
} from '@backstage/plugin-permission-node';
import {
  isGranted,
  type AccessFilter,
  type AccessQuery,
  type GovernedResource,
  type GovernedResourceOptions,
} from '@racine/kernel-node';
import {
  CATALOG_ASSET_RESOURCE_TYPE,
  SENSITIVITY_AT_MOST_RULE,
  catalogEditPermission,
  catalogViewPermission,
  sensitivityLevels,
  sensitivityRank,
} from '@racine/plugin-data-catalog-common';
import { z } from 'zod';
import type { CatalogStore, StoredAsset } from '../database/CatalogStore';
import { ASSETS_TABLE } from '../database/migrations';
import { FACETS_TABLE } from '../database/searchMigration';

/**
 * The catalog's ABAC rule: a sensitivity ceiling, e.g. "catalog.view on assets at most
 * CONFIDENTIAL". Unclassified assets (rank 0) pass every ceiling.
 */
export function createSensitivityRule(
  resourceRef: PermissionResourceRef<StoredAsset, AccessQuery>,
) {
  return createPermissionRule({
    name: SENSITIVITY_AT_MOST_RULE,
    description: 'The asset is at most this sensitive (unclassified assets pass)',
    resourceRef,
    paramsSchema: z.object({ level: z.enum(sensitivityLevels) }),
    apply: (asset: StoredAsset, { level }) => asset.sensitivityRank <= sensitivityRank(level),
    toQuery:
      ({ level }): AccessQuery =>
      query => {
        // Most assets are unclassified (rank 0), so a ceiling is never selective: the unary
        // plus keeps both planners from walking the sensitivity index for it.
        query.whereRaw(`+??.sensitivity_rank <= ?`, [ASSETS_TABLE, sensitivityRank(level)]);
      },
  });
}

/** How catalog assets are governed: the standard rules on their SQL columns plus the sensitivity rule. */
export function catalogAssetGovernance(
  store: CatalogStore,
  rules: GovernedResourceOptions<StoredAsset>['rules'],
): GovernedResourceOptions<StoredAsset> {
  return {
    resourceType: CATALOG_ASSET_RESOURCE_TYPE,
    permissions: [catalogViewPermission, catalogEditPermission],
    refOf: asset => asset.ref,
    workspaceOf: asset => asset.workspace,
    ownersOf: asset => asset.owners,
    columns: {
      ref: `${ASSETS_TABLE}.ref`,
      workspace: `${ASSETS_TABLE}.workspace`,
      owner: `${ASSETS_TABLE}.owner`,
    },
    // IS_OWNED_BY: any of the asset's owners (one owner facet row each), as `ownersOf` says.
    ownedByQuery: owners => query => {
      query.whereExists(sub =>
        sub
          .select(sub.client.raw('1'))
          .from(`${FACETS_TABLE} as owned`)
          .where('owned.facet', 'owner')
          .whereIn('owned.value', owners)
          .whereRaw('owned.asset_ref = ??', [`${ASSETS_TABLE}.ref`]),
      );
    },
    getResources: async refs => {
      const found = new Map((await store.getAssets(refs)).map(a => [a.ref, a]));
      return refs.map(ref => found.get(ref));
    },
    rules,
  };
}

/** What one caller may see and change: an SQL filter plus in-memory checks. */
export interface AccessScope {
  filter: AccessFilter;
  visible(assets: StoredAsset[]): Promise<StoredAsset[]>;
}

/** Internal callers (ingestion, other services of this plugin) see everything. */
export const UNRESTRICTED_SCOPE: AccessScope = {
  filter: { result: 'all' },
  visible: async assets => assets,
};

export class CatalogAccess {
  constructor(
    private readonly governed: GovernedResource<StoredAsset>,
    private readonly permissions: PermissionsService,
  ) {}

  /** The caller's view scope; 403 when catalog.view is not granted at all. */
  async viewScope(credentials: BackstageCredentials): Promise<AccessScope> {
    return this.scope(credentials, catalogViewPermission);
  }

  async scope(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<AccessScope> {
    const filter = await this.governed.filter(credentials, permission);
    if (filter.result === 'none')
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    return {
      filter,
      visible: async assets =>
        filter.result === 'all'
          ? assets
          : this.governed.filterResources(credentials, permission, assets),
    };
  }

  /** Whether the caller holds `permission` anywhere (checked before any body is parsed). */
  async requireAny(credentials: BackstageCredentials, permission: ResourcePermission) {
    if (!(await isGranted(this.permissions, credentials, permission)))
      throw new NotAllowedError(`Missing permission ${permission.name}`);
  }

  async allowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    assets: StoredAsset[],
  ): Promise<StoredAsset[]> {
    return this.governed.filterResources(credentials, permission, assets);
  }
}
