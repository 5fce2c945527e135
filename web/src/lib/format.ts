// Number and time formatting: rates as 99.52%, counts with thousands separators, times in the
// server's configured timezone (GET /api/v1/config -> timezone), never the browser's.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

let zone: string | undefined;

export function setDisplayTimezone(tz: string | undefined): void {
  if (!tz) return;
  try {
    dayjs().tz(tz);
    zone = tz;
  } catch {
    // an unknown zone name: keep the previous one
  }
}

export function displayTimezone(): string | undefined {
  return zone;
}

export function inZone(ms: number): dayjs.Dayjs {
  return zone ? dayjs(ms).tz(zone) : dayjs(ms);
}

export function fmtTime(ms: number | null | undefined, pattern = 'YYYY-MM-DD HH:mm:ss'): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return inZone(ms).format(pattern);
}

export const fmtMinute = (ms: number) => fmtTime(ms, 'HH:mm');
export const fmtClock = (ms: number) => fmtTime(ms, 'HH:mm:ss');

// An RFC 3339 string from a record (its own offset) shown in the configured zone.
export function fmtIsoTime(iso: string | null | undefined, pattern = 'YYYY-MM-DD HH:mm:ss.SSS'): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? fmtTime(ms, pattern) : iso;
}

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function fmtCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return intFormat.format(n);
}

export function fmtDecimal(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return decFormat.format(n);
}

export function fmtRate(r: number | null | undefined, digits = 2): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${(r * 100).toFixed(digits)}%`;
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 10_000 ? `${decFormat.format(ms / 1000)} s` : `${intFormat.format(ms)} ms`;
}

// 300000 -> "5m", 3600000 -> "1h", 90000 -> "1m30s"
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms === 0) return '0';
  if (Math.abs(ms) < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  const d = Math.floor(rest / 86400);
  rest -= d * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (s) parts.push(`${s}s`);
  return parts.join('') || `${ms}ms`;
}

// Key of an alert as "txn=A001 svc_sys=ACCT".
export function fmtKey(key: Record<string, unknown> | undefined): string {
  if (!key) return '';
  return Object.entries(key)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

export function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? fmtCount(v) : String(Math.round(v * 10000) / 10000);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
