import {
  AuthorizeResult,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { ACCESS_RULES, CALLER_PLACEHOLDER, globMatches } from '@racine/kernel-common';
import type { DecisionResult, ExplainReason } from '@racine/plugin-rbac-common';
import { domainMatches } from './model';
import {
  formatLine,
  formatLink,
  type LinkLine,
  type PolicyLine,
  type PolicySnapshot,
} from './snapshot';

/** A policy line as it reaches one subject: through which chain, in which workspace. */
export interface EffectiveLine {
  line: PolicyLine;
  /** The workspace the line applies in for this subject (`*` = all). */
  workspace: string;
  chain: Array<{ subject: string; via?: LinkLine }>;
}

interface SubjectPolicy {
  lines: EffectiveLine[];
  /** Lines by exact permission name, and those whose permission is a glob. */
  byName: Map<string, EffectiveLine[]>;
  wildcards: EffectiveLine[];
  /** The subject and the groups it belongs to everywhere: what `$caller` stands for. */
  ownership: string[];
  decisions: Map<string, PolicyDecision>;
}

export interface PermissionQuery {
  name: string;
  resourceType?: string;
}

export type ResourceTypeLookup = (
  resourceType: string,
) => { pluginId: string; ruleNames: string[] } | undefined;

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

function intersectWorkspace(a: string, b: string): string | undefined {
  if (a === '*') return b;
  if (b === '*' || a === b) return a;
  return undefined;
}

function isUnconditional(e: EffectiveLine): boolean {
  return e.workspace === '*' && e.line.resource === '*' && !e.line.condition;
}

/**
 * The policy compiled for fast decisions: per subject, the lines that reach it (through
 * groups, roles and their inheritance, each link scoped to a workspace) are computed once,
 * then each (subject, permission) decision is cached until the next reload. Casbin stays the
 * source of truth: the same snapshot loads the enforcer, and the tests check both agree.
 */
export class CompiledPolicy {
  private readonly linesBySubject = new Map<string, PolicyLine[]>();
  private readonly linksBySubject = new Map<string, LinkLine[]>();
  private readonly subjects = new Map<string, SubjectPolicy>();
  private readonly matchers = new Map<string, (value: string) => boolean>();

  constructor(
    readonly snapshot: PolicySnapshot,
    private readonly lookupType: ResourceTypeLookup,
  ) {
    for (const line of snapshot.lines) {
      const list = this.linesBySubject.get(line.subject) ?? [];
      list.push(line);
      this.linesBySubject.set(line.subject, list);
    }
    for (const link of snapshot.links) {
      const list = this.linksBySubject.get(link.subject) ?? [];
      list.push(link);
      this.linksBySubject.set(link.subject, list);
    }
  }

  private matches(pattern: string, value: string): boolean {
    let matcher = this.matchers.get(pattern);
    if (!matcher) {
      if (pattern === '*') matcher = () => true;
      else if (!pattern.includes('*')) matcher = v => v === pattern;
      else if (pattern.indexOf('*') === pattern.length - 1) {
        const prefix = pattern.slice(0, -1);
        matcher = v => v.startsWith(prefix);
      } else matcher = v => globMatches(pattern, v);
      this.matchers.set(pattern, matcher);
    }
    return matcher(value);
  }

  /** Every line reaching `subject`, walking `g` links and narrowing workspaces on the way. */
  private subject(subject: string): SubjectPolicy {
    let policy = this.subjects.get(subject);
    if (policy) return policy;
    const lines: EffectiveLine[] = [];
    const ownership = new Set<string>([subject]);
    const visited = new Set<string>();
    const stack: Array<{ node: string; workspace: string; chain: EffectiveLine['chain'] }> = [
      { node: subject, workspace: '*', chain: [{ subject }] },
    ];
    while (stack.length > 0) {
      const { node, workspace, chain } = stack.pop()!;
      const key = `${node}\u0000${workspace}`;
      if (visited.has(key)) continue;
      visited.add(key);
      if (workspace === '*' && node.startsWith('group:')) ownership.add(node);
      for (const line of this.linesBySubject.get(node) ?? []) {
        const lineWorkspace = intersectWorkspace(workspace, line.workspace);
        if (lineWorkspace !== undefined) lines.push({ line, workspace: lineWorkspace, chain });
      }
      for (const link of this.linksBySubject.get(node) ?? []) {
        const next = intersectWorkspace(workspace, link.workspace);
        if (next === undefined || chain.some(c => c.subject === link.parent)) continue;
        stack.push({
          node: link.parent,
          workspace: next,
          chain: [...chain, { subject: link.parent, via: link }],
        });
      }
    }
    const byName = new Map<string, EffectiveLine[]>();
    const wildcards: EffectiveLine[] = [];
    for (const e of lines) {
      if (e.line.permission.includes('*')) wildcards.push(e);
      else {
        const list = byName.get(e.line.permission) ?? [];
        list.push(e);
        byName.set(e.line.permission, list);
      }
    }
    policy = { lines, byName, wildcards, ownership: [...ownership], decisions: new Map() };
    this.subjects.set(subject, policy);
    return policy;
  }

  private relevant(subject: string, permission: string): EffectiveLine[] {
    const policy = this.subject(subject);
    const exact = policy.byName.get(permission) ?? [];
    const wild = policy.wildcards.filter(e => this.matches(e.line.permission, permission));
    return wild.length ? [...exact, ...wild] : exact;
  }

  private conditionOf(
    e: EffectiveLine,
    resourceType: string,
    ruleNames: string[],
    ownership: string[],
  ): PermissionCriteria<PermissionCondition> | undefined | null {
    const parts: PermissionCondition[] = [];
    if (e.workspace !== '*') {
      parts.push({
        resourceType,
        rule: ACCESS_RULES.inWorkspace,
        params: { workspaces: [e.workspace] },
      });
    }
    if (e.line.resource !== '*') {
      parts.push({
        resourceType,
        rule: ACCESS_RULES.matchesRef,
        params: { patterns: [e.line.resource] },
      });
    }
    if (e.line.condition) {
      // A rule the type does not know cannot be applied: null tells the caller so.
      if (!ruleNames.includes(e.line.condition.rule)) return null;
      const params = Object.fromEntries(
        Object.entries(e.line.condition.params).map(([k, v]) => [
          k,
          v === CALLER_PLACEHOLDER ? ownership : v,
        ]),
      ) as PermissionCondition['params'];
      parts.push({ resourceType, rule: e.line.condition.rule, params });
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1
      ? parts[0]
      : { allOf: parts as [PermissionCondition, ...PermissionCondition[]] };
  }

  /** Merges single-rule workspace and ref conditions so the SQL stays one IN / one OR list. */
  private anyOf(
    criteria: PermissionCriteria<PermissionCondition>[],
  ): PermissionCriteria<PermissionCondition> {
    const merged: PermissionCriteria<PermissionCondition>[] = [];
    const workspaces = new Set<string>();
    const patterns = new Set<string>();
    let resourceType = '';
    for (const c of criteria) {
      const leaf = c as PermissionCondition;
      if (leaf.rule === ACCESS_RULES.inWorkspace) {
        resourceType = leaf.resourceType;
        (leaf.params?.workspaces as string[]).forEach(w => workspaces.add(w));
      } else if (leaf.rule === ACCESS_RULES.matchesRef) {
        resourceType = leaf.resourceType;
        (leaf.params?.patterns as string[]).forEach(p => patterns.add(p));
      } else {
        merged.push(c);
      }
    }
    if (workspaces.size) {
      merged.unshift({
        resourceType,
        rule: ACCESS_RULES.inWorkspace,
        params: { workspaces: [...workspaces].sort() },
      });
    }
    if (patterns.size) {
      merged.unshift({
        resourceType,
        rule: ACCESS_RULES.matchesRef,
        params: { patterns: [...patterns].sort() },
      });
    }
    return merged.length === 1
      ? merged[0]
      : {
          anyOf: merged as [
            PermissionCriteria<PermissionCondition>,
            ...PermissionCriteria<PermissionCondition>[],
          ],
        };
  }

  /**
   * The decision for a Backstage policy query, which names no workspace or resource: ALLOW
   * only when allowed everywhere without narrowing and nothing denies anywhere; DENY when an
   * unconditional deny or no allow applies; otherwise, for resource permissions of a governed
   * type, CONDITIONAL on workspaces, ref patterns and attribute rules, with denies as `not`.
   */
  decide(subject: string, permission: PermissionQuery): PolicyDecision {
    if (this.snapshot.disabled.has(subject)) return DENY;
    const policy = this.subject(subject);
    const key = `${permission.name}\u0000${permission.resourceType ?? ''}`;
    const cached = policy.decisions.get(key);
    if (cached) return cached;
    const decision = this.computeDecision(subject, policy, permission);
    policy.decisions.set(key, decision);
    return decision;
  }

  private computeDecision(
    subject: string,
    policy: SubjectPolicy,
    permission: PermissionQuery,
  ): PolicyDecision {
    const relevant = this.relevant(subject, permission.name);
    const allows = relevant.filter(e => e.line.effect === 'allow');
    const denies = relevant.filter(e => e.line.effect === 'deny');
    if (allows.length === 0 || denies.some(isUnconditional)) return DENY;
    if (denies.length === 0 && allows.some(isUnconditional)) return ALLOW;
    if (!permission.resourceType) return DENY;
    const type = this.lookupType(permission.resourceType);
    if (!type) return DENY;
    const { resourceType } = permission;

    let allowCriteria: PermissionCriteria<PermissionCondition> | undefined;
    if (!allows.some(isUnconditional)) {
      const parts = allows
        .map(e => this.conditionOf(e, resourceType, type.ruleNames, policy.ownership))
        .filter((c): c is PermissionCriteria<PermissionCondition> => Boolean(c));
      if (parts.length === 0) return DENY;
      allowCriteria = this.anyOf(parts);
    }
    const denyParts: PermissionCriteria<PermissionCondition>[] = [];
    for (const e of denies) {
      const c = this.conditionOf(e, resourceType, type.ruleNames, policy.ownership);
      // A deny whose rule the type cannot apply denies outright.
      if (!c) return DENY;
      denyParts.push(c);
    }
    const criteria: PermissionCriteria<PermissionCondition>[] = [];
    if (allowCriteria) criteria.push(allowCriteria);
    if (denyParts.length) criteria.push({ not: this.anyOf(denyParts) });
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: type.pluginId,
      resourceType,
      conditions:
        criteria.length === 1
          ? criteria[0]
          : {
              allOf: criteria as [
                PermissionCriteria<PermissionCondition>,
                ...PermissionCriteria<PermissionCondition>[],
              ],
            },
    };
  }

  /** How each line decides a concrete question (a workspace and maybe a resource). */
  private appliesIn(
    e: EffectiveLine,
    workspace: string | undefined,
    resource: string | undefined,
  ): ExplainReason['applies'] {
    if (workspace === undefined) {
      if (isUnconditional(e)) return 'yes';
      return 'conditional';
    }
    if (!domainMatches(workspace, e.workspace)) return 'no';
    if (e.line.resource !== '*') {
      if (resource === undefined) return 'conditional';
      if (!globMatches(e.line.resource, resource)) return 'no';
    }
    return e.line.condition ? 'conditional' : 'yes';
  }

  /**
   * Whether `subject` holds `permission` in `workspace` (on `resource` when given). Lines
   * narrowed to resources need the resource; attribute conditions never allow here and any
   * possibly-applying deny denies.
   */
  isAllowedIn(subject: string, permission: string, workspace: string, resource?: string): boolean {
    if (this.snapshot.disabled.has(subject)) return false;
    let allowed = false;
    for (const e of this.relevant(subject, permission)) {
      const applies = this.appliesIn(e, workspace, resource);
      if (applies === 'no') continue;
      if (e.line.effect === 'deny') return false;
      if (applies === 'yes') allowed = true;
    }
    return allowed;
  }

  /** The workspaces `subject` belongs to: every one when it may view workspaces everywhere. */
  visibleWorkspaces(subject: string, viewPermission: string): '*' | string[] {
    if (this.snapshot.disabled.has(subject)) return [];
    if (this.decide(subject, { name: viewPermission }).result === AuthorizeResult.ALLOW) return '*';
    const workspaces = new Set<string>();
    for (const e of this.subject(subject).lines) {
      if (e.line.effect === 'allow' && e.workspace !== '*') workspaces.add(e.workspace);
    }
    return [...workspaces].sort();
  }

  /** The lines and links that can reach `subject` (its own, and those of every node it reaches). */
  sliceFor(subject: string): { lines: PolicyLine[]; links: LinkLine[] } {
    const nodes = new Set<string>([subject]);
    const queue = [subject];
    while (queue.length) {
      const node = queue.pop()!;
      for (const link of this.linksBySubject.get(node) ?? []) {
        if (!nodes.has(link.parent)) {
          nodes.add(link.parent);
          queue.push(link.parent);
        }
      }
    }
    const lines: PolicyLine[] = [];
    const links: LinkLine[] = [];
    for (const node of nodes) {
      lines.push(...(this.linesBySubject.get(node) ?? []));
      links.push(...(this.linksBySubject.get(node) ?? []));
    }
    return { lines, links };
  }

  /** Every user or external subject the policy names (grants, group members). */
  knownPrincipals(): string[] {
    const subjects = new Set<string>();
    for (const line of this.snapshot.lines) subjects.add(line.subject);
    for (const link of this.snapshot.links) subjects.add(link.subject);
    return [...subjects].filter(s => s.startsWith('user:') || s.startsWith('external:')).sort();
  }

  /** The subject and the groups it belongs to (its ownership refs). */
  ownershipOf(subject: string): string[] {
    return this.subject(subject).ownership;
  }

  /** Which of `names` the subject holds everywhere, and which only in some workspaces. */
  permissionsOf(subject: string, names: string[]) {
    const everywhere: string[] = [];
    const byWorkspace: Record<string, string[]> = {};
    if (this.snapshot.disabled.has(subject)) return { everywhere, byWorkspace };
    const workspaces = new Set<string>();
    for (const e of this.subject(subject).lines)
      if (e.workspace !== '*') workspaces.add(e.workspace);
    for (const name of names) {
      if (this.decide(subject, { name }).result === AuthorizeResult.ALLOW) {
        everywhere.push(name);
        continue;
      }
      for (const workspace of workspaces) {
        if (this.isAllowedIn(subject, name, workspace)) (byWorkspace[workspace] ??= []).push(name);
      }
    }
    return { everywhere, byWorkspace };
  }

  /** Explains a decision: the lines that match the permission, how they reach the subject, and whether they apply. */
  explain(
    subject: string,
    permission: PermissionQuery,
    workspace?: string,
    resource?: string,
  ): { result: DecisionResult; summary: string; reasons: ExplainReason[] } {
    const reasons: ExplainReason[] = this.relevant(subject, permission.name).map(e => ({
      effect: e.line.effect,
      line: formatLine(e.line),
      chain: e.chain.map(c => ({
        subject: c.subject,
        ...(c.via ? { via: formatLink(c.via) } : {}),
      })),
      workspace: e.workspace,
      resource: e.line.resource,
      ...(e.line.condition ? { condition: e.line.condition } : {}),
      origin: {
        kind: e.line.origin.kind === 'group' ? 'grant' : e.line.origin.kind,
        ...(e.line.origin.role ? { role: e.line.origin.role } : {}),
        ...(e.line.origin.grantId ? { grantId: e.line.origin.grantId } : {}),
        ...((e.chain.find(c => c.via?.origin.expiresAt)?.via?.origin.expiresAt ??
        e.line.origin.expiresAt)
          ? {
              expiresAt:
                e.chain.find(c => c.via?.origin.expiresAt)?.via?.origin.expiresAt ??
                e.line.origin.expiresAt,
            }
          : {}),
      },
      applies: this.appliesIn(e, workspace, resource),
    }));
    // Deny lines first, then what applies: the order a reader checks them in.
    const rank = (r: ExplainReason) =>
      (r.effect === 'deny' ? 0 : 2) +
      (r.applies === 'yes' ? 0 : r.applies === 'conditional' ? 1 : 4);
    reasons.sort((a, b) => rank(a) - rank(b));

    if (this.snapshot.disabled.has(subject)) {
      return {
        result: 'DENY',
        summary: `${subject} is disabled: every request is denied`,
        reasons,
      };
    }
    let result: DecisionResult;
    if (workspace === undefined) {
      result = this.decide(subject, permission).result as DecisionResult;
    } else {
      const applying = reasons.filter(r => r.applies !== 'no');
      if (applying.some(r => r.effect === 'deny' && r.applies === 'yes')) result = 'DENY';
      else if (!applying.some(r => r.effect === 'allow')) result = 'DENY';
      else if (
        applying.some(r => r.applies === 'conditional') ||
        !applying.some(r => r.effect === 'allow' && r.applies === 'yes')
      )
        result = 'CONDITIONAL';
      else result = 'ALLOW';
    }
    const where = workspace === undefined ? 'everywhere' : `in workspace ${workspace}`;
    const on = resource ? ` on ${resource}` : '';
    const decisive = reasons.find(
      r => r.applies !== 'no' && (result === 'DENY' ? r.effect === 'deny' : r.effect === 'allow'),
    );
    let summary: string;
    if (result === 'ALLOW') {
      summary = `${subject} may ${permission.name} ${where}${on}: ${decisive?.chain.map(c => c.subject).join(' → ')} holds ${decisive?.line}`;
    } else if (result === 'CONDITIONAL') {
      summary = `${subject} may ${permission.name} ${where}${on} only under conditions (workspace, resource or attributes) that the owning plugin applies`;
    } else if (decisive) {
      summary = `${subject} may not ${permission.name} ${where}${on}: denied by ${decisive.line} via ${decisive.chain.map(c => c.subject).join(' → ')}`;
    } else if (reasons.length === 0) {
      summary = `${subject} may not ${permission.name}: no policy line grants it`;
    } else if (workspace === undefined && !permission.resourceType) {
      summary = `${subject} may not ${permission.name} everywhere: the grants that match are narrowed to workspaces or resources, and ${permission.name} is not a resource permission`;
    } else {
      summary = `${subject} may not ${permission.name} ${where}${on}: the lines that match are out of scope`;
    }
    return { result, summary, reasons };
  }
}
