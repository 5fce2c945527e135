// One client for vigil serve's REST API: JSON in and out, the server's `error.message` thrown
// as an ApiError, the API token on writes (asked for once when a write answers 401).
import i18n from 'i18next';
import { takePrefetched } from './prefetch';
import { askForToken, currentToken } from './token';
import type {
  AlertsAnswer,
  CodesAnswer,
  ConfigAnswer,
  ConfigSummary,
  EventsAnswer,
  EventWithRecords,
  HourlyAnswer,
  Overview,
  RecentRecord,
  ReturnsAnswer,
  SeriesAnswer,
  ServicesAnswer,
  Silence,
} from './types';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === 'object' && body.error?.message) return String(body.error.message);
    if (body && typeof body.error === 'string') return body.error;
    if (body && Array.isArray(body.errors)) return body.errors.join('\n');
  } catch {
    // not JSON: fall through
  }
  return text.trim() || `HTTP ${res.status} ${res.statusText}`;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const write = method !== 'GET';
  const send = (token: string) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (write && token) headers.Authorization = `Bearer ${token}`;
    return fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  };
  // Writes need the API token (the silence preview excepted): without one, ask first rather
  // than send a request bound to be refused.
  let token = currentToken();
  if (write && !token && !path.endsWith('/silences/preview')) {
    const given = await askForToken('');
    if (given === null) throw new ApiError(i18n.t('token.needed'), 401, path);
    token = given;
  }
  let res: Response;
  try {
    res = await send(token);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(`network error: ${(e as Error).message}`, 0, path);
  }
  if (res.status === 401 && write) {
    const reason = await errorMessage(res);
    const token = await askForToken(reason);
    if (token === null) throw new ApiError(reason, 401, path);
    res = await send(token);
  }
  if (!res.ok) throw new ApiError(await errorMessage(res), res.status, path);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(`the answer of ${path} is not JSON`, res.status, path);
  }
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> => {
  const url = withQuery(path, query);
  return (takePrefetched(url) as Promise<T> | undefined) ?? request<T>('GET', url, undefined, signal);
};
// A read without the prefetch lookup (what prefetch itself uses).
export const getFresh = <T>(url: string) => request<T>('GET', url);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const put = <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {});
export const del = <T>(path: string) => request<T>('DELETE', path);

const enc = encodeURIComponent;
export const CONFIG_SUMMARY = '/api/v1/config?view=summary';

// Typed endpoints, one per route the console reads or writes.
export const api = {
  overview: (q: Query, s?: AbortSignal) => get<Overview>('/api/v1/overview', q, s),
  codes: (q: Query, s?: AbortSignal) => get<CodesAnswer>('/api/v1/codes', q, s),
  series: (txn: string, q: Query, s?: AbortSignal) => get<SeriesAnswer>(`/api/v1/codes/${enc(txn)}/series`, q, s),
  hourly: (txn: string, q: Query, s?: AbortSignal) => get<HourlyAnswer>(`/api/v1/codes/${enc(txn)}/hourly`, q, s),
  returns: (txn: string, q: Query, s?: AbortSignal) => get<ReturnsAnswer>(`/api/v1/codes/${enc(txn)}/returns`, q, s),
  services: (q: Query, s?: AbortSignal) => get<ServicesAnswer>('/api/v1/services', q, s),
  recent: (q: Query, s?: AbortSignal) => get<{ records: RecentRecord[] }>('/api/v1/records/recent', q, s),
  alerts: (q: Query, s?: AbortSignal) => get<AlertsAnswer>('/api/v1/alerts', q, s),
  events: (q: Query, s?: AbortSignal) => get<EventsAnswer>('/api/v1/alerts/events', q, s),
  eventRecords: (id: number | string, s?: AbortSignal) =>
    get<EventWithRecords>(`/api/v1/alerts/events/${enc(String(id))}/records`, undefined, s),
  eventCsvUrl: (id: number | string) => `/api/v1/alerts/events/${enc(String(id))}/records?format=csv`,
  ack: (fingerprint: string, body: { comment: string; by: string }) =>
    post<unknown>(`/api/v1/alerts/${enc(fingerprint)}/ack`, body),
  unack: (fingerprint: string) => del<unknown>(`/api/v1/alerts/${enc(fingerprint)}/ack`),
  silences: (all: boolean, s?: AbortSignal) => get<{ silences: Silence[] }>('/api/v1/silences', { all: all ? 1 : undefined }, s),
  createSilence: (body: SilenceBody) => post<Silence>('/api/v1/silences', body),
  updateSilence: (id: number, body: SilenceBody) => put<Silence>(`/api/v1/silences/${id}`, body),
  expireSilence: (id: number) => del<unknown>(`/api/v1/silences/${id}`),
  previewSilence: (body: SilenceBody) => post<{ mutes: NonNullable<Silence['mutes']> }>('/api/v1/silences/preview', body),
  config: (s?: AbortSignal) => get<ConfigAnswer>('/api/v1/config', undefined, s),
  configSummary: (s?: AbortSignal) => get<ConfigSummary>(CONFIG_SUMMARY, undefined, s),
  reloadConfig: () => post<{ applied: boolean; errors?: string[] }>('/api/v1/config/reload'),
};

export interface SilenceBody {
  matchers: string[];
  duration_ms?: number;
  starts_at_ms?: number;
  ends_at_ms?: number;
  comment: string;
  created_by: string;
}
