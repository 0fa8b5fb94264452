import { useApi } from '@backstage/frontend-plugin-api';
import type { ActionDescriptor, SearchHit, Workspace } from '@racine/kernel-common';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { KernelEvent } from '../api/RacineKernelApi';
import { racineKernelApiRef } from '../api/RacineKernelApi';
import type { RacineHttpClient } from '../api/RacineHttpClient';
import type { KernelMe, KernelNavItem } from '../api/types';
import { AsyncResource, useAsyncResource } from './useAsyncResource';

/** Reloads `resource` whenever the kernel reports one of `types`. */
function useReloadOn(resource: { reload: () => void }, types: KernelEvent['type'][]): void {
  const kernel = useApi(racineKernelApiRef);
  const { reload } = resource;
  const key = types.join(',');
  useEffect(
    () =>
      kernel.subscribe(event => {
        if (key.split(',').includes(event.type)) reload();
      }),
    [kernel, reload, key],
  );
}

/** The caller's navigation items, already filtered by the backend. */
export function useNavigation(): AsyncResource<KernelNavItem[]> {
  const kernel = useApi(racineKernelApiRef);
  return useAsyncResource(() => kernel.getNavigation(), [kernel]);
}

/** The actions the caller may run. */
export function useActions(): AsyncResource<ActionDescriptor[]> {
  const kernel = useApi(racineKernelApiRef);
  return useAsyncResource(() => kernel.listActions(), [kernel]);
}

/** Workspaces, refreshed after any successful mutation. */
export function useWorkspaces(): AsyncResource<Workspace[]> {
  const kernel = useApi(racineKernelApiRef);
  const resource = useAsyncResource(() => kernel.listWorkspaces(), [kernel]);
  useReloadOn(resource, ['mutated']);
  return resource;
}

/** The signed-in caller as the kernel sees them (identity + global permissions). */
export function useMe(): AsyncResource<KernelMe> {
  const kernel = useApi(racineKernelApiRef);
  return useAsyncResource(() => kernel.getMe(), [kernel]);
}

/**
 * The workspace the UI acts in and a setter. The choice is persisted in localStorage
 * and sent by every kernel/plugin client call as the `x-racine-workspace` header.
 */
export function useCurrentWorkspace(): [string | undefined, (name: string | undefined) => void] {
  const kernel = useApi(racineKernelApiRef);
  const subscribe = useCallback(
    (onChange: () => void) =>
      kernel.subscribe(event => {
        if (event.type === 'workspace-changed') onChange();
      }),
    [kernel],
  );
  const workspace = useSyncExternalStore(subscribe, () => kernel.getCurrentWorkspace());
  const setWorkspace = useMemo(
    () => (name: string | undefined) => kernel.setCurrentWorkspace(name),
    [kernel],
  );
  return [workspace, setWorkspace];
}

export interface SearchState {
  hits: SearchHit[];
  loading: boolean;
  error: Error | undefined;
  /** The (debounced) query the hits belong to. */
  query: string;
}

/**
 * Federated search as the user types: waits `debounceMs` after the last keystroke and
 * cancels the request of a superseded query.
 */
export function useSearch(
  query: string,
  options: { debounceMs?: number; types?: string[]; limit?: number } = {},
): SearchState {
  const kernel = useApi(racineKernelApiRef);
  const { debounceMs = 200, limit } = options;
  const types = options.types?.join(',');
  const [state, setState] = useState<SearchState>({
    hits: [],
    loading: false,
    error: undefined,
    query: '',
  });

  useEffect(() => {
    const trimmed = query.trim();
    if (!trimmed) {
      setState({ hits: [], loading: false, error: undefined, query: '' });
      return undefined;
    }
    const controller = new AbortController();
    setState(previous => ({ ...previous, loading: true }));
    const timer = window.setTimeout(() => {
      kernel
        .search(trimmed, {
          types: types ? types.split(',') : undefined,
          limit,
          signal: controller.signal,
        })
        .then(
          hits => setState({ hits, loading: false, error: undefined, query: trimmed }),
          (error: unknown) => {
            if (controller.signal.aborted) return;
            setState({
              hits: [],
              loading: false,
              error: error instanceof Error ? error : new Error(String(error)),
              query: trimmed,
            });
          },
        );
    }, debounceMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [kernel, query, debounceMs, types, limit]);

  return state;
}

/** A client for a plugin's own `/api/<pluginId>` routes, with auth and workspace header. */
export function usePluginClient(pluginId: string): RacineHttpClient {
  const kernel = useApi(racineKernelApiRef);
  return useMemo(() => kernel.pluginClient(pluginId), [kernel, pluginId]);
}
