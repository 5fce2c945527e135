// Loads data and reloads it every `intervalMs` (and when `deps` change): the one query helper of
// the console. Keeps the last good data on screen while a reload runs or fails. A reload asked
// for while a load is under way runs right after it (the server is never asked twice at once).
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
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });
  const kick = useRef<() => void>(() => undefined);

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
    let running = false;
    let again = false;
    const run = async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      running = true;
      again = false;
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
        running = false;
        if (!ctrl.signal.aborted) {
          setLoading(false);
          setRefreshing(false);
          if (again) void run();
          else if (intervalMs > 0) timer = setTimeout(run, intervalMs);
        }
      }
    };
    kick.current = () => {
      if (running) again = true;
      else void run();
    };
    void run();
    return () => {
      ctrl.abort();
      kick.current = () => undefined;
      if (timer) clearTimeout(timer);
    };
  }, [depsKey, intervalMs]);

  const reload = useCallback(() => kick.current(), []);
  return { data, error, loading, refreshing, reload };
}
