import { z } from 'zod';

/** Prefix of personal API keys; `Authorization: Bearer rk_…` is accepted by every API. */
export const API_KEY_PREFIX = 'rk_';
/** Header carrying a TOTP (or recovery) code when signing in with Basic credentials. */
export const OTP_HEADER = 'x-racine-otp';
/** Id of the native (username + password) sign-in provider: `/api/auth/native/refresh`. */
export const NATIVE_PROVIDER_ID = 'native';
/** Sent with a 401 from native sign-in when the password was right but a code is needed. */
export const MFA_REQUIRED_HEADER = 'x-racine-mfa';

export const usernameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,62}$/,
    'must be 2-63 characters: lowercase letters, digits, . _ - (starting with a letter or digit)',
  );
export const roleNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 characters: lowercase letters, digits and -');
export const groupNameSchema = roleNameSchema;
/** A workspace name, or `*` for every workspace. */
export const grantWorkspaceSchema = z
  .string()
  .regex(/^(\*|[a-z0-9][a-z0-9-]{0,62})$/, "must be a workspace name or '*'");
/** Users, groups and service principals (`external:<name>` static or JWKS callers). */
export const subjectSchema = z
  .string()
  .regex(
    /^((user|group):[a-z0-9._-]+\/[a-zA-Z0-9._@-]+|external:[a-zA-Z0-9._-]+)$/,
    'must be an entity ref like user:default/alice, group:default/stewards or external:<name>',
  );
/** A permission name or glob (`datasource.*`, `*`). */
export const permissionPatternSchema = z
  .string()
  .regex(/^(\*|[a-z][a-z0-9_-]*(\.([a-z0-9_-]+|\*))*)$/, 'must be a permission name or pattern');
/** A resource-ref glob (`racine:datasources:datasource/prod-*`) or `*`. */
export const resourcePatternSchema = z
  .string()
  .max(1024)
  .regex(/^(\*|racine:[a-z0-9-]+:[a-z0-9-]+\/\S+)$/, "must be a resource ref pattern or '*'");
export const effectSchema = z.enum(['allow', 'deny']);
const isoTime = z
  .string()
  .refine(v => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 time')
  .transform(v => new Date(v).toISOString());

/** An attribute condition: a Backstage permission rule of the resource type, with params. */
export const conditionSchema = z.object({
  rule: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a rule name like IS_OWNED_BY'),
  params: z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
  ),
});
export type AccessCondition = z.infer<typeof conditionSchema>;

/** A role's permission entry: a name or pattern, optionally narrowed or denied. */
export const rolePermissionSchema = z.union([
  permissionPatternSchema,
  z.object({
    permission: permissionPatternSchema,
    resource: resourcePatternSchema.optional(),
    effect: effectSchema.optional(),
    condition: conditionSchema.optional(),
  }),
]);
export type RolePermissionInput = z.infer<typeof rolePermissionSchema>;

export interface RolePermission {
  permission: string;
  resource: string;
  effect: 'allow' | 'deny';
  condition?: AccessCondition;
}

export const roleBodySchema = z.object({
  name: roleNameSchema,
  description: z.string().max(2000).default(''),
  permissions: z.array(rolePermissionSchema).max(1000).default([]),
  inherits: z.array(roleNameSchema).max(50).default([]),
});
export const roleUpdateSchema = roleBodySchema.omit({ name: true }).partial();

export interface Role {
  name: string;
  description: string;
  builtin: boolean;
  permissions: RolePermission[];
  inherits: string[];
  /** Entries that come from app-config (`racine.rbac.roles`) and cannot be edited here. */
  configPermissions: RolePermission[];
  configInherits: string[];
}

export const grantBodySchema = z
  .object({
    subject: subjectSchema,
    role: roleNameSchema.optional(),
    permission: permissionPatternSchema.optional(),
    workspace: grantWorkspaceSchema.default('*'),
    resource: resourcePatternSchema.default('*'),
    effect: effectSchema.default('allow'),
    notBefore: isoTime.optional(),
    expiresAt: isoTime.optional(),
    reason: z.string().max(2000).optional(),
  })
  .refine(g => Boolean(g.role) !== Boolean(g.permission), {
    message: 'give exactly one of role or permission',
    path: ['role'],
  })
  .refine(g => !g.notBefore || !g.expiresAt || g.notBefore < g.expiresAt, {
    message: 'must be after notBefore',
    path: ['expiresAt'],
  });
export type GrantInput = z.infer<typeof grantBodySchema>;

export interface Grant {
  id: string;
  subject: string;
  role?: string;
  permission?: string;
  workspace: string;
  resource: string;
  effect: 'allow' | 'deny';
  notBefore?: string;
  expiresAt?: string;
  reason?: string;
  /** `admin` (API), `config` (app-config, read-only), `access-request`, `workspace` (members). */
  source: string;
  createdBy: string;
  createdAt: string;
  /** Whether the grant is in its validity window now. */
  active: boolean;
}

