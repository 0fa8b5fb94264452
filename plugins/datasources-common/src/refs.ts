/** The plugin id of the datasources group (routes at `/api/datasources`). */
export const DATASOURCES_PLUGIN_ID = 'datasources';

/** Resource ref of a data source: `racine:datasources:datasource/<id>`. */
export function dataSourceRef(id: string): string {
  return `racine:${DATASOURCES_PLUGIN_ID}:datasource/${id}`;
}

/**
 * Service principals allowed to read a data source's connection (decrypted credentials
 * included) through `GET /api/datasources/:id/connection`.
 */
export const CONNECTION_READERS: readonly string[] = [
  'plugin:scans',
  'plugin:scan-rulesets',
  'plugin:pipelines',
  'plugin:classifications',
];
