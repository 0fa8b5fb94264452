import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type BackstageCredentials,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
  type PermissionCriteria,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  type PermissionResourceRef,
  type PermissionRule,
} from '@backstage/plugin-permission-node';
import { ACCESS_RULES, globMatches } from '@racine/kernel-common';
import type { Knex } from 'knex';
import { z } from 'zod';

/**
 * The query form of Racine's permission rules: a function that narrows a knex query. Rules
 * turn conditions into these, `applyAccessCriteria` combines them with AND/OR/NOT.
 */
export type AccessQuery = (query: Knex.QueryBuilder) => void;

/** What a caller may see of a resource type: everything, nothing, or rows matching criteria. */
export type AccessFilter =
  | { result: 'all' }
  | { result: 'none' }
  | { result: 'some'; criteria: PermissionCriteria<AccessQuery> };

function isSqlite(query: Knex.QueryBuilder): boolean {
  const client = String((query as unknown as { client: Knex.Client }).client.config.client);
  return client === 'better-sqlite3' || client === 'sqlite3';
}

/** `where column matches glob`, case-sensitive on both engines (GLOB on SQLite, LIKE on PostgreSQL). */
function whereGlob(query: Knex.QueryBuilder, column: string, pattern: string) {
  if (pattern === '*') return query.whereRaw('1 = 1');
  if (isSqlite(query)) {
    const glob = pattern.replace(/[[?]/g, c => `[${c}]`);
    return query.whereRaw('?? GLOB ?', [column, glob]);
  }
  const like = pattern.replace(/[\\%_]/g, c => `\\${c}`).replace(/\*/g, '%');
  return query.whereRaw(`?? LIKE ? ESCAPE '\\'`, [column, like]);
}

/** Narrows `query` by permission criteria built from AccessQuery leaves. */
export function applyAccessCriteria(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<AccessQuery>,
): void {
  if (isAndCriteria(criteria)) {
    query.where(inner => {
      for (const part of criteria.allOf) inner.where(q => applyAccessCriteria(q, part));
    });
  } else if (isOrCriteria(criteria)) {
    query.where(inner => {
      for (const part of criteria.anyOf) inner.orWhere(q => applyAccessCriteria(q, part));
    });
  } else if (isNotCriteria(criteria)) {
    query.whereNot(inner => applyAccessCriteria(inner, criteria.not));
  } else {
    criteria(query);
  }
}

/** Applies an access filter to a list query: nothing, everything, or the matching rows. */
export function applyAccessFilter(query: Knex.QueryBuilder, filter: AccessFilter): void {
  if (filter.result === 'none') query.whereRaw('1 = 0');
  else if (filter.result === 'some') applyAccessCriteria(query, filter.criteria);
}

/** Describes how Racine's standard rules read a resource of one type, in memory and in SQL. */
export interface GovernedResourceOptions<TResource> {
  /** Backstage resource type, e.g. `datasource`; the resource permissions carry the same. */
  resourceType: string;
  /** The resource permissions of this type (declared with `createPermission({resourceType})`). */
  permissions: ResourcePermission[];
  refOf(resource: TResource): string;
  workspaceOf(resource: TResource): string;
  /** Entity refs owning the resource; enables the IS_OWNED_BY rule. */
  ownersOf?(resource: TResource): string[];
  /** The SQL columns of the resource's table the standard rules filter on. */
  columns: { ref: string; workspace: string; owner?: string };
  /**
   * IS_OWNED_BY in SQL for a resource with several owners (the same answer as `ownersOf`);
   * without it, the rule compares `columns.owner`, a single owner.
   */
  ownedByQuery?(owners: string[]): AccessQuery;
  /** Loads resources by ref (undefined for one that does not exist), for single-resource checks. */
  getResources(refs: string[]): Promise<Array<TResource | undefined>>;
  /** Extra ABAC rules of this type (e.g. a sensitivity ceiling), made with `createPermissionRule`. */
  rules?: PermissionRule<TResource, AccessQuery, string>[];
}

const stringList = z.array(z.string());

/** The standard rules every governed resource type supports (see ACCESS_RULES). */
export function createStandardAccessRules<TResource>(
  options: GovernedResourceOptions<TResource>,
  resourceRef: PermissionResourceRef<TResource, AccessQuery>,
): PermissionRule<TResource, AccessQuery, string>[] {
  const { columns } = options;
  const rules: PermissionRule<TResource, AccessQuery, string>[] = [
    createPermissionRule({
      name: ACCESS_RULES.inWorkspace,
      description: 'The resource lives in one of the given workspaces',
      resourceRef,
      paramsSchema: z.object({ workspaces: stringList }),
      apply: (resource: TResource, { workspaces }) =>
        workspaces.includes(options.workspaceOf(resource)),
      toQuery:
        ({ workspaces }): AccessQuery =>
        query => {
          query.whereIn(columns.workspace, workspaces);
        },
    }),
    createPermissionRule({
      name: ACCESS_RULES.matchesRef,
      description: 'The resource ref matches one of the given patterns (* matches anything)',
      resourceRef,
      paramsSchema: z.object({ patterns: stringList }),
      apply: (resource: TResource, { patterns }) =>
        patterns.some(p => globMatches(p, options.refOf(resource))),
      toQuery:
        ({ patterns }): AccessQuery =>
        query => {
          query.where(inner => {
            for (const pattern of patterns) inner.orWhere(q => whereGlob(q, columns.ref, pattern));
          });
        },
    }),
  ];
  const { ownersOf } = options;
  const ownerColumn = columns.owner;
  const ownedByQuery =
    options.ownedByQuery ??
    (ownerColumn
      ? (owners: string[]): AccessQuery =>
          query => {
            query.whereIn(ownerColumn, owners);
          }
      : undefined);
  if (ownersOf && ownedByQuery) {
    rules.push(
      createPermissionRule({
        name: ACCESS_RULES.ownedBy,
        description: 'One of the given entity refs owns the resource',
        resourceRef,
        paramsSchema: z.object({ owners: stringList }),
        apply: (resource: TResource, { owners }) =>
          ownersOf(resource).some(owner => owners.includes(owner)),
        toQuery: ({ owners }) => ownedByQuery(owners),
      }),
    );
  }
  return rules as PermissionRule<TResource, AccessQuery, string>[];
}

/** A resource type as the policy sees it: who owns it, which rules it understands. */
export interface RegisteredResourceType {
  pluginId: string;
  resourceType: string;
  ruleNames: string[];
  /** Applies a conditional decision to resources by ref (false for refs that do not exist). */
  applyConditions(refs: string[], decision: PolicyDecision): Promise<boolean[]>;
}

/**
 * Root store of the governed resource types: the policy reads it to build conditions a
 * type understands, the permissions service to apply them in-process.
 */
export class ResourceAccessRegistry {
  private readonly types = new Map<string, RegisteredResourceType>();

  add(entry: RegisteredResourceType) {
    const existing = this.types.get(entry.resourceType);
    if (existing && existing.pluginId !== entry.pluginId) {
      throw new Error(
        `Resource type '${entry.resourceType}' is already governed by plugin '${existing.pluginId}'`,
      );
    }
    this.types.set(entry.resourceType, entry);
  }

  get(resourceType: string): RegisteredResourceType | undefined {
    return this.types.get(resourceType);
  }

  list(): RegisteredResourceType[] {
    return [...this.types.values()];
  }
}

export const resourceAccessRegistryServiceRef = createServiceRef<ResourceAccessRegistry>({
  id: 'racine.kernel.resource-access-registry',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({ service, deps: {}, factory: () => new ResourceAccessRegistry() }),
});

/** What a plugin gets back for a governed resource type: filters and checks for its routes. */
export interface GovernedResource<TResource> {
  resourceType: string;
  resourceRef: PermissionResourceRef<TResource, AccessQuery>;
  /** The rows of this type the caller may see with `permission`, as a filter for a list query. */
  filter(credentials: BackstageCredentials, permission: ResourcePermission): Promise<AccessFilter>;
  /** Whether the caller holds `permission` on one loaded resource. */
  isAllowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resource: TResource,
  ): Promise<boolean>;
  /** The loaded resources the caller holds `permission` on. */
  filterResources(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resources: TResource[],
  ): Promise<TResource[]>;
}

