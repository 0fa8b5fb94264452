/**
 * Resource refs: every governed thing has a stable ref `racine:<plugin>:<type>/<id>`.
 * Ids may contain dots and slashes (asset paths), so only the first `/` after the type splits.
 */
export interface ResourceRef {
  plugin: string;
  type: string;
  id: string;
}

const refPattern = /^racine:([a-z0-9-]+):([a-z0-9-]+)\/(.+)$/;

export function stringifyRef(ref: ResourceRef): string {
  return `racine:${ref.plugin}:${ref.type}/${ref.id}`;
}

export function parseRef(ref: string): ResourceRef {
  const match = refPattern.exec(ref);
  if (!match) {
    throw new TypeError(`"${ref}" is not a resource ref (racine:<plugin>:<type>/<id>)`);
  }
  return { plugin: match[1], type: match[2], id: match[3] };
}

export function isRef(value: string): boolean {
  return refPattern.test(value);
}
