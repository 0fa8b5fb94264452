import { DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncResource<T> {
  value: T | undefined;
  loading: boolean;
  error: Error | undefined;
  /** Fetches again, keeping the current value on screen until the new one arrives. */
  reload: () => void;
}

/**
 * Loads a value with `load` whenever `deps` change; ignores results of superseded loads
 * so a slow earlier response can never overwrite a newer one.
 */
export function useAsyncResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): AsyncResource<T> {
  const [state, setState] = useState<{
    value: T | undefined;
    loading: boolean;
    error: Error | undefined;
  }>({
    value: undefined,
    loading: true,
    error: undefined,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState(previous => ({ ...previous, loading: true }));
    loadRef.current(controller.signal).then(
      value => {
        if (!controller.signal.aborted) setState({ value, loading: false, error: undefined });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState(previous => ({
          value: previous.value,
          loading: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }));
      },
    );
    return () => controller.abort();
    // `load` is read through a ref: callers pass inline closures, and only `deps` say when to reload.
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration(g => g + 1), []);
  return { ...state, reload };
}
