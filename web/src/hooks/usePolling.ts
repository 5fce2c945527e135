// Loads data and reloads it every `intervalMs` (and when `deps` change): the one query helper of
// the console. Keeps the last good data on screen while a reload runs or fails.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface Query<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean; // true until the first answer (or error)
  refreshing: boolean; // a reload is under way
  reload: () => void;
}

export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  intervalMs = 0,
): Query<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [refreshing, setRefreshing] = useState(false);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  // New deps: show the loading state again (the old data belongs to another question).
  const depsKey = JSON.stringify(deps);
  const [lastKey, setLastKey] = useState(depsKey);
  if (lastKey !== depsKey) {
    setLastKey(depsKey);
    setData(undefined);
    setError(undefined);
    setLoading(true);
  }

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      setRefreshing(true);
      try {
        const d = await loadRef.current(ctrl.signal);
        if (ctrl.signal.aborted) return;
        setData(d);
        setError(undefined);
      } catch (e) {
        if (ctrl.signal.aborted || (e as Error).name === 'AbortError') return;
        setError(e as Error);
      } finally {
        if (!ctrl.signal.aborted) {
          setLoading(false);
          setRefreshing(false);
          // Reload only after the previous answer: a slow server is never asked twice at once.
          if (intervalMs > 0) timer = setTimeout(run, intervalMs);
        }
      }
    };
    run();
    return () => {
      ctrl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [depsKey, intervalMs, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, refreshing, reload };
}
