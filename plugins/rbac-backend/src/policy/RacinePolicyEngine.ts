import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { PolicyDecision } from '@backstage/plugin-permission-common';
import type { KernelRegistries, ResourceAccessRegistry } from '@racine/kernel-node';
import type { ExplainResponse, RolePermissionInput } from '@racine/plugin-rbac-common';
import { newEnforcer, type Enforcer } from 'casbin';
import type { PolicyStore } from '../database/PolicyStore';
import { BUILTIN_ROLES, type RoleDefinition } from './builtinRoles';
import { CompiledPolicy, type PermissionQuery } from './CompiledPolicy';
import { KnexPolicyAdapter, type LoadedSnapshot } from './KnexPolicyAdapter';
import { casbinDomainMatch, casbinGlobMatch, racineModel } from './model';
import type { ConfigGrant, ConfigPolicy, ConfigRole, EffectiveRole } from './snapshot';

/** Reads roles (`racine.rbac.roles`) and grants (`racine.rbac.grants`) from app-config. */
export function readRbacConfig(config: Config): ConfigPolicy {
  const roles: ConfigRole[] = (config.getOptionalConfigArray('racine.rbac.roles') ?? []).map(c => ({
    name: c.getString('name'),
    description: c.getOptionalString('description') ?? '',
    permissions: (c.getOptional('permissions') as RolePermissionInput[] | undefined) ?? [],
    inherits: c.getOptionalStringArray('inherits') ?? [],
  }));
  const grants: ConfigGrant[] = (config.getOptionalConfigArray('racine.rbac.grants') ?? []).map(
    c => {
      const effect = c.getOptionalString('effect');
      return {
        subject: c.getString('subject'),
        ...(c.getOptionalString('role') ? { role: c.getString('role') } : {}),
        ...(c.getOptionalString('permission') ? { permission: c.getString('permission') } : {}),
        workspace: c.getOptionalString('workspace') ?? '*',
        resource: c.getOptionalString('resource') ?? '*',
        effect: effect === 'deny' ? 'deny' : 'allow',
      };
    },
  );
  return { roles, grants };
}

export interface RacinePolicyEngineOptions {
  store: PolicyStore;
  config: ConfigPolicy;
  registries?: KernelRegistries;
  resourceTypes?: ResourceAccessRegistry;
  logger?: LoggerService;
  /** How often to look for a policy change made by another replica (default 2 s). */
  pollIntervalMs?: number;
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Owns Racine's policy in this process: seeds built-in roles and plugin defaults, loads the
 * policy from the rbac tables through the Casbin adapter, compiles it for fast decisions,
 * and reloads it when the policy version changes (any replica), when a grant's validity
 * window opens or closes, and when a plugin registers permissions.
 */
export class RacinePolicyEngine {
  private readonly adapter: KnexPolicyAdapter;
  private compiled?: CompiledPolicy;
  private loading?: Promise<CompiledPolicy>;
  private pending: Promise<void> = Promise.resolve();
  private seedQueued = false;
  /** Seeding or loading in flight: decisions wait for it rather than use a stale policy. */
  private settling = 0;
  private loadedVersion = -1;
  private enforcerFor?: { snapshot: LoadedSnapshot; enforcer: Promise<Enforcer> };
  private poller?: NodeJS.Timeout;
  private boundaryTimer?: NodeJS.Timeout;
  private stopped = false;
  /** Reload durations in ms, newest last (for the bench and health). */
  readonly reloadTimes: number[] = [];

  constructor(private readonly options: RacinePolicyEngineOptions) {
    this.adapter = new KnexPolicyAdapter(options.store, options.config);
    options.registries?.onChange(() => this.queueSeed());
  }

  get store(): PolicyStore {
    return this.options.store;
  }

  /** Seeds, loads, and starts watching for changes from other replicas. */
  async start(): Promise<void> {
    this.queueSeed();
    await this.ready();
    const interval = this.options.pollIntervalMs ?? 2000;
    this.poller = setInterval(() => {
      this.checkForChanges().catch(error =>
        this.options.logger?.warn(`Policy refresh failed: ${error}`),
      );
    }, interval);
    this.poller.unref();
  }

  stop() {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    if (this.boundaryTimer) clearTimeout(this.boundaryTimer);
  }

  /** Built-in roles merged with the default grants plugins register. */
  defaultRoles(): RoleDefinition[] {
    const roles = new Map(
      BUILTIN_ROLES.map(r => [r.name, { ...r, permissions: [...r.permissions] }]),
    );
    for (const { item } of this.options.registries?.permissions ?? []) {
      for (const [roleName, names] of Object.entries(item.defaultGrants ?? {})) {
        const role = roles.get(roleName);
        if (role) role.permissions = [...new Set([...role.permissions, ...names])];
      }
    }
    return [...roles.values()];
  }

  private queueSeed() {
    if (this.seedQueued) return;
    this.seedQueued = true;
    this.settling++;
    this.pending = this.pending
      .then(async () => {
        this.seedQueued = false;
        if (await this.options.store.seedDefaults(this.defaultRoles())) await this.reload();
        else if (!this.compiled) await this.reload();
      })
      .catch(error => this.options.logger?.error(`Seeding the policy failed: ${error}`))
      .finally(() => {
        this.settling--;
      });
  }

