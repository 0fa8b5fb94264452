import type { ActivityOutcome, ActivityRecord, NavItem } from '@racine/kernel-common';

/*
 * Response shapes of kernel routes that kernel-common does not (yet) declare.
 * They follow the kernel's HTTP contract exactly; move them to kernel-common when the
 * backend starts sharing them.
 */

/** `GET /api/kernel/me`. */
export interface KernelMe {
  userEntityRef: string;
  ownershipEntityRefs: string[];
  displayName?: string;
  /** Permission names granted to the caller globally. */
  permissions: string[];
}

/** Filters of `GET /api/kernel/activity`. Times are ISO-8601. */
export interface ActivityQuery {
  actor?: string;
  resource?: string;
  verb?: string;
  outcome?: ActivityOutcome;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export interface ActivityPage {
  items: ActivityRecord[];
  nextCursor?: string;
}

/** `GET /api/kernel/activity/verify`: whether the audit hash chain is intact. */
export interface ActivityVerification {
  ok: boolean;
  checked: number;
  /** Sequence number (or id) of the first record whose hash does not match. */
  brokenAt?: number | string;
}

export interface CreateWorkspaceInput {
  name: string;
  title: string;
  description?: string;
}

export interface SearchOptions {
  types?: string[];
  limit?: number;
  signal?: AbortSignal;
}

export interface RunActionOptions {
  /** Workspace the action acts in; defaults to the current workspace. */
  workspace?: string;
  signal?: AbortSignal;
}

/**
 * A nav item with its children typed as nav items too. kernel-common's `NavItem` is inferred
 * from a recursive zod schema, and TypeScript can infer its `children` as `unknown` records;
 * this restates the recursion explicitly. Same JSON shape.
 */
export interface KernelNavItem extends Omit<NavItem, 'children'> {
  children?: KernelNavItem[];
}
