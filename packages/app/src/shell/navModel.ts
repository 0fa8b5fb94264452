import type { KernelNavItem } from '@racine/kernel-react';

export interface NavGroup {
  name: string;
  items: KernelNavItem[];
}

function byOrder(a: KernelNavItem, b: KernelNavItem): number {
  return a.order - b.order || a.title.localeCompare(b.title);
}

/** Groups nav items by `group`; groups are ordered by their first item's order. */
export function groupNavItems(items: KernelNavItem[]): NavGroup[] {
  const groups = new Map<string, KernelNavItem[]>();
  for (const item of [...items].sort(byOrder)) {
    const list = groups.get(item.group) ?? [];
    list.push({ ...item, children: item.children ? [...item.children].sort(byOrder) : undefined });
    groups.set(item.group, list);
  }
  return [...groups.entries()].map(([name, groupItems]) => ({ name, items: groupItems }));
}

export function flattenNavItems(items: KernelNavItem[]): KernelNavItem[] {
  return items.flatMap(item => [item, ...flattenNavItems(item.children ?? [])]);
}

function matches(path: string, pathname: string): boolean {
  if (path === '/') return pathname === '/';
  const base = path.replace(/\/$/, '');
  return pathname === base || pathname.startsWith(`${base}/`);
}

/** The id of the item whose path is the longest prefix of `pathname`, so only one item is highlighted. */
export function activeNavItemId(items: KernelNavItem[], pathname: string): string | undefined {
  let best: KernelNavItem | undefined;
  for (const item of flattenNavItems(items)) {
    if (matches(item.path, pathname) && (!best || item.path.length > best.path.length)) best = item;
  }
  return best?.id;
}
