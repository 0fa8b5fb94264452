import type { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import type { SearchHit } from '@racine/kernel-common';
import {
  grantedPermissionNames,
  type SearchProvider,
  type SearchRequest,
} from '@racine/kernel-node';

const PROVIDER_TIMEOUT_MS = 3000;

/**
 * Asks every provider the caller may use, in parallel, and merges their hits by score.
 * A slow or failing provider is logged and left out rather than failing the whole search.
 */
export async function federatedSearch(options: {
  providers: SearchProvider[];
  permissions: PermissionsService;
  logger: LoggerService;
  request: SearchRequest;
}): Promise<SearchHit[]> {
  const { request, logger } = options;
  if (!request.query) return [];
  const granted = await grantedPermissionNames(
    options.permissions,
    request.credentials,
    options.providers.flatMap(p => (p.permission ? [p.permission] : [])),
  );
  const providers = options.providers.filter(
    p =>
      (!p.permission || granted.has(p.permission.name)) &&
      (request.types.length === 0 || p.types.some(t => request.types.includes(t))),
  );
  const results = await Promise.all(
    providers.map(async provider => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const hits = await Promise.race([
          provider.search(request),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out')), PROVIDER_TIMEOUT_MS);
          }),
        ]);
        return hits.filter(h => request.types.length === 0 || request.types.includes(h.type));
      } catch (error) {
        logger.warn(`Search provider ${provider.id} failed: ${String(error)}`);
        return [];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results
    .flat()
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title))
    .slice(0, request.limit);
}
