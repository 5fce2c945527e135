// The queue's filters: read from and written to the URL, sent as the list's query, and used to
// decide whether an incident that arrives live belongs in the list shown.
import type { Account, Incident } from '../../desk/types';

export const FILTER_KEYS = ['status', 'system', 'class', 'priority', 'assignee', 'group', 'sla', 'q'] as const;
export type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export function filtersFrom(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f;
}

export function matches(i: Incident, f: Filters, me: Account | null): boolean {
  if (f.status && !f.status.split(',').includes(i.status)) return false;
  if (f.system && i.system !== f.system) return false;
  if (f.class && i.class !== f.class) return false;
  if (f.priority && i.priority !== f.priority) return false;
  if (f.group && i.group !== f.group) return false;
  if (f.assignee && (f.assignee === 'me' ? i.assignee !== me?.user : i.assignee !== f.assignee)) return false;
  if (f.sla && i.sla?.state !== f.sla && i.sla?.first_response_state !== f.sla) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (![i.title, i.description, i.ref].some((s) => s?.toLowerCase().includes(q))) return false;
  }
  return true;
}

// Puts a live incident into the list: replaced where it is, or added on top when it matches.
export function mergeLive(list: Incident[], i: Incident, f: Filters, me: Account | null): Incident[] {
  const at = list.findIndex((x) => x.id === i.id);
  if (!matches(i, f, me)) return at >= 0 ? list.filter((x) => x.id !== i.id) : list;
  if (at >= 0) return list.map((x) => (x.id === i.id ? { ...x, ...i } : x));
  return [i, ...list];
}
