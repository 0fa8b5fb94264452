import type { SearchFacetValue } from '@racine/plugin-data-catalog-common';

/**
 * Data source names by id, for results that carry only the id: from the titles of the
 * `dataSourceId` facet values (the search names the data sources it counts) and from the
 * data sources' own catalog assets. A facet title that merely repeats the id (the search
 * found no name) names nothing.
 */
export function dataSourceNameMap(
  facetValues: readonly SearchFacetValue[] | undefined,
  sources: readonly { dataSourceId: string; name: string }[] = [],
): Map<string, string> {
  const names = new Map<string, string>();
  for (const source of sources) if (source.name) names.set(source.dataSourceId, source.name);
  for (const v of facetValues ?? [])
    if (v.title && v.title !== v.value && !names.has(v.value)) names.set(v.value, v.title);
  return names;
}

/** The distinct ids among `ids` that `names` does not name, sorted. */
export function unnamedDataSources(
  ids: Iterable<string>,
  names: ReadonlyMap<string, string>,
): string[] {
  return [...new Set(ids)].filter(id => !names.has(id)).sort();
}
