// Requests of the desk's pages: the session cookie goes by itself (same origin); every unsafe
// method carries the session's CSRF token (docs/desk.md), kept in memory and read again from
// GET /api/v1/auth/me after a reload. Errors are the server's `error.message` as an ApiError;
// a 401 clears the session so the pages send the user to the login.
import { ApiError, withQuery } from '../lib/api';
import type { Query } from '../lib/api';

let csrfToken = '';
type Listener = () => void;
const unauthorized = new Set<Listener>();

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called when a request answers 401 (session expired or ended elsewhere).
export function onUnauthorized(l: Listener): () => void {
  unauthorized.add(l);
  return () => unauthorized.delete(l);
}

export async function errorOf(res: Response, path: string): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let message = text.trim() || `HTTP ${res.status}`;
  try {
    const body = JSON.parse(text);
    if (body?.error?.message) message = String(body.error.message);
  } catch {
    // not JSON
  }
  const err = new ApiError(message, res.status, path);
  const retry = res.headers.get('Retry-After');
  if (retry) (err as ApiError & { retryAfter?: number }).retryAfter = Number(retry);
  return err;
}

export function headersFor(method: string, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

export async function deskRequest<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const url = withQuery(path, query);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: headersFor(method, body === undefined ? undefined : 'application/json'),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(`network error: ${(e as Error).message}`, 0, url);
  }
  if (!res.ok) {
    const err = await errorOf(res, url);
    if (res.status === 401 && !path.endsWith('/auth/login')) unauthorized.forEach((l) => l());
    throw err;
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Uploads raw bytes (an image) with progress: XMLHttpRequest, because fetch reports no upload
 * progress. Resolves to the parsed answer; rejects with the server's message (413, 415).
 */
export function uploadRaw<T>(url: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headersFor('POST', file.type || 'application/octet-stream'))) {
      xhr.setRequestHeader(k, v);
    }
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as T);
        return;
      }
      let message = xhr.responseText || `HTTP ${xhr.status}`;
      try {
        message = JSON.parse(xhr.responseText).error.message ?? message;
      } catch {
        // not JSON
      }
      reject(new ApiError(message, xhr.status, url));
    };
    xhr.onerror = () => reject(new ApiError('network error', 0, url));
    xhr.send(file);
  });
}
