import type { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import type { Permission } from '@backstage/plugin-permission-common';
import type { SearchHit } from '@racine/kernel-common';
import type { z } from 'zod';

/** A navigation item a plugin contributes to the shell's sidebar. */
export interface NavigationRegistration {
  /** Unique id, conventionally `<pluginId>.<name>`. */
  id: string;
  title: string;
  /** App path the item links to. */
  path: string;
  /** Sidebar section, e.g. "Governance" or "Administration". */
  group: string;
  /** A Material icon name, e.g. "Storage". */
  icon: string;
  order?: number;
  /** Shown only to callers granted this permission. */
  permission?: Permission;
  children?: Omit<NavigationRegistration, 'children' | 'group'>[];
}

export interface SearchRequest {
  query: string;
  /** Hit types the caller asked for; empty means all. */
  types: string[];
  limit: number;
  workspace: string;
  credentials: BackstageCredentials;
}

/**
 * A search provider answers the kernel's federated search over its own index. It must only
 * return hits the caller may see; the kernel also drops every hit of a provider whose
 * `permission` the caller lacks.
 */
export interface SearchProvider {
  id: string;
  /** Hit types the provider can return, e.g. ["workspace"]. */
  types: string[];
  permission?: Permission;
  search(request: SearchRequest): Promise<SearchHit[]>;
}

export interface ActionContext<TInput> {
  input: TInput;
  credentials: BackstageCredentials;
  /** Entity ref of the caller (`user:default/alice`, or `plugin:<id>` for services). */
  actor: string;
  workspace: string;
  logger: LoggerService;
}

/**
 * A typed action: the one way to do things across groups. The kernel validates its input,
 * authorizes the caller, runs it and audits every invocation.
 */
export interface ActionDefinition<
  TInput extends z.ZodType = z.ZodType,
  TOutput extends z.ZodType = z.ZodType,
> {
  /** `<pluginId>.<verb>`; the prefix must be the registering plugin's id. */
  id: string;
  title: string;
  description: string;
  input: TInput;
  output?: TOutput;
  permission?: Permission;
  /** The resource the invocation acts on, recorded in the audit trail. */
  resourceRef?(input: z.infer<TInput>): string | undefined;
  /** A one-line, human summary for the audit trail. */
  summarize?(input: z.infer<TInput>): string;
  handler(context: ActionContext<z.infer<TInput>>): Promise<z.infer<TOutput>>;
}

/** Identity helper that keeps the input and output types of an action definition. */
export function createAction<TInput extends z.ZodType, TOutput extends z.ZodType>(
  definition: ActionDefinition<TInput, TOutput>,
): ActionDefinition<TInput, TOutput> {
  return definition;
}

/** A workflow step type: an action plus step metadata. */
export interface WorkflowStepRegistration {
  /** Step type id; conventionally the action id. */
  id: string;
  /** The action the step invokes; must be registered by the same plugin. */
  actionId: string;
  title?: string;
  description?: string;
  /** Names of the values the step publishes to later steps. */
  outputs?: string[];
  /** True when running the step twice with the same input has the effect of running it once. */
  idempotent: boolean;
  uiHints?: Record<string, { widget?: string; placeholder?: string; help?: string }>;
}

/** A plugin's permissions and the grants its built-in roles get by default. */
export interface PermissionRegistration {
  permissions: Permission[];
  /** Role name → permission names (globs allowed, e.g. `datasource.*`). */
  defaultGrants?: Record<string, string[]>;
  descriptions?: Record<string, string>;
}

export interface Registered<T> {
  pluginId: string;
  item: T;
}
