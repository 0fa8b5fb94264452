import crypto from 'node:crypto';
import { AuthenticationError, ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { SecretBox } from '@racine/kernel-node';
import type { MfaEnrollment, User } from '@racine/plugin-rbac-common';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { AccountStore, UserRow } from '../database/AccountStore';
import { userRef, type PolicyStore } from '../database/PolicyStore';
import {
  DEFAULT_SCRYPT_COST,
  dummyPasswordHash,
  hashPassword,
  passwordProblems,
  sha256,
  verifyPassword,
} from './passwords';

/** Thrown when the password was right but the account needs a one-time code. */
export class MfaRequiredError extends AuthenticationError {
  readonly mfaRequired = true;
}

export interface AccountSettings {
  /** Minimum password length (default 12). */
  minPasswordLength: number;
  /** scrypt N (default 2^17). */
  scryptCost: number;
  /** Failed attempts before a lockout (default 5). */
  maxFailedAttempts: number;
  /** Lockout duration in minutes (default 15). */
  lockoutMinutes: number;
  /** Browser session lifetime in hours (default 12). */
  sessionHours: number;
  /** Issuer shown in authenticator apps. */
  totpIssuer: string;
}

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  minPasswordLength: 12,
  scryptCost: DEFAULT_SCRYPT_COST,
  maxFailedAttempts: 5,
  lockoutMinutes: 15,
  sessionHours: 12,
  totpIssuer: 'Racine',
};

const GENERIC_FAILURE = 'Invalid username, password or code';
const RECOVERY_CODES = 10;

function toUser(row: UserRow, groups: string[]): User {
  const lockedUntil =
    row.locked_until && Date.parse(row.locked_until) > Date.now() ? row.locked_until : undefined;
  return {
    username: row.username,
    userEntityRef: userRef(row.username),
    displayName: row.display_name,
    ...(row.email ? { email: row.email } : {}),
    disabled: Boolean(row.disabled),
    mfaEnabled: Boolean(row.totp_enabled),
    ...(lockedUntil ? { lockedUntil } : {}),
    groups,
    createdAt: row.created_at,
    ...(row.last_sign_in_at ? { lastSignInAt: row.last_sign_in_at } : {}),
  };
}

function recoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(10);
  const chars = [...bytes].map(b => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/**
 * Native accounts: creation with a password policy, scrypt hashes, sign-in with lockout,
 * TOTP (RFC 6238) with recovery codes, browser sessions. Used by the rbac plugin's API and by
 * the `native` auth provider; the tables are the rbac plugin's.
 */
export class AccountService {
  constructor(
    private readonly store: AccountStore,
    private readonly policy: PolicyStore,
    private readonly secrets: SecretBox,
    private readonly settings: AccountSettings = DEFAULT_ACCOUNT_SETTINGS,
    private readonly onPolicyChange: () => Promise<void> = async () => {},
  ) {}

  private checkPassword(password: string, username: string) {
    const problems = passwordProblems(password, username, {
      minLength: this.settings.minPasswordLength,
    });
    if (problems.length) throw new InputError(`Invalid password: password: ${problems.join('; ')}`);
  }

  private async describe(row: UserRow): Promise<User> {
    return toUser(row, await this.policy.groupsOf(userRef(row.username)));
  }

  async list(): Promise<User[]> {
    const [rows, groups] = await Promise.all([this.store.listUsers(), this.policy.listGroups()]);
    return rows.map(row =>
      toUser(
        row,
        groups
          .filter(g => g.members.includes(userRef(row.username)))
          .map(g => `group:default/${g.name}`),
      ),
    );
  }

  async get(username: string): Promise<User> {
    const row = await this.store.getUser(username);
    if (!row) throw new NotFoundError(`User '${username}' does not exist`);
    return this.describe(row);
  }

  async find(username: string): Promise<User | undefined> {
    const row = await this.store.getUser(username);
    return row ? this.describe(row) : undefined;
  }

  async create(input: {
    username: string;
    password?: string;
    displayName?: string;
    email?: string;
    oidcSubject?: string;
  }): Promise<User> {
    if (input.password !== undefined) this.checkPassword(input.password, input.username);
    const inserted = await this.store.insertUser({
      username: input.username,
      display_name: input.displayName || input.username,
      email: input.email ?? null,
      password_hash:
        input.password !== undefined
          ? await hashPassword(input.password, this.settings.scryptCost)
          : null,
      oidc_subject: input.oidcSubject ?? null,
    });
    if (!inserted) throw new ConflictError(`User '${input.username}' already exists`);
    return this.get(input.username);
  }

  async update(
    username: string,
    patch: { displayName?: string; email?: string | null; disabled?: boolean; password?: string },
  ): Promise<User> {
    const row = await this.store.getUser(username);
    if (!row) throw new NotFoundError(`User '${username}' does not exist`);
    if (patch.password !== undefined) this.checkPassword(patch.password, username);
    const update: Partial<UserRow> = {};
    if (patch.displayName !== undefined) update.display_name = patch.displayName || username;
    if (patch.email !== undefined) update.email = patch.email;
    if (patch.password !== undefined) {
      update.password_hash = await hashPassword(patch.password, this.settings.scryptCost);
      update.failed_attempts = 0;
      update.locked_until = null;
    }
    if (patch.disabled !== undefined && patch.disabled !== Boolean(row.disabled)) {
      // Disabled accounts are denied by the policy, so the change bumps the policy version.
      await this.policy.mutate(trx =>
        this.store.updateUser(username, { ...update, disabled: patch.disabled }, trx),
      );
      if (patch.disabled) await this.store.deleteSessionsOf(username);
      await this.onPolicyChange();
    } else if (Object.keys(update).length) {
      await this.store.updateUser(username, update);
    }
    if (patch.password !== undefined) await this.store.deleteSessionsOf(username);
    return this.get(username);
  }

  /** Deletes the account, its sessions, keys, grants and group memberships. */
  async delete(username: string): Promise<void> {
    const ref = userRef(username);
    const deleted = await this.policy.mutate(async trx => {
      const ids = (await this.policy.listGrants({ subject: ref }, trx)).map(g => g.id);
      await this.policy.deleteGrants(trx, ids);
      await trx('rbac_group_members').where({ member: ref }).delete();
      return this.store.deleteUser(username, trx);
    });
    if (!deleted) throw new NotFoundError(`User '${username}' does not exist`);
    await this.store.revokeApiKeysOf(ref);
    await this.onPolicyChange();
  }

  async unlock(username: string): Promise<User> {
    if (!(await this.store.updateUser(username, { failed_attempts: 0, locked_until: null }))) {
      throw new NotFoundError(`User '${username}' does not exist`);
    }
    return this.get(username);
  }

  async changePassword(username: string, current: string, next: string): Promise<void> {
    const row = await this.store.getUser(username);
    if (!row?.password_hash || !(await verifyPassword(current, row.password_hash))) {
      throw new InputError(
        'Invalid password change: currentPassword: is not your current password',
      );
    }
    this.checkPassword(next, username);
    await this.store.updateUser(username, {
      password_hash: await hashPassword(next, this.settings.scryptCost),
    });
  }

  /**
   * Checks a sign-in. Unknown users, disabled or locked accounts, wrong passwords and wrong
   * codes all fail alike; five failures lock the account for fifteen minutes, during which even
   * the right password fails.
   */
  async signIn(input: { username: string; password: string; otp?: string }): Promise<User> {
    const row = await this.store.getUser(input.username);
    if (!row?.password_hash) {
      await verifyPassword(input.password, await dummyPasswordHash(this.settings.scryptCost));
      throw new AuthenticationError(GENERIC_FAILURE);
    }
    const locked = row.locked_until !== null && Date.parse(row.locked_until) > Date.now();
    const passwordOk = await verifyPassword(input.password, row.password_hash);
    if (locked || Boolean(row.disabled)) throw new AuthenticationError(GENERIC_FAILURE);
    if (!passwordOk) {
      await this.fail(row.username);
      throw new AuthenticationError(GENERIC_FAILURE);
    }
    if (row.totp_enabled) {
      if (!input.otp) throw new MfaRequiredError('A one-time code is required');
      if (!(await this.checkSecondFactor(row, input.otp.trim()))) {
        await this.fail(row.username);
        throw new AuthenticationError(GENERIC_FAILURE);
      }
    }
    await this.store.updateUser(row.username, {
      failed_attempts: 0,
      locked_until: null,
      last_sign_in_at: new Date().toISOString(),
    });
    return this.describe(row);
  }

  private async fail(username: string) {
    const failures = await this.store.countFailure(username);
    if (failures >= this.settings.maxFailedAttempts) {
      await this.store.updateUser(username, {
        failed_attempts: 0,
        locked_until: new Date(Date.now() + this.settings.lockoutMinutes * 60_000).toISOString(),
      });
    }
  }

  private totp(username: string, secret: string) {
    return new OTPAuth.TOTP({
      issuer: this.settings.totpIssuer,
      label: username,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: OTPAuth.Secret.fromBase32(secret),
    });
  }

  private async checkSecondFactor(row: UserRow, code: string): Promise<boolean> {
    if (/^\d{6}$/.test(code) && row.totp_secret) {
      const totp = this.totp(row.username, this.secrets.open(row.totp_secret));
      const delta = totp.validate({ token: code, window: 1 });
      if (delta === null) return false;
      // A code is good once: the step must move forward.
      const step = Math.floor(Date.now() / 1000 / 30) + delta;
      return this.store.advanceTotpStep(row.username, step);
    }
    return this.store.useRecoveryCode(row.username, sha256(code.toLowerCase()));
  }

  /** Starts TOTP enrolment: a new secret (not active until confirmed with a code). */
  async beginMfa(username: string): Promise<MfaEnrollment> {
    const row = await this.store.getUser(username);
    if (!row) throw new NotFoundError(`User '${username}' does not exist`);
    if (row.totp_enabled)
      throw new ConflictError('Multi-factor sign-in is already enabled; disable it first');
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await this.store.updateUser(username, {
      totp_secret: this.secrets.seal(secret),
      totp_last_step: 0,
    });
    const otpauthUrl = this.totp(username, secret).toString();
    return { secret, otpauthUrl, qrCode: await QRCode.toDataURL(otpauthUrl) };
  }

  /** Confirms enrolment with a current code; returns the recovery codes (shown once). */
  async confirmMfa(username: string, code: string): Promise<string[]> {
    const row = await this.store.getUser(username);
    if (!row?.totp_secret || row.totp_enabled)
      throw new ConflictError('No multi-factor enrolment is in progress');
    const totp = this.totp(username, this.secrets.open(row.totp_secret));
    const delta = totp.validate({ token: code.trim(), window: 1 });
    if (delta === null)
      throw new InputError('Invalid code: code: does not match the authenticator');
    const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    await this.store.replaceRecoveryCodes(
      username,
      codes.map(c => sha256(c)),
    );
    await this.store.updateUser(username, {
      totp_enabled: true,
      totp_last_step: Math.floor(Date.now() / 1000 / 30) + delta,
    });
    return codes;
  }

  /** Turns MFA off; the user proves it with their password (or an admin resets it). */
  async disableMfa(username: string, password?: string): Promise<void> {
    const row = await this.store.getUser(username);
    if (!row) throw new NotFoundError(`User '${username}' does not exist`);
    if (
      password !== undefined &&
      !(row.password_hash && (await verifyPassword(password, row.password_hash)))
    ) {
      throw new InputError('Invalid request: password: is not your current password');
    }
    await this.store.updateUser(username, {
      totp_enabled: false,
      totp_secret: null,
      totp_last_step: 0,
    });
    await this.store.deleteRecoveryCodes(username);
  }

  async recoveryCodesLeft(username: string): Promise<number> {
    return this.store.remainingRecoveryCodes(username);
  }

  // Browser sessions: an opaque random token in an HttpOnly cookie, stored hashed.

  async createSession(username: string): Promise<{ token: string; expiresAt: Date }> {
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.sessionHours * 3600_000);
    await this.store.insertSession(sha256(token), username, expiresAt.toISOString());
    await this.store.deleteExpiredSessions(new Date().toISOString());
    return { token, expiresAt };
  }

  /** The account a session belongs to, if the session is live and the account enabled. */
  async sessionUser(token: string): Promise<User | undefined> {
    const username = await this.store.sessionUsername(sha256(token), new Date().toISOString());
    if (!username) return undefined;
    const row = await this.store.getUser(username);
    if (!row || row.disabled) return undefined;
    return this.describe(row);
  }

  async endSession(token: string): Promise<void> {
    await this.store.deleteSession(sha256(token));
  }

  /** Finds or links the account of an SSO identity; creates it when `provision` allows. */
  async ssoAccount(input: {
    subject: string;
    email?: string;
    preferredUsername?: string;
    displayName?: string;
    provision: boolean;
  }): Promise<User> {
    const bySubject = await this.store.findUserBy('oidc_subject', input.subject);
    if (bySubject) return this.describe(bySubject);
    if (input.email) {
      const byEmail = await this.store.findUserBy('email', input.email);
      if (byEmail) {
        await this.store.updateUser(byEmail.username, { oidc_subject: input.subject });
        return this.describe(byEmail);
      }
    }
    if (!input.provision)
      throw new AuthenticationError('No Racine account is linked to this identity');
    const base =
      (input.preferredUsername ?? input.email?.split('@')[0] ?? 'user')
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '-')
        .replace(/^[^a-z0-9]+/, '')
        .slice(0, 50) || 'user';
    for (let attempt = 0; attempt < 20; attempt++) {
      const username =
        attempt === 0 && base.length >= 2
          ? base
          : `${base}-${crypto.randomBytes(3).toString('hex')}`;
      const inserted = await this.store.insertUser({
        username,
        display_name: input.displayName || username,
        email: input.email ?? null,
        oidc_subject: input.subject,
      });
      if (inserted) return this.get(username);
    }
    throw new ConflictError('Could not choose a username for this identity');
  }
}
