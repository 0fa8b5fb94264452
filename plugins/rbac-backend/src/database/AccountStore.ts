import type { Knex } from 'knex';

export type UserRow = {
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string | null;
  disabled: boolean | number;
  failed_attempts: number;
  locked_until: string | null;
  totp_secret: string | null;
  totp_enabled: boolean | number;
  totp_last_step: number | string;
  oidc_subject: string | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
};

export type ApiKeyRow = {
  id: string;
  owner: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
};

/** Native accounts, browser sessions, recovery codes and API keys (the rbac plugin's tables). */
export class AccountStore {
  constructor(readonly knex: Knex) {}

  async listUsers(): Promise<UserRow[]> {
    return (await this.knex<UserRow>('rbac_users').select().orderBy('username')) as UserRow[];
  }

  async getUser(username: string, db: Knex = this.knex): Promise<UserRow | undefined> {
    return (await db<UserRow>('rbac_users').where({ username }).first()) as UserRow | undefined;
  }

  async findUserBy(column: 'email' | 'oidc_subject', value: string): Promise<UserRow | undefined> {
    return (await this.knex<UserRow>('rbac_users').where(column, value).first()) as
      UserRow | undefined;
  }

  /** Inserts unless the username is taken; returns whether it was inserted. */
  async insertUser(
    row: Partial<UserRow> & { username: string; display_name: string },
    db: Knex = this.knex,
  ): Promise<boolean> {
    const now = new Date().toISOString();
    const inserted = await db('rbac_users')
      .insert({ created_at: now, updated_at: now, ...row })
      .onConflict('username')
      .ignore()
      .returning('username');
    return inserted.length > 0;
  }

  async updateUser(
    username: string,
    patch: Partial<UserRow>,
    db: Knex = this.knex,
  ): Promise<number> {
    return db('rbac_users')
      .where({ username })
      .update({ ...patch, updated_at: new Date().toISOString() });
  }

  async deleteUser(username: string, db: Knex = this.knex): Promise<number> {
    await db('rbac_recovery_codes').where({ username }).delete();
    await db('rbac_sessions').where({ username }).delete();
    return db('rbac_users').where({ username }).delete();
  }

  /** Counts a failed attempt; returns the count after it. */
  async countFailure(username: string): Promise<number> {
    await this.knex('rbac_users')
      .where({ username })
      .update({ failed_attempts: this.knex.raw('failed_attempts + 1') });
    const row = await this.knex('rbac_users').where({ username }).first('failed_attempts');
    return Number(row?.failed_attempts ?? 0);
  }

  /** Moves the last accepted TOTP step forward, only if `step` is newer (no replay, even across replicas). */
  async advanceTotpStep(username: string, step: number): Promise<boolean> {
    const updated = await this.knex('rbac_users')
      .where({ username })
      .where('totp_last_step', '<', step)
      .update({ totp_last_step: step });
    return updated > 0;
  }

  async replaceRecoveryCodes(username: string, hashes: string[]): Promise<void> {
    await this.knex.transaction(async trx => {
      await trx('rbac_recovery_codes').where({ username }).delete();
      await trx('rbac_recovery_codes').insert(hashes.map(code_hash => ({ username, code_hash })));
    });
  }

  async deleteRecoveryCodes(username: string): Promise<void> {
    await this.knex('rbac_recovery_codes').where({ username }).delete();
  }

  /** Marks an unused recovery code used; false when there is none. */
  async useRecoveryCode(username: string, hash: string): Promise<boolean> {
    const updated = await this.knex('rbac_recovery_codes')
      .where({ username, code_hash: hash })
      .whereNull('used_at')
      .update({ used_at: new Date().toISOString() });
    return updated > 0;
  }

  async remainingRecoveryCodes(username: string): Promise<number> {
    const row = await this.knex('rbac_recovery_codes')
      .where({ username })
      .whereNull('used_at')
      .count({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }

  // Sessions

  async insertSession(tokenHash: string, username: string, expiresAt: string): Promise<void> {
    await this.knex('rbac_sessions').insert({
      token_hash: tokenHash,
      username,
      created_at: new Date().toISOString(),
      expires_at: expiresAt,
    });
  }

  async sessionUsername(tokenHash: string, now: string): Promise<string | undefined> {
    const row = await this.knex('rbac_sessions')
      .where({ token_hash: tokenHash })
      .where('expires_at', '>', now)
      .first('username');
    return row?.username;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.knex('rbac_sessions').where({ token_hash: tokenHash }).delete();
  }

  async deleteSessionsOf(username: string): Promise<void> {
    await this.knex('rbac_sessions').where({ username }).delete();
  }

  async deleteExpiredSessions(now: string): Promise<void> {
    await this.knex('rbac_sessions').where('expires_at', '<=', now).delete();
  }

  // API keys

  async insertApiKey(row: ApiKeyRow): Promise<void> {
    await this.knex('rbac_api_keys').insert(row);
  }

  async apiKeysOf(owner: string): Promise<ApiKeyRow[]> {
    return (await this.knex<ApiKeyRow>('rbac_api_keys')
      .where({ owner })
      .orderBy('created_at', 'desc')) as ApiKeyRow[];
  }

  async apiKeyByHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    return (await this.knex<ApiKeyRow>('rbac_api_keys')
      .where({ secret_hash: secretHash })
      .first()) as ApiKeyRow | undefined;
  }

  async revokeApiKey(owner: string, id: string): Promise<number> {
    return this.knex('rbac_api_keys')
      .where({ owner, id })
      .whereNull('revoked_at')
      .update({ revoked_at: new Date().toISOString() });
  }

  async revokeApiKeysOf(owner: string): Promise<void> {
    await this.knex('rbac_api_keys')
      .where({ owner })
      .whereNull('revoked_at')
      .update({ revoked_at: new Date().toISOString() });
  }

  async touchApiKey(id: string, at: string): Promise<void> {
    await this.knex('rbac_api_keys').where({ id }).update({ last_used_at: at });
  }
}
