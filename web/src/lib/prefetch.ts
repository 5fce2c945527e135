// Starts the first API reads of the page being opened while the application's code is still
// loading and rendering (hundreds of milliseconds on a busy machine), so a page's data is
// often there by the time it asks. `api.get` hands out a prefetched answer once, to the first
// identical request within a few seconds. The URLs here are exactly those the pages ask for
// with their settings from the address (the queries below are shared with the pages).
import { withQuery } from './api';
import type { Query } from './api';

interface Entry {
  promise: Promise<unknown>;
  at: number;
}

const MAX_AGE_MS = 5000;
const entries = new Map<string, Entry>();

export function takePrefetched(url: string): Promise<unknown> | undefined {
  const e = entries.get(url);
  if (!e) return undefined;
  entries.delete(url);
  return performance.now() - e.at < MAX_AGE_MS ? e.promise : undefined;
}

const enc = encodeURIComponent;
// What useFiringAlerts asks on arrival (api.alerts({ state: 'firing' })).
const FIRING = '/api/v1/alerts?state=firing';

// The success-rate table's sparkline length per range (minutes).
const SPARK_MINUTES: Record<number, number> = { 15: 30, 60: 60, 360: 120, 1440: 120 };

// The query of the success-rate table over the last `range` minutes (15: the server's default).
export function codesQuery(range: number): Query {
  const q: Query = { spark_minutes: SPARK_MINUTES[range] ?? 30 };
  if (range !== 15) q.minutes = range;
  return q;
}

// The last `range` minutes, told to the server (`minutes`: no need to learn its clock first),
// or nothing when it is the route's default.
export const rangeQuery = (range: number, byDefault: number): Query => (range === byDefault ? {} : { minutes: range });

export const sparkMinutes = (range: number) => SPARK_MINUTES[range] ?? 30;

// The default reads of the page at `pathname` with `search`.
export function firstReads(pathname: string, search: string): string[] {
  const q = new URLSearchParams(search);
  const range = (byDefault: number) => Number(q.get('range')) || byDefault;
  const code = pathname.match(/^\/codes\/([^/]+)$/);
  if (code) {
    const txn = enc(decodeURIComponent(code[1]));
    const r = rangeQuery(range(60), 60);
    return [
      withQuery(`/api/v1/codes/${txn}/series`, r),
      `/api/v1/codes/${txn}/hourly`,
      withQuery(`/api/v1/codes/${txn}/returns`, r),
      FIRING, // the code's firing alerts, before the stream's first alerts event
    ];
  }
  switch (pathname) {
    case '/':
      return ['/api/v1/overview', FIRING];
    case '/codes':
      return [withQuery('/api/v1/codes', codesQuery(range(15)))];
    case '/records': {
      const filter: Record<string, string> = {};
      for (const k of ['txn', 'node', 'ret', 'svc_sys', 'sys']) if (q.get(k)) filter[k] = q.get(k)!;
      return [withQuery('/api/v1/records/recent', { ...filter, limit: 500 })];
    }
    case '/abnormal':
      return q.get('event') ? [`/api/v1/alerts/events/${enc(q.get('event')!)}/records`] : [];
    case '/services':
      return [withQuery('/api/v1/services', rangeQuery(range(15), 15))];
    case '/alerts':
      return [FIRING];
    case '/silences':
      return ['/api/v1/silences'];
    case '/config':
      return ['/api/v1/config'];
    default:
      return [];
  }
}

export function prefetch(urls: string[], get: (url: string) => Promise<unknown>): void {
  for (const url of urls) {
    const promise = get(url);
    promise.catch(() => undefined); // the page that takes it sees the error
    entries.set(url, { promise, at: performance.now() });
  }
}
