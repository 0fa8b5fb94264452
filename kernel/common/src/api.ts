import { z } from 'zod';

/**
 * The kernel's HTTP contracts, shared by the backend (which serves them) and the shell
 * (which reads them). Field names here are public API: add fields, never rename them.
 */

export interface NavItem {
  id: string;
  title: string;
  path: string;
  /** Sidebar section the item is listed under (e.g. "Governance", "Administration"). */
  group: string;
  /** A Material icon name, e.g. "Storage" or "Settings". */
  icon: string;
  order: number;
  /** The plugin (group id) that contributed the item. */
  pluginId?: string;
  children?: NavItem[];
}

export const navItemSchema: z.ZodType<NavItem> = z.object({
  id: z.string(),
  title: z.string(),
  path: z.string(),
  group: z.string(),
  icon: z.string(),
  order: z.number(),
  pluginId: z.string().optional(),
  get children() {
    return z.array(navItemSchema).optional();
  },
});

export const searchHitSchema = z.object({
  ref: z.string(),
  type: z.string(),
  title: z.string(),
  snippet: z.string(),
  score: z.number(),
  url: z.string(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export type JsonSchema = Record<string, unknown>;

export interface ActionDescriptor {
  id: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  /** Permission name checked before the action runs; absent means any signed-in user. */
  permission?: string;
  pluginId: string;
}

export interface WorkflowStepDescriptor {
  id: string;
  title: string;
  description: string;
  pluginId: string;
  /** The action the step invokes. */
  actionId: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  /** Names of the values the step publishes for later steps. */
  outputs: string[];
  /** True when running the step twice with the same input has the same effect as once. */
  idempotent: boolean;
  /** Form hints for the workflow builder, keyed by input field. */
  uiHints?: Record<string, { widget?: string; placeholder?: string; help?: string }>;
}

export interface PermissionDescriptor {
  name: string;
  /** create | read | update | delete | use, from Backstage's permission attributes. */
  action: string;
  resourceType?: string;
  description?: string;
  pluginId: string;
}

export const activityOutcomes = ['success', 'failure', 'denied'] as const;
export type ActivityOutcome = (typeof activityOutcomes)[number];

export interface ActivityRecord {
  id: string;
  seq: number;
  /** Entity ref of who acted: `user:default/alice` or `plugin:<id>` for services. */
  actor: string;
  workspace: string;
  /** Resource ref the verb applied to (`racine:<plugin>:<type>/<id>`), empty when none. */
  resource: string;
  /** What was done: an action id (`platform.createWorkspace`) or `<plugin>.<noun>.<verb>`. */
  verb: string;
  outcome: ActivityOutcome;
  summary: string;
  pluginId: string;
  details?: Record<string, unknown>;
  /** ISO-8601 time. */
  time: string;
  hash: string;
  prevHash: string;
}

export interface Workspace {
  name: string;
  title: string;
  description: string;
  createdBy: string;
  createdAt: string;
}

export const workspaceNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit',
  );

export const DEFAULT_WORKSPACE = 'default';

/** Header a client sets to say which workspace a request acts in. */
export const WORKSPACE_HEADER = 'x-racine-workspace';

/** `GET /api/kernel/me` */
export interface MeResponse {
  userEntityRef: string;
  principalType: string;
  ownershipEntityRefs: string[];
  /** Permission names the caller holds everywhere. */
  permissions: string[];
}

/** `GET /api/kernel/activity/verify` */
export interface VerifyChainResponse {
  ok: boolean;
  checked: number;
  brokenAt?: number;
}
