import { assetPagePath, catalogViewPermission } from '@racine/plugin-data-catalog-common';
import type { SearchProvider } from '@racine/kernel-node';
import type { CatalogAccess } from './catalogAccess';
import type { CatalogQueryService } from './CatalogQueryService';
import { markdownToText, truncateText } from './markdownToText';
import type { SearchService } from './SearchService';

const SEARCHABLE = ['table', 'view', 'column'] as const;

/**
 * The kernel's global search over tables, views and columns: the catalog search (full text,
 * typo tolerant, exact names first), narrowed to what the caller may see.
 */
export function createAssetSearchProvider(
  search: SearchService,
  access: CatalogAccess,
  catalog: Pick<CatalogQueryService, 'dataSourceNames'>,
): SearchProvider {
  return {
    id: 'data-catalog.assets',
    types: [...SEARCHABLE],
    permission: catalogViewPermission,
    async search({ query, types, limit, credentials }) {
      const q = query.trim().toLowerCase();
      if (!q) return [];
      const wanted = types.length ? SEARCHABLE.filter(t => types.includes(t)) : [...SEARCHABLE];
      if (wanted.length === 0) return [];
      const scope = await access.viewScope(credentials);
      const found = await search.search(
        { query: q, filters: { type: [...wanted] }, limit, facets: false },
        scope,
      );
      const sources = await catalog.dataSourceNames(found.items.map(a => a.dataSourceId));
      return found.items.map((asset, index) => {
        const name = asset.name.toLowerCase();
        const qualified = asset.qualifiedName.toLowerCase();
        const exact = name === q || qualified === q;
        // Rank order from the catalog, mapped onto the kernel's 0…1 scale.
        const score = exact ? 1 : Math.max(0.1, (found.fuzzy ? 0.5 : 0.8) - index * 0.01);
        const kind = asset.type === 'column' ? 'Column' : asset.type === 'view' ? 'View' : 'Table';
        const dataType = asset.dataType && asset.type === 'column' ? ` (${asset.dataType})` : '';
        // Descriptions are Markdown: the snippet shows their text, not their syntax.
        const description = asset.description
          ? truncateText(markdownToText(asset.description, { maxLength: 240 }), 120)
          : '';
        const described = description ? ` — ${description}` : '';
        return {
          ref: asset.ref,
          type: asset.type,
          title: asset.qualifiedName,
          snippet: `${kind} ${asset.qualifiedName}${dataType} in ${sources.get(asset.dataSourceId) ?? asset.dataSourceId}${described}`,
          score,
          url: assetPagePath(asset.ref),
        };
      });
    },
  };
}