  private async checkForChanges() {
    if (this.stopped) return;
    const version = await this.options.store.version();
    const boundary = this.compiled?.snapshot.nextBoundary;
    if (version !== this.loadedVersion || (boundary !== undefined && Date.now() >= boundary)) {
      await this.reload();
    }
  }

  /** Rebuilds the policy from the tables now. */
  async reload(): Promise<void> {
    const loading = this.load();
    this.loading = loading;
    this.settling++;
    try {
      await loading;
    } finally {
      this.settling--;
    }
  }

  private async load(): Promise<CompiledPolicy> {
    const started = performance.now();
    const version = await this.options.store.version();
    const snapshot = await this.adapter.readSnapshot();
    const compiled = new CompiledPolicy(snapshot, type => {
      const entry = this.options.resourceTypes?.get(type);
      return entry ? { pluginId: entry.pluginId, ruleNames: entry.ruleNames } : undefined;
    });
    this.compiled = compiled;
    this.loadedVersion = version;
    this.reloadTimes.push(performance.now() - started);
    if (this.reloadTimes.length > 100) this.reloadTimes.shift();
    this.scheduleBoundary(snapshot.nextBoundary);
    return compiled;
  }

  private scheduleBoundary(at?: number) {
    if (this.boundaryTimer) clearTimeout(this.boundaryTimer);
    this.boundaryTimer = undefined;
    if (at === undefined || this.stopped) return;
    const delay = Math.min(Math.max(at - Date.now(), 0) + 5, MAX_TIMEOUT_MS);
    this.boundaryTimer = setTimeout(() => {
      this.reload().catch(error => this.options.logger?.warn(`Policy refresh failed: ${error}`));
    }, delay);
    this.boundaryTimer.unref();
  }

  /** The compiled policy, once seeding and loading in flight have finished. */
  async ready(): Promise<CompiledPolicy> {
    await this.pending;
    if (this.loading) await this.loading;
    if (!this.compiled) await this.reload();
    return this.compiled!;
  }

  /** The policy compiled now, unless a seed or reload is in flight (then await ready()). */
  current(): CompiledPolicy | undefined {
    return this.settling > 0 ? undefined : this.compiled;
  }

  async decide(subject: string, permission: PermissionQuery): Promise<PolicyDecision> {
    return (await this.ready()).decide(subject, permission);
  }

  async isAllowedIn(subject: string, permission: string, workspace: string, resource?: string) {
    return (await this.ready()).isAllowedIn(subject, permission, workspace, resource);
  }

  /** Whether `subject` holds `permission` everywhere without conditions. */
  async isAllowed(subject: string, permission: string, workspace = '*', resource?: string) {
    if (workspace === '*' && resource === undefined) {
      return (await this.decide(subject, { name: permission })).result === 'ALLOW';
    }
    return this.isAllowedIn(subject, permission, workspace, resource);
  }

  /** Roles as the policy sees them (stored plus app-config). */
  async roles(): Promise<EffectiveRole[]> {
    const compiled = await this.ready();
    return [...(compiled.snapshot as LoadedSnapshot).roles.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  private async newEnforcer(snapshot: LoadedSnapshot): Promise<Enforcer> {
    const enforcer = await newEnforcer(racineModel());
    await enforcer.addFunction('racineMatch', casbinGlobMatch);
    await enforcer.addFunction('domMatch', casbinDomainMatch);
    await enforcer.addNamedDomainMatchingFunc('g', (request: string, stored: string) =>
      casbinDomainMatch(request, stored),
    );
    enforcer.setAdapter(
      new KnexPolicyAdapter(this.options.store, this.options.config).pin(snapshot),
    );
    await enforcer.loadPolicy();
    return enforcer;
  }

  /** Casbin's enforcer over the whole policy, the same snapshot as the compiled one (built on demand). */
  async enforcer(): Promise<Enforcer> {
    const snapshot = (await this.ready()).snapshot as LoadedSnapshot;
    if (this.enforcerFor?.snapshot !== snapshot) {
      this.enforcerFor = { snapshot, enforcer: this.newEnforcer(snapshot) };
    }
    return this.enforcerFor.enforcer;
  }

  /**
   * Casbin's answer for a concrete question (a workspace, a resource or `*`). It runs on the
   * slice of the policy that can reach the subject (its lines and links, and those of every
   * group and role it reaches): the same answer as over the whole policy, since no other line
   * can match, without Casbin walking every line of every subject.
   */
  async enforce(
    subject: string,
    permission: string,
    workspace: string,
    resource = '*',
  ): Promise<boolean> {
    const compiled = await this.ready();
    if (compiled.snapshot.disabled.has(subject)) return false;
    const slice = compiled.sliceFor(subject);
    const base = compiled.snapshot as LoadedSnapshot;
    const enforcer = await this.newEnforcer({ ...base, lines: slice.lines, links: slice.links });
    return enforcer.enforce(subject, workspace, resource, permission);
  }

  async explain(
    subject: string,
    permission: PermissionQuery,
    workspace?: string,
    resource?: string,
  ): Promise<ExplainResponse> {
    const compiled = await this.ready();
    const explained = compiled.explain(subject, permission, workspace, resource);
    return {
      ...explained,
      subject,
      permission: permission.name,
      workspace: workspace ?? '*',
      ...(resource ? { resource } : {}),
      ...(workspace !== undefined
        ? { casbin: await this.enforce(subject, permission.name, workspace, resource ?? '*') }
        : {}),
    };
  }
}
