// The firing alerts: asked once on arrival, then pushed by the stream's `alerts` event; polled
// while the stream is down.
// `reload` (after an acknowledgement, a silence) fetches them at once; that answer is shown
// until the stream pushes a newer set.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api';
import type { AlertRow } from '../lib/types';
import { useLiveAlerts, useStreamStatus } from './stream';
import { usePolling } from './usePolling';

export function useFiringAlerts(): { alerts: AlertRow[] | undefined; error: Error | undefined; reload: () => void } {
  const live = useLiveAlerts();
  const status = useStreamStatus();
  const streaming = status === 'open' && live !== null;
  // Poll only when the stream has not delivered alerts for a while (it normally does within a
  // second of connecting).
  const [fallback, setFallback] = useState(false);
  useEffect(() => {
    if (streaming) {
      setFallback(false);
      return;
    }
    const timer = setTimeout(() => setFallback(true), 2500);
    return () => clearTimeout(timer);
  }, [streaming]);
  const polled = usePolling(
    async (signal) => (fallback ? (await api.alerts({ state: 'firing' }, signal)).alerts : null),
    [fallback],
    fallback ? 10_000 : 0,
  );
  // Asked once at once when the stream has not said them yet (it does within a second).
  const [initial, setInitial] = useState<AlertRow[] | undefined>(undefined);
  useEffect(() => {
    if (live) return;
    let gone = false;
    api
      .alerts({ state: 'firing' })
      .then((r) => !gone && setInitial(r.alerts))
      .catch(() => undefined); // the stream or the polling says it again
    return () => {
      gone = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const [fetched, setFetched] = useState<{ alerts: AlertRow[]; over: AlertRow[] | null } | null>(null);
  const [fetchError, setFetchError] = useState<Error | undefined>(undefined);
  const { reload: reloadPolled } = polled;
  const reload = useCallback(() => {
    if (!streaming) return void reloadPolled();
    const over = live;
    api
      .alerts({ state: 'firing' })
      .then((r) => {
        setFetched({ alerts: r.alerts, over });
        setFetchError(undefined);
      })
      .catch((e: Error) => setFetchError(e));
  }, [streaming, live, reloadPolled]);

  if (streaming) {
    const alerts = fetched && fetched.over === live ? fetched.alerts : live;
    return { alerts, error: fetchError, reload };
  }
  return { alerts: polled.data ?? live ?? initial, error: fallback ? polled.error : undefined, reload };
}
