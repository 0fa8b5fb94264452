import {
  assetTypes,
  parseAssetRef,
  type AssetType,
  type ImpactAnalysisResponse,
  type ImpactedAsset,
} from '@racine/plugin-data-catalog-common';

/** An impacted asset as the impact panel lists it. */
export interface ImpactRow extends ImpactedAsset {
  /** The asset's own name: the last segment of its ref (its qualified name if unreadable). */
  name: string;
  /** The type as an `AssetType` (for icons and titles), or null when the ref names another. */
  assetType: AssetType | null;
}

/** An owner to notify, with how many of the impacted assets they own. */
export interface ImpactOwner {
  owner: string;
  kind: 'user' | 'group' | 'other';
  /** The entity name without its kind and namespace (`user:default/ada` → `ada`). */
  name: string;
  count: number;
}

export interface ImpactFilter {
  /** Words each matched (case-insensitively) in name, qualified name, type or owners. */
  text: string;
  /** Only the assets of this owner. */
  owner?: string;
  /** Only the assets nobody owns. */
  unownedOnly?: boolean;
}

/** The parts of an entity ref (`kind:namespace/name`, namespace and kind optional). */
export function ownerParts(owner: string): { kind: ImpactOwner['kind']; name: string } {
  const match = /^(?:([^:/]+):)?(?:[^/]+\/)?(.+)$/.exec(owner);
  const kind = match?.[1]?.toLowerCase();
  return {
    kind: kind === 'user' ? 'user' : kind === 'group' ? 'group' : 'other',
    name: match?.[2] ?? owner,
  };
}

export function impactRows(impact: ImpactAnalysisResponse): ImpactRow[] {
  return impact.assets.map(asset => {
    const assetType = (assetTypes as readonly string[]).includes(asset.type)
      ? (asset.type as AssetType)
      : null;
    let name = asset.qualifiedName;
    try {
      const segments = parseAssetRef(asset.ref).segments;
      name = segments[segments.length - 1] || name;
    } catch {
      // Not a catalog ref: keep the qualified name.
    }
    return { ...asset, name, assetType };
  });
}

/** The owners to notify, most impacted first, then by name; users and groups alike. */
export function impactOwners(impact: ImpactAnalysisResponse): ImpactOwner[] {
  return impact.owners
    .map(o => ({ owner: o.owner, ...ownerParts(o.owner), count: o.refs.length }))
    .sort((a, b) => b.count - a.count || a.owner.localeCompare(b.owner));
}

export function filterImpactRows(rows: ImpactRow[], filter: ImpactFilter): ImpactRow[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(row => {
    if (filter.unownedOnly && row.owners.length > 0) return false;
    if (filter.owner && !row.owners.includes(filter.owner)) return false;
    if (words.length === 0) return true;
    const haystack = [row.name, row.qualifiedName, row.type, ...row.owners]
      .join('\n')
      .toLowerCase();
    return words.every(word => haystack.includes(word));
  });
}

/** The farthest hop among the impacted assets (0 when there are none). */
export function impactReach(rows: ImpactRow[]): number {
  return rows.reduce((max, row) => Math.max(max, row.depth), 0);
}
