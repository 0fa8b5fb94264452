import {
  assetRef,
  type SearchAssetsResponse,
  type SearchFacetValue,
} from '@racine/plugin-data-catalog-common';
import type { CatalogStore } from '../database/CatalogStore';
import type { KnexGlossaryStore } from '../database/GlossaryStore';
import type { KnexSearchStore, SearchFilters } from '../database/SearchStore';
import type { AccessScope } from './catalogAccess';
import { groupLabels, summaryOf } from './CatalogQueryService';

/** Catalog search as people read it: summaries in rank order, facet counts, term names. */
export class SearchService {
  constructor(
    private readonly deps: {
      search: KnexSearchStore;
      store: CatalogStore;
      glossary: KnexGlossaryStore;
    },
  ) {}

  async search(
    input: {
      query: string;
      filters: SearchFilters;
      limit: number;
      cursor?: string;
      facets: boolean;
    },
    scope: AccessScope,
  ): Promise<SearchAssetsResponse> {
    const found = await this.deps.search.search({ ...input, access: scope.filter });
    const assets = new Map((await this.deps.store.getAssets(found.refs)).map(a => [a.ref, a]));
    const labels = groupLabels(await this.deps.store.labelsOf(found.refs));
    const items = found.refs.flatMap(ref => {
      const asset = assets.get(ref);
      return asset ? [summaryOf(asset, labels.get(ref) ?? [])] : [];
    });
    const facets: SearchAssetsResponse['facets'] = { ...found.facets };
    if (facets.term?.length) {
      const names = await this.deps.glossary.names(facets.term.map(v => v.value));
      facets.term = facets.term.map((v): SearchFacetValue => ({
        ...v,
        title: names.get(v.value) ?? v.value,
      }));
    }
    if (facets.dataSourceId?.length) {
      const sources = await this.deps.store.getAssets(
        facets.dataSourceId.map(v => assetRef('datasource', [v.value])),
      );
      const names = new Map(sources.map(a => [a.dataSourceId, a.name]));
      facets.dataSourceId = facets.dataSourceId.map(v => ({
        ...v,
        title: names.get(v.value) ?? v.value,
      }));
    }
    return {
      items,
      facets,
      facetsApproximate: found.facetsApproximate,
      total: found.total,
      totalExact: found.totalExact,
      nextCursor: found.nextCursor,
      fuzzy: found.fuzzy,
    };
  }
}
