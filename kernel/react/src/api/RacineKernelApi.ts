import { createApiRef } from '@backstage/frontend-plugin-api';
import type { ActionDescriptor, SearchHit, Workspace } from '@racine/kernel-common';
import type { RacineHttpClient } from './RacineHttpClient';
import type {
  ActivityPage,
  ActivityQuery,
  ActivityVerification,
  CreateWorkspaceInput,
  KernelMe,
  KernelNavItem,
  RunActionOptions,
  SearchOptions,
} from './types';

/** Typed client of the kernel's HTTP routes (`/api/kernel/*`). */
export interface RacineKernelApi {
  getNavigation(): Promise<KernelNavItem[]>;
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  listActions(): Promise<ActionDescriptor[]>;
  /** Runs an action; resolves with its `output`, rejects with a `RacineApiError`. */
  runAction<TOutput = unknown>(
    actionId: string,
    input: Record<string, unknown>,
    options?: RunActionOptions,
  ): Promise<TOutput>;
  listWorkspaces(): Promise<Workspace[]>;
  createWorkspace(input: CreateWorkspaceInput): Promise<Workspace>;
  listActivity(query?: ActivityQuery, options?: { signal?: AbortSignal }): Promise<ActivityPage>;
  verifyActivity(): Promise<ActivityVerification>;
  getMe(): Promise<KernelMe>;

  /** The workspace requests act in (sent as `x-racine-workspace`); undefined = the default one. */
  getCurrentWorkspace(): string | undefined;
  setCurrentWorkspace(name: string | undefined): void;
  /**
   * Notified when the current workspace changes or a mutation (action run, workspace
   * created) succeeds, so lists on screen can refresh themselves.
   */
  subscribe(listener: (event: KernelEvent) => void): () => void;

  /** A client for another plugin's own routes, sharing auth and the workspace header. */
  pluginClient(pluginId: string): RacineHttpClient;
}

export type KernelEvent =
  | { type: 'workspace-changed'; workspace: string | undefined }
  | { type: 'mutated'; actionId?: string };

export const racineKernelApiRef = createApiRef<RacineKernelApi>().with({
  id: 'plugin.kernel.client',
  pluginId: 'kernel',
});
