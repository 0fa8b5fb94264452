import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import type { ActionDescriptor, SearchHit, Workspace } from '@racine/kernel-common';
import type { KernelEvent, RacineKernelApi } from './RacineKernelApi';
import { RacineHttpClient } from './RacineHttpClient';
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

const WORKSPACE_STORAGE_KEY = 'racine:workspace';

export class RacineKernelClient implements RacineKernelApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly http: RacineHttpClient;
  private readonly listeners = new Set<(event: KernelEvent) => void>();
  private workspace: string | undefined;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.workspace = readStoredWorkspace();
    this.http = this.pluginClient('kernel');
  }

  pluginClient(pluginId: string): RacineHttpClient {
    return new RacineHttpClient({
      pluginId,
      discoveryApi: this.discoveryApi,
      fetchApi: this.fetchApi,
      getWorkspace: () => this.workspace,
    });
  }

  async getNavigation(): Promise<KernelNavItem[]> {
    const { items } = await this.http.get<{ items: KernelNavItem[] }>('/navigation');
    return items;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const { hits } = await this.http.get<{ hits: SearchHit[] }>('/search', {
      query: { q: query, types: options.types, limit: options.limit },
      signal: options.signal,
    });
    return hits;
  }

  async listActions(): Promise<ActionDescriptor[]> {
    const { actions } = await this.http.get<{ actions: ActionDescriptor[] }>('/actions');
    return actions;
  }

  async runAction<TOutput = unknown>(
    actionId: string,
    input: Record<string, unknown>,
    options: RunActionOptions = {},
  ): Promise<TOutput> {
    const { output } = await this.http.post<{ output: TOutput }>(
      `/actions/${encodeURIComponent(actionId)}`,
      input,
      { workspace: options.workspace, signal: options.signal },
    );
    this.emit({ type: 'mutated', actionId });
    return output;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    const { items } = await this.http.get<{ items: Workspace[] }>('/workspaces');
    return items;
  }

  async createWorkspace(input: CreateWorkspaceInput): Promise<Workspace> {
    const workspace = await this.http.post<Workspace>('/workspaces', input);
    this.emit({ type: 'mutated' });
    return workspace;
  }

  listActivity(
    query: ActivityQuery = {},
    options: { signal?: AbortSignal } = {},
  ): Promise<ActivityPage> {
    return this.http.get<ActivityPage>('/activity', {
      query: { ...query },
      signal: options.signal,
    });
  }

  verifyActivity(): Promise<ActivityVerification> {
    return this.http.get<ActivityVerification>('/activity/verify');
  }

  getMe(): Promise<KernelMe> {
    return this.http.get<KernelMe>('/me');
  }

  getCurrentWorkspace(): string | undefined {
    return this.workspace;
  }

  setCurrentWorkspace(name: string | undefined): void {
    if (name === this.workspace) return;
    this.workspace = name;
    try {
      if (name) window.localStorage.setItem(WORKSPACE_STORAGE_KEY, name);
      else window.localStorage.removeItem(WORKSPACE_STORAGE_KEY);
    } catch {
      // Storage can be unavailable (private mode); the choice then lasts for this tab only.
    }
    this.emit({ type: 'workspace-changed', workspace: name });
  }

  subscribe(listener: (event: KernelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(event: KernelEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

function readStoredWorkspace(): string | undefined {
  try {
    return window.localStorage.getItem(WORKSPACE_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
