import { assetPagePath, catalogViewPermission } from '@racine/plugin-data-catalog-common';
import type { SearchProvider } from '@racine/kernel-node';
import type { CatalogQueryService } from './CatalogQueryService';

const SEARCHABLE = ['table', 'view', 'column'] as const;
type Searchable = (typeof SEARCHABLE)[number];

/**
 * Global search over tables, views and columns by name and qualified name: exact matches
 * first, then prefixes, then substrings (full text arrives with the catalog search issue).
 */
export function createAssetSearchProvider(catalog: CatalogQueryService): SearchProvider {
  return {
    id: 'data-catalog.assets',
    types: [...SEARCHABLE],
    permission: catalogViewPermission,
    async search({ query, types, limit }) {
      const q = query.trim().toLowerCase();
      if (!q) return [];
      const wanted = types.length ? SEARCHABLE.filter(t => types.includes(t)) : [...SEARCHABLE];
      if (wanted.length === 0) return [];
      const found = await catalog.search(q, wanted as Searchable[], limit);
      const sources = await catalog.dataSourceNames(found.map(a => a.dataSourceId));
      return found.map(asset => {
        const name = asset.name.toLowerCase();
        const qualified = asset.qualifiedName.toLowerCase();
        const score =
          name === q || qualified === q
            ? 1
            : name.startsWith(q) || qualified.startsWith(q)
              ? 0.8
              : 0.5;
        const dataType =
          typeof asset.technical.dataType === 'string' ? ` (${asset.technical.dataType})` : '';
        const kind = asset.type === 'column' ? 'Column' : asset.type === 'view' ? 'View' : 'Table';
        return {
          ref: asset.ref,
          type: asset.type,
          title: asset.qualifiedName,
          snippet: `${kind} ${asset.qualifiedName}${dataType} in ${sources.get(asset.dataSourceId) ?? asset.dataSourceId}`,
          score,
          url: assetPagePath(asset.ref),
        };
      });
    },
  };
}
