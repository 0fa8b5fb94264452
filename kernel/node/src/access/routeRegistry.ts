import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { Permission } from '@backstage/plugin-permission-common';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP route of a plugin and who may call it. The authorization matrix test
 * (plugins/rbac-backend) calls every declared route as every built-in role and fails when a
 * caller without the permission gets anything but 403, or when a mounted route is undeclared.
 */
export interface RouteDeclaration {
  method: RouteMethod;
  /** Express path relative to the plugin's mount (`/api/<pluginId>`), e.g. `/roles/:name`. */
  path: string;
  /**
   * The permission the route requires before anything else (several = any of them). A
   * resource permission counts when granted conditionally; the route then filters.
   */
  permission?: Permission | Permission[];
  /**
   * Who may call a route without a `permission`: any signed-in user (the handler decides
   * per item, e.g. "my API keys"), only other plugins, or anyone.
   */
  audience?: 'signed-in' | 'service' | 'public';
  description?: string;
}

export interface DeclaredRoute extends RouteDeclaration {
  pluginId: string;
}

/** Root store of every declared route. */
export class RouteRegistry {
  readonly routes: DeclaredRoute[] = [];

  add(pluginId: string, route: RouteDeclaration) {
    const method = route.method.toUpperCase() as RouteMethod;
    if (
      this.routes.some(r => r.pluginId === pluginId && r.method === method && r.path === route.path)
    ) {
      throw new Error(`Route ${method} /api/${pluginId}${route.path} is already declared`);
    }
    this.routes.push({ ...route, method, pluginId });
  }

  /** Permission names a declared route requires (empty for audience-only routes). */
  static permissionNames(route: RouteDeclaration): string[] {
    if (!route.permission) return [];
    return (Array.isArray(route.permission) ? route.permission : [route.permission]).map(
      p => p.name,
    );
  }
}

export const routeRegistryStoreServiceRef = createServiceRef<RouteRegistry>({
  id: 'racine.kernel.route-registry-store',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({ service, deps: {}, factory: () => new RouteRegistry() }),
});

export interface RouteRegistryService {
  /** Declares routes of this plugin (paths relative to `/api/<pluginId>`). */
  register(routes: RouteDeclaration[]): void;
}

/** Plugin-scoped: declarations are stamped with the declaring plugin. */
export const routeRegistryServiceRef = createServiceRef<RouteRegistryService>({
  id: 'racine.kernel.route-registry',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { store: routeRegistryStoreServiceRef, plugin: coreServices.pluginMetadata },
      factory: ({ store, plugin }) => ({
        register: routes => routes.forEach(route => store.add(plugin.getId(), route)),
      }),
    }),
});
