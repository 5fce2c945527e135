// Starts the first API reads of the page being opened while the application's code is still
// loading and rendering (hundreds of milliseconds on a busy machine), so a page's data is
// often there by the time it asks. `api.get` hands out a prefetched answer once, to the first
// identical request within a few seconds. The URLs here are exactly those the pages ask for
// with their default settings; a page opened with other settings just asks itself.
import { withQuery } from './api';

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

// The default reads of the page at `pathname` with `search`.
export function firstReads(pathname: string, search: string): string[] {
  const q = new URLSearchParams(search);
  const code = pathname.match(/^\/codes\/([^/]+)$/);
  if (code) {
    if (q.get('range')) return [];
    const txn = enc(decodeURIComponent(code[1]));
    return [`/api/v1/codes/${txn}/series`, `/api/v1/codes/${txn}/hourly`, `/api/v1/codes/${txn}/returns`];
  }
  switch (pathname) {
    case '/':
      return ['/api/v1/overview'];
    case '/codes':
      return q.get('range') ? [] : [withQuery('/api/v1/codes', { spark_minutes: 30 })];
    case '/records': {
      const filter: Record<string, string> = {};
      for (const k of ['txn', 'node', 'ret', 'svc_sys', 'sys']) if (q.get(k)) filter[k] = q.get(k)!;
      return [withQuery('/api/v1/records/recent', { ...filter, limit: 500 })];
    }
    case '/abnormal':
      return q.get('event') ? [`/api/v1/alerts/events/${enc(q.get('event')!)}/records`] : [];
    case '/services':
      return q.get('range') ? [] : ['/api/v1/services'];
    case '/alerts':
      return ['/api/v1/alerts?state=firing'];
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
