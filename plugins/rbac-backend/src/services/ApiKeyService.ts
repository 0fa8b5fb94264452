import crypto from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { API_KEY_PREFIX, type ApiKey } from '@racine/plugin-rbac-common';
import type { AccountStore, ApiKeyRow } from '../database/AccountStore';
import { sha256 } from './passwords';

const MAX_KEYS_PER_OWNER = 50;
const TOUCH_INTERVAL_MS = 60_000;

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    owner: row.owner,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
    ...(row.last_used_at ? { lastUsedAt: row.last_used_at } : {}),
  };
}

export interface AuthenticatedKey {
  id: string;
  owner: string;
  scopes: string[];
  expiresAt?: Date;
}

/**
 * Personal API keys: `rk_` + 256 random bits, shown once, stored as a SHA-256 hash (a random
 * 256-bit secret needs no slow hash). Each request looks the key up, so a revocation applies
 * on every replica at once.
 */
export class ApiKeyService {
  constructor(private readonly store: AccountStore) {}

  async create(
    owner: string,
    input: { name: string; scopes: string[]; expiresAt?: string },
  ): Promise<{ key: ApiKey; secret: string }> {
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
      throw new InputError('Invalid API key: expiresAt: must be in the future');
    }
    const existing = await this.store.apiKeysOf(owner);
    if (existing.filter(k => !k.revoked_at).length >= MAX_KEYS_PER_OWNER) {
      throw new ConflictError(
        `At most ${MAX_KEYS_PER_OWNER} active API keys per user; revoke one first`,
      );
    }
    const secret = `${API_KEY_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
    const row: ApiKeyRow = {
      id: crypto.randomUUID(),
      owner,
      name: input.name,
      prefix: secret.slice(0, 10),
      secret_hash: sha256(secret),
      scopes: JSON.stringify([...new Set(input.scopes)]),
      created_at: new Date().toISOString(),
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
      last_used_at: null,
    };
    await this.store.insertApiKey(row);
    return { key: toApiKey(row), secret };
  }

  async list(owner: string): Promise<ApiKey[]> {
    return (await this.store.apiKeysOf(owner)).map(toApiKey);
  }

  async revoke(owner: string, id: string): Promise<void> {
    if (!(await this.store.revokeApiKey(owner, id))) {
      throw new NotFoundError(`No active API key '${id}'`);
    }
  }

  /** The key's owner and scopes, or undefined for an unknown, revoked or expired key. */
  async authenticate(secret: string): Promise<AuthenticatedKey | undefined> {
    if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 100) return undefined;
    const row = await this.store.apiKeyByHash(sha256(secret));
    if (!row || row.revoked_at) return undefined;
    if (row.expires_at && Date.parse(row.expires_at) <= Date.now()) return undefined;
    const now = Date.now();
    if (!row.last_used_at || now - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
      await this.store.touchApiKey(row.id, new Date(now).toISOString());
    }
    return {
      id: row.id,
      owner: row.owner,
      scopes: JSON.parse(row.scopes) as string[],
      ...(row.expires_at ? { expiresAt: new Date(row.expires_at) } : {}),
    };
  }
}
