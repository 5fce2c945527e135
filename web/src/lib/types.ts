// The JSON shapes of vigil serve's API (docs/serve.md, docs/console-api.md). Times are epoch
// milliseconds; rates are null when there were no records.

export type Severity = 'critical' | 'warning' | 'info' | string;
export type RetClass = 'success' | 'business' | 'system' | string;

export interface IngestMinute {
  minute_ms: number;
  count: number;
}

export interface OverviewTile {
  name: string;
  kind: 'sys' | 'svc_sys';
  title: string;
  configured?: boolean;
  count: number;
  system_success?: number | null;
  business_success?: number | null;
  success?: number | null;
  firing: number;
  worst_severity: Severity | null;
}

export interface Overview {
  now_ms: number;
  from_ms: number;
  to_ms: number;
  ingest: {
    records_per_s: number;
    records_total: number;
    rejected_total: number;
    queue_depth: number;
    lag_ms: number;
    per_minute: IngestMinute[];
  };
  alerts: { firing: number; critical: number; warning: number; info: number; suppressed: number };
  systems: OverviewTile[];
  services: OverviewTile[];
}

export interface CodeRow {
  txn: string;
  name: string;
  sys: string;
  svc_sys: string;
  configured: boolean;
  count: number;
  system_success: number | null;
  business_success: number | null;
  timeouts: number;
  p95_ms: number | null;
  last_seen_ms: number | null;
  firing_alerts: number;
  spark?: number[];
  severity?: Severity | null;
}

export interface CodesAnswer {
  now_ms?: number; // the server's clock: the minute holding it is still open
  from_ms: number;
  to_ms: number;
  codes: CodeRow[];
}

export interface SeriesMinute {
  minute_ms: number;
  count: number;
  system_success: number | null;
  business_success: number | null;
  timeouts: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  baseline: number | null;
  baseline_low?: number;
  baseline_high?: number;
}

export interface SeriesAnswer {
  txn: string;
  now_ms?: number; // the server's clock: the minute holding it is still open
  name: string;
  sys: string;
  svc_sys: string;
  params: {
    window_ms: number;
    min_count: number;
    system_success_min: number;
    business_success_min: number | null;
    timeout_ms: number;
    ratio_bounds: [number, number];
    baseline_days: number;
    severity: string;
    off: string[];
  };
  minutes: SeriesMinute[];
}

export interface HourlyAnswer {
  txn: string;
  date: string;
  day_type: string;
  today: (number | null)[];
  days: { date: string; counts: number[] }[];
  median: (number | null)[];
}

export interface ReturnsAnswer {
  txn: string;
  from_ms: number;
  to_ms: number;
  returns: { ret: string; class: RetClass; count: number }[];
  minutes: { minute_ms: number; success: number; by_ret: Record<string, number> }[];
}

export interface ServiceCode {
  txn: string;
  name: string;
  count: number;
  failures: number;
  success: number | null;
}

export interface ServiceRow {
  svc_sys: string;
  name: string;
  configured: boolean;
  count: number;
  failures: number;
  success: number | null;
  success_min: number | null;
  firing: number;
  codes: ServiceCode[];
  minutes: { minute_ms: number; count: number; failures: number }[];
}

export interface ServicesAnswer {
  from_ms: number;
  to_ms: number;
  services: ServiceRow[];
}

export interface RecentRecord {
  time: string;
  time_ms: number;
  txn: string;
  ret: string;
  class: RetClass;
  dur_ms: number | null;
  sys: string;
  svc_sys: string;
  svc_ret: string;
  node: string;
  serial: string;
  msg: string;
}

// The event JSON of the monitoring contract, as stored (extra fields allowed).
export interface AlertEventBody {
  at?: string;
  state?: 'firing' | 'resolved';
  rule?: string;
  key?: Record<string, string>;
  severity?: string;
  value?: unknown;
  threshold?: unknown;
  summary?: string;
  records_stored?: number;
  [extra: string]: unknown;
}

export interface Acknowledgement {
  by: string;
  comment: string;
  at_ms: number;
}

export interface AlertRow {
  rule: string;
  key: Record<string, string>;
  severity: Severity;
  state: 'firing' | 'resolved';
  started_at_ms: number;
  updated_at_ms: number;
  resolved_at_ms: number | null;
  last_event_id: number;
  event: AlertEventBody;
  fingerprint?: string;
  labels?: Record<string, string>;
  suppressed?: boolean;
  silenced_by?: number[];
  inhibited_by?: string[];
  receivers?: string[];
  acknowledged?: Acknowledgement | null;
}

export interface AlertsAnswer {
  alerts: AlertRow[];
}

export interface EventRow {
  id: number;
  at_ms: number;
  event: AlertEventBody;
}

export interface EventsAnswer {
  events: EventRow[];
  next_before_id?: number;
}

export interface AbnormalRecord {
  ts: string;
  node: string;
  serial: string;
  sys: string;
  txn: string;
  svc_sys: string;
  ret: string;
  svc_ret: string;
  dur_ms: number | null;
}

export interface EventWithRecords extends EventRow {
  records: AbnormalRecord[];
}

export interface SilenceMatcher {
  name: string;
  op: string;
  value: string;
}

export interface Silence {
  id: number;
  matchers: SilenceMatcher[];
  starts_at_ms: number;
  ends_at_ms: number;
  created_by: string;
  comment: string;
  created_at_ms: number;
  updated_at_ms: number;
  state: 'pending' | 'active' | 'expired';
  mutes?: { rule: string; key: Record<string, string>; fingerprint: string }[];
}

export interface CodeParams {
  window_ms: number;
  min_count: number;
  system_success_min: number;
  business_success_min: number | null;
  ret_ratio?: Record<string, [number, number]> | null;
  service_success_min: number;
  monitor: string;
  per_node: boolean;
  silence_ms: number;
  ratio_periods: string;
  ratio_window_ms: number;
  ratio_bounds: [number, number];
  ratio_min_baseline: number;
  baseline_days: number;
  abnormal_period_ms: number;
  abnormal_threshold: number;
  timeout_ms: number;
  timeout_period_ms: number;
  timeout_threshold: number;
  for_ms: number;
  severity: string;
  [other: string]: unknown;
}

export interface ConfigCode {
  txn: string;
  name: string;
  sys: string;
  svc_sys: string;
  financial: boolean;
  params?: CodeParams;
  rules_on?: string[];
  rules_off?: string[];
}

// GET /api/v1/config?view=summary: the configuration without its codes (kilobytes).
export interface ConfigSummary {
  path: string; // as given on the server's command line
  file: string; // the name of that file
  timezone: string;
  allowed_lateness_ms: number;
  max_future_skew_ms: number;
  code_count?: number;
  service_systems: { svc_sys: string; name: string; success?: string[]; service_success_min?: number }[];
  calendar?: ConfigCalendar;
}

export interface ConfigCalendar {
  busy_hours: string[];
  weekend: string[];
  holidays: string[];
  workdays: string[];
  days: { date: string; type: string }[];
}

export interface ConfigAnswer extends ConfigSummary {
  codes: ConfigCode[];
  unclassified_returns: { txn: string; ret: string; count: number }[];
  unconfigured_codes: string[];
  batch?: Record<string, unknown>[];
  recon?: Record<string, unknown>[];
  yaml: string;
}

export interface StreamStats {
  now_ms: number;
  timezone?: string; // the configured display zone
  records_per_s: number;
  records_total: number;
  queue_depth: number;
  lag_ms: number;
}
