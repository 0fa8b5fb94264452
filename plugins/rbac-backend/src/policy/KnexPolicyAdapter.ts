import type { Adapter, Model } from 'casbin';
import type { PolicyStore } from '../database/PolicyStore';
import {
  buildSnapshot,
  casbinLinkOf,
  casbinPolicyOf,
  type ConfigPolicy,
  type EffectiveRole,
  type PolicySnapshot,
} from './snapshot';

export type LoadedSnapshot = PolicySnapshot & { roles: Map<string, EffectiveRole> };

/**
 * Casbin adapter over the rbac plugin's tables (through PolicyStore) and app-config. It reads
 * roles, grants valid now and group membership, and loads them as `p` and `g` lines. It is
 * read-only: policy changes go through the rbac API, which writes the tables and bumps the
 * policy version so every replica reloads.
 */
export class KnexPolicyAdapter implements Adapter {
  private pinned?: LoadedSnapshot;

  constructor(
    private readonly store: PolicyStore,
    private readonly config: ConfigPolicy,
  ) {}

  /** Reads the policy in force now. */
  async readSnapshot(now = Date.now()): Promise<LoadedSnapshot> {
    return buildSnapshot(await this.store.loadAll(), this.config, now);
  }

  /** Makes the next loadPolicy use this snapshot (so Casbin and the compiled policy agree). */
  pin(snapshot: LoadedSnapshot): this {
    this.pinned = snapshot;
    return this;
  }

  async loadPolicy(model: Model): Promise<void> {
    const snapshot = this.pinned ?? (await this.readSnapshot());
    for (const line of snapshot.lines) model.addPolicy('p', 'p', casbinPolicyOf(line));
    for (const link of snapshot.links) model.addPolicy('g', 'g', casbinLinkOf(link));
  }

  async savePolicy(): Promise<boolean> {
    throw new Error('The Racine policy is changed through the rbac API, not through Casbin');
  }
  async addPolicy(): Promise<void> {
    throw new Error('The Racine policy is changed through the rbac API, not through Casbin');
  }
  async removePolicy(): Promise<void> {
    throw new Error('The Racine policy is changed through the rbac API, not through Casbin');
  }
  async removeFilteredPolicy(): Promise<void> {
    throw new Error('The Racine policy is changed through the rbac API, not through Casbin');
  }
}
