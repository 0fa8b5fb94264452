/**
 * Lists the routes mounted in an express router tree (method + path), so tests can check
 * every mounted route against the route registry. Reads express 4's router internals.
 */
export interface MountedRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  regexp?: RegExp & { fast_slash?: boolean };
  keys?: Array<{ name: string | number }>;
}

/** The mount path of a `router.use(path, …)` layer, from the regexp express compiled. */
function mountPath(layer: Layer): string {
  const regexp = layer.regexp;
  if (!regexp || regexp.fast_slash) return '';
  let index = 0;
  const source = regexp.source
    .replace(/^\^/, '')
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, '')
    .replace(
      /\(\?:\(\[\^\\\/\]\+\?\)\)/g,
      () => `:${String(layer.keys?.[index++]?.name ?? 'param')}`,
    )
    .replace(/\\(.)/g, '$1');
  return source === '/' ? '' : source;
}

export function listExpressRoutes(handler: unknown, prefix = ''): MountedRoute[] {
  const stack = (handler as { stack?: Layer[] }).stack;
  if (!Array.isArray(stack)) return [];
  const routes: MountedRoute[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all')
            routes.push({ method: method.toUpperCase(), path: `${prefix}${path}` });
        }
      }
    } else if (layer.handle?.stack) {
      routes.push(...listExpressRoutes(layer.handle, `${prefix}${mountPath(layer)}`));
    }
  }
  return routes;
}