export interface ResourceAccessService {
  /**
   * Governs a resource type: registers it and its rules (the standard ones plus `rules`) with
   * Backstage's permission system and with Racine's policy, and returns its filters.
   */
  register<TResource>(options: GovernedResourceOptions<TResource>): GovernedResource<TResource>;
}

/**
 * Builds a governed resource type without registering it anywhere: its rules, filters and
 * the registry entry. `resourceAccessServiceRef` does this and registers both; tests use it
 * directly.
 */
export function createGovernedResource<TResource>(
  pluginId: string,
  options: GovernedResourceOptions<TResource>,
  permissions: PermissionsService,
): {
  governed: GovernedResource<TResource>;
  rules: PermissionRule<TResource, AccessQuery, string>[];
  entry: RegisteredResourceType;
} {
  const resourceRef = createPermissionResourceRef<TResource, AccessQuery>().with({
    pluginId,
    resourceType: options.resourceType,
  });
  const rules = [...createStandardAccessRules(options, resourceRef), ...(options.rules ?? [])];
  const byName = new Map(rules.map(r => [r.name, r]));
  const ruleset = {
    getRuleByName(name: string) {
      const rule = byName.get(name);
      if (!rule)
        throw new Error(`Unknown rule '${name}' for resource type ${options.resourceType}`);
      return rule;
    },
  };
  const authorize = createConditionAuthorizer<TResource>(
    ruleset as Parameters<typeof createConditionAuthorizer<TResource>>[0],
  );
  const transform = createConditionTransformer<AccessQuery>(
    ruleset as Parameters<typeof createConditionTransformer<AccessQuery>>[0],
  );
  const decide = async (credentials: BackstageCredentials, permission: ResourcePermission) => {
    const [decision] = await permissions.authorizeConditional([{ permission }], { credentials });
    return decision as PolicyDecision;
  };
  const governed: GovernedResource<TResource> = {
    resourceType: options.resourceType,
    resourceRef,
    async filter(credentials, permission) {
      const decision = await decide(credentials, permission);
      if (decision.result === AuthorizeResult.ALLOW) return { result: 'all' };
      if (decision.result === AuthorizeResult.DENY) return { result: 'none' };
      return {
        result: 'some',
        criteria: transform((decision as ConditionalPolicyDecision).conditions),
      };
    },
    async isAllowed(credentials, permission, resource) {
      return authorize(await decide(credentials, permission), resource);
    },
    async filterResources(credentials, permission, resources) {
      const decision = await decide(credentials, permission);
      return resources.filter(resource => authorize(decision, resource));
    },
  };
  const entry: RegisteredResourceType = {
    pluginId,
    resourceType: options.resourceType,
    ruleNames: rules.map(r => r.name),
    async applyConditions(refs, decision) {
      const resources = await options.getResources(refs);
      return resources.map(resource => resource !== undefined && authorize(decision, resource));
    },
  };
  return { governed, rules, entry };
}

/** Plugin-scoped: governs this plugin's resource types (see README.md beside this file). */
export const resourceAccessServiceRef = createServiceRef<ResourceAccessService>({
  id: 'racine.kernel.resource-access',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        registry: resourceAccessRegistryServiceRef,
        permissionsRegistry: coreServices.permissionsRegistry,
        permissions: coreServices.permissions,
        plugin: coreServices.pluginMetadata,
      },
      factory: ({ registry, permissionsRegistry, permissions, plugin }) => ({
        register<TResource>(options: GovernedResourceOptions<TResource>) {
          const { governed, rules, entry } = createGovernedResource(
            plugin.getId(),
            options,
            permissions,
          );
          // Backstage's generics cannot relate TResource to its NoInfer<> form here.
          (permissionsRegistry.addResourceType as (o: unknown) => void)({
            resourceRef: governed.resourceRef,
            permissions: options.permissions,
            rules,
            getResources: (refs: string[]) => options.getResources(refs),
          });
          registry.add(entry);
          return governed;
        },
      }),
    }),
});
