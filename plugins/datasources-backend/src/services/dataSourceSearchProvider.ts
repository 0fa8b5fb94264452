import type { SearchProvider } from '@racine/kernel-node';
import { datasourceViewPermission } from '@racine/plugin-datasources-common';
import type { DataSourceService } from './DataSourceService';

/** Global search over the data sources of the caller's workspace: name, tags, type, environment. */
export function createDataSourceSearchProvider(service: DataSourceService): SearchProvider {
  return {
    id: 'datasources.sources',
    types: ['datasource'],
    permission: datasourceViewPermission,
    async search({ query, limit, workspace }) {
      if (!query) return [];
      const q = query.toLowerCase();
      const { items } = await service.list({ q: query, workspace, limit });
      return items.map(source => {
        const name = source.name.toLowerCase();
        const score = name === q ? 1 : name.startsWith(q) ? 0.8 : name.includes(q) ? 0.6 : 0.4;
        const facts = [source.type, source.environment, ...source.tags.map(t => `#${t}`)].filter(
          Boolean,
        );
        return {
          ref: source.ref,
          type: 'datasource',
          title: source.name,
          snippet: [source.description, facts.join(' · ')].filter(Boolean).join(' — '),
          score,
          url: `/datasources/${encodeURIComponent(source.id)}`,
        };
      });
    },
  };
}
