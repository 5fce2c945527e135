// The server's clock as the console knows it. Ranges ("last 15 minutes") are computed from the
// server's `now_ms` (the stream's `stats` event, or an answer's `now_ms`), never from the
// browser's clock: the server may run on a test clock.
import { get } from './api';

let lastNow: number | null = null;

export function noteServerNow(ms: number | null | undefined): void {
  if (typeof ms === 'number' && Number.isFinite(ms)) lastNow = ms;
}

export function knownServerNow(): number | null {
  return lastNow;
}

// The server's now; asks the server when the stream has not said it yet.
export async function serverNow(): Promise<number> {
  if (lastNow !== null) return lastNow;
  const o = await get<{ now_ms?: number; to_ms?: number }>('/api/v1/overview');
  noteServerNow(o.now_ms ?? o.to_ms);
  if (lastNow === null) throw new Error('the server did not say its time');
  return lastNow;
}