export const listGrantsQuerySchema = z.object({
  subject: z.string().optional(),
  role: z.string().optional(),
  workspace: z.string().optional(),
});

export const createUserSchema = z.object({
  username: usernameSchema,
  password: z.string().max(1024),
  displayName: z.string().trim().max(255).optional(),
  email: z.email().max(320).optional(),
});
export const updateUserSchema = z.object({
  displayName: z.string().trim().max(255).optional(),
  email: z.email().max(320).nullable().optional(),
  disabled: z.boolean().optional(),
  password: z.string().max(1024).optional(),
});

export interface User {
  username: string;
  userEntityRef: string;
  displayName: string;
  email?: string;
  disabled: boolean;
  mfaEnabled: boolean;
  lockedUntil?: string;
  groups: string[];
  createdAt: string;
  lastSignInAt?: string;
}

export const groupBodySchema = z.object({
  name: groupNameSchema,
  title: z.string().trim().max(255).optional(),
  description: z.string().max(2000).default(''),
  members: z.array(subjectSchema).max(10000).default([]),
});
export const groupUpdateSchema = groupBodySchema.omit({ name: true }).partial();
export const memberBodySchema = z.object({ member: subjectSchema });

export interface Group {
  name: string;
  ref: string;
  title: string;
  description: string;
  members: string[];
}

export const workspaceMemberBodySchema = z.object({
  subject: subjectSchema,
  role: roleNameSchema,
  expiresAt: isoTime.optional(),
});

export interface WorkspaceMember {
  subject: string;
  roles: Array<{ role: string; grantId: string; expiresAt?: string; source: string }>;
}

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(255),
  /** Permission names or patterns the key may use; its owner's own access still applies. */
  scopes: z.array(permissionPatternSchema).min(1).max(200),
  expiresAt: isoTime.optional(),
});

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it (`rk_ab12…`). */
  prefix: string;
  owner: string;
  scopes: string[];
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

export const accessRequestBodySchema = z
  .object({
    workspace: grantWorkspaceSchema,
    role: roleNameSchema.optional(),
    permission: permissionPatternSchema.optional(),
    resource: resourcePatternSchema.default('*'),
    reason: z.string().trim().min(3).max(2000),
    /** How long the access should last once approved. */
    durationHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 366)
      .default(24 * 7),
  })
  .refine(r => Boolean(r.role) !== Boolean(r.permission), {
    message: 'give exactly one of role or permission',
    path: ['role'],
  });

export const accessDecisionBodySchema = z.object({ comment: z.string().max(2000).optional() });

export type AccessRequestStatus = 'pending' | 'approved' | 'denied' | 'cancelled';

export interface AccessRequest {
  id: string;
  requester: string;
  workspace: string;
  role?: string;
  permission?: string;
  resource: string;
  reason: string;
  durationHours: number;
  status: AccessRequestStatus;
  decidedBy?: string;
  decisionComment?: string;
  decidedAt?: string;
  grantId?: string;
  createdAt: string;
}

export interface Notification {
  id: string;
  recipient: string;
  title: string;
  body: string;
  link?: string;
  createdAt: string;
  readAt?: string;
}

export const explainQuerySchema = z.object({
  subject: subjectSchema,
  permission: z.string().min(1).max(255),
  workspace: grantWorkspaceSchema.optional(),
  resource: z.string().max(1024).optional(),
});

export type DecisionResult = 'ALLOW' | 'DENY' | 'CONDITIONAL';

export interface ExplainReason {
  effect: 'allow' | 'deny';
  /** The Casbin policy line, e.g. `p, role:data-steward, *, *, datasource.*, allow`. */
  line: string;
  /** Subject → group/role chain that reaches the line, with the `g` line of each link. */
  chain: Array<{ subject: string; via?: string }>;
  workspace: string;
  resource: string;
  condition?: AccessCondition;
  /** Where the line comes from: a role's permission, a grant, app-config. */
  origin: {
    kind: 'role' | 'grant' | 'config';
    role?: string;
    grantId?: string;
    expiresAt?: string;
  };
  /** Whether the line decides this question: yes, no (out of scope), or under conditions. */
  applies: 'yes' | 'no' | 'conditional';
}

export interface ExplainResponse {
  result: DecisionResult;
  subject: string;
  permission: string;
  workspace: string;
  resource?: string;
  summary: string;
  reasons: ExplainReason[];
  /** Casbin's own enforce() for the concrete question (workspace, resource), as a cross-check. */
  casbin?: boolean;
}

export interface MyAccess {
  userEntityRef: string;
  groups: string[];
  grants: Grant[];
  /** Permission names granted everywhere, and per workspace. */
  permissions: { everywhere: string[]; byWorkspace: Record<string, string[]> };
}

export interface MfaEnrollment {
  secret: string;
  otpauthUrl: string;
  /** PNG data URL of the otpauth QR code. */
  qrCode: string;
}
