// An alert event's one-line summary in the UI's language, built from its structured fields
// (rule, key, value, threshold and the rule's extras: total, failures, count, baseline,
// timeout_ms). The engine writes its own summary in English; that one is the fallback for a
// rule this file does not know or an event missing a field it needs.
import type { TFunction } from 'i18next';
import type { AlertEventBody } from './types';
import { fmtCount, fmtRate } from './format';
import { isRule } from './rules';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function bounds(v: unknown): [number, number] | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [lo, hi] = [num(v[0]), num(v[1])];
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

// What the alert is about: the code (with its name when known) and node, else the service
// system.
function subjectOf(ev: AlertEventBody, name?: string): string {
  const key = ev.key ?? {};
  if (!key.txn) return key.svc_sys ?? '';
  const node = key.node ? ` node=${key.node}` : '';
  return `${key.txn}${name ? ` ${name}` : ''}${node}`;
}

// The localised text, or undefined when the event lacks what the rule's sentence needs.
function localised(ev: AlertEventBody, t: TFunction, name?: string): string | undefined {
  const rule = ev.rule ?? '';
  const who = subjectOf(ev, name);
  const value = num(ev.value);
  const threshold = num(ev.threshold);
  const total = num(ev.total);
  if (ev.state === 'resolved') {
    // batch and recon keys name a step or check, not a code: their own text says it better.
    if (!isRule(rule) || rule === 'batch' || rule === 'recon') return undefined;
    return t('summary.resolved', { subject: who, rule: t(`rules.${rule}`) });
  }
  switch (rule) {
    case 'system_success':
    case 'business_success':
      if (value === undefined || threshold === undefined) return undefined;
      return t('summary.rate', {
        subject: who,
        what: t(`rules.${rule}`),
        value: fmtRate(value),
        threshold: fmtRate(threshold),
        total: fmtCount(total),
      });
    case 'service_success': {
      if (value === undefined || threshold === undefined) return undefined;
      const svc = ev.key?.svc_sys ?? '';
      const args = { subject: who, svc, value: fmtRate(value), threshold: fmtRate(threshold), failures: fmtCount(num(ev.failures)), total: fmtCount(total) };
      return ev.key?.txn ? t('summary.serviceCall', args) : t('summary.serviceSystem', args);
    }
    case 'ret_ratio': {
      const b = bounds(ev.threshold);
      if (value === undefined || !b) return undefined;
      return t('summary.retRatio', {
        subject: who,
        ret: ev.key?.ret ?? '',
        value: fmtRate(value),
        lo: fmtRate(b[0]),
        hi: fmtRate(b[1]),
        count: fmtCount(num(ev.count)),
        total: fmtCount(total),
      });
    }
    case 'volume_ratio': {
      const b = bounds(ev.threshold);
      if (value === undefined || !b) return undefined;
      return t('summary.volume', {
        subject: who,
        value: fmtRate(value, 0),
        count: fmtCount(num(ev.count)),
        baseline: fmtCount(num(ev.baseline)),
        lo: fmtRate(b[0], 0),
        hi: fmtRate(b[1], 0),
      });
    }
    case 'no_txn':
      return t('summary.noTxn', { subject: who });
    case 'abnormal_count':
      if (value === undefined || threshold === undefined) return undefined;
      return t('summary.abnormal', { subject: who, value: fmtCount(value), threshold: fmtCount(threshold) });
    case 'timeout_count':
      if (value === undefined || threshold === undefined) return undefined;
      return t('summary.timeout', {
        subject: who,
        value: fmtCount(value),
        threshold: fmtCount(threshold),
        timeout: fmtCount(num(ev.timeout_ms)),
      });
    default:
      return undefined;
  }
}

// The summary shown for an event: in the UI's language when it can be built, else the
// engine's own (English) text.
// `name`: the code's name (an alert's `labels.name`), when known.
export function alertSummary(ev: AlertEventBody | undefined, t: TFunction, name?: string): string {
  if (!ev) return '';
  return localised(ev, t, name) ?? ev.summary ?? '';
}
