// Live updates over one server-sent-events connection per page (GET /api/v1/stream).
// The layout always listens to `stats` and `alerts`; a page that wants more (the records
// stream with its filter) registers through `useStream`, and the provider reopens the one
// connection with the union of topics. Reconnects with backoff when the server closes it.
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { withQuery } from '../lib/api';
import { noteServerNow } from '../lib/serverClock';
import { noteTimezone } from './serverConfig';
import type { AlertRow, RecentRecord, StreamStats } from '../lib/types';

export type Topic = 'stats' | 'alerts' | 'records';
export type StreamFilter = Partial<Record<'txn' | 'node' | 'ret' | 'svc_sys' | 'sys', string>>;
export type StreamStatus = 'connecting' | 'open' | 'reconnecting';

interface Handlers {
  onRecords?: (records: RecentRecord[]) => void;
  onAlerts?: (alerts: AlertRow[]) => void;
  onStats?: (stats: StreamStats) => void;
}

interface Subscription {
  topics: Topic[];
  filter: StreamFilter;
  handlers: React.MutableRefObject<Handlers>;
}

interface StreamApi {
  subscribe: (s: Subscription) => () => void;
  update: () => void;
}

const ApiContext = createContext<StreamApi | null>(null);
const StatsContext = createContext<StreamStats | null>(null);
const AlertsContext = createContext<AlertRow[] | null>(null);
const StatusContext = createContext<StreamStatus>('connecting');

const BASE_TOPICS: Topic[] = ['stats', 'alerts'];

function streamUrl(subs: Iterable<Subscription>): string {
  const topics = new Set<Topic>(BASE_TOPICS);
  let filter: StreamFilter = {};
  for (const s of subs) {
    s.topics.forEach((t) => topics.add(t));
    if (s.topics.includes('records')) filter = s.filter;
  }
  return withQuery('/api/v1/stream', { topics: [...topics].sort().join(','), ...filter });
}

function parse<T>(e: MessageEvent): T | null {
  try {
    return JSON.parse(e.data) as T;
  } catch {
    return null;
  }
}

export function StreamProvider({ children }: { children: ReactNode }) {
  const subs = useRef(new Set<Subscription>());
  const [url, setUrl] = useState(() => streamUrl([]));
  const [stats, setStats] = useState<StreamStats | null>(null);
  const [alerts, setAlerts] = useState<AlertRow[] | null>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');

  const update = useCallback(() => setUrl(streamUrl(subs.current)), []);
  const api = useMemo<StreamApi>(
    () => ({
      subscribe: (s) => {
        subs.current.add(s);
        update();
        return () => {
          subs.current.delete(s);
          update();
        };
      },
      update,
    }),
    [update],
  );

  useEffect(() => {
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let closed = false;
    const each = (f: (h: Handlers) => void) => subs.current.forEach((s) => f(s.handlers.current));

    const open = () => {
      es = new EventSource(url);
      es.onopen = () => {
        attempt = 0;
        setStatus('open');
      };
      es.addEventListener('stats', (e) => {
        const s = parse<StreamStats>(e as MessageEvent);
        if (!s) return;
        noteServerNow(s.now_ms);
        noteTimezone(s.timezone); // the next render shows times in it
        setStats(s);
        each((h) => h.onStats?.(s));
      });
      es.addEventListener('alerts', (e) => {
        const body = parse<{ alerts: AlertRow[] }>(e as MessageEvent);
        if (!body || !Array.isArray(body.alerts)) return;
        setAlerts(body.alerts);
        each((h) => h.onAlerts?.(body.alerts));
      });
      es.addEventListener('records', (e) => {
        const body = parse<{ records: RecentRecord[] }>(e as MessageEvent);
        if (!body || !Array.isArray(body.records)) return;
        each((h) => h.onRecords?.(body.records));
      });
      es.onerror = () => {
        if (closed) return;
        setStatus('reconnecting');
        // The browser retries by itself unless the server refused the stream (503, 404):
        // then the source is closed and we retry with backoff.
        if (es && es.readyState === EventSource.CLOSED) {
          es.close();
          const delay = Math.min(30_000, 1000 * 2 ** attempt++);
          retry = setTimeout(open, delay);
        }
      };
    };
    setStatus((s) => (s === 'open' ? 'reconnecting' : s));
    open();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      es?.close();
    };
  }, [url]);

  return (
    <ApiContext.Provider value={api}>
      <StatusContext.Provider value={status}>
        <StatsContext.Provider value={stats}>
          <AlertsContext.Provider value={alerts}>{children}</AlertsContext.Provider>
        </StatsContext.Provider>
      </StatusContext.Provider>
    </ApiContext.Provider>
  );
}

// Registers the page's topics and filter on the shared connection; handlers are called for
// each event (the latest handler functions, without reopening the connection).
export function useStream(topics: Topic[], filter: StreamFilter, handlers: Handlers, enabled = true): StreamStatus {
  const api = useContext(ApiContext);
  const handlersRef = useRef(handlers);
  useLayoutEffect(() => {
    handlersRef.current = handlers;
  });
  const key = JSON.stringify([topics, filter, enabled]);
  useEffect(() => {
    if (!api || !enabled) return;
    return api.subscribe({ topics, filter, handlers: handlersRef });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
  return useContext(StatusContext);
}

export const useLiveStats = () => useContext(StatsContext);
export const useLiveAlerts = () => useContext(AlertsContext);
export const useStreamStatus = () => useContext(StatusContext);
