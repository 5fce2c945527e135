// The incident's history, oldest first: who did what when, the status change, and the entry's
// detail (a note, a cause) as text.
import { Timeline } from 'antd';
import { useDeskT } from '../../desk/hooks';
import type { HistoryEntry } from '../../desk/types';
import { fmtTime } from '../../lib/format';

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object') {
    return Object.entries(detail as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join('; ');
  }
  return String(detail);
}

export default function HistoryTimeline({ history }: { history: HistoryEntry[] }) {
  const t = useDeskT();
  return (
    <Timeline
      data-testid="incident-history"
      items={history.map((h) => ({
        key: h.id,
        children: (
          <div data-testid={`history-${h.action}`}>
            <b>{h.actor}</b> {t(`history.${h.action}`)}
            {h.to_status && h.from_status !== h.to_status ? ` → ${t(`status.${h.to_status}`)}` : ''}
            <div style={{ fontSize: 12, color: '#8c8c8c' }}>{fmtTime(h.at)}</div>
            {detailText(h.detail) && <div style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{detailText(h.detail)}</div>}
          </div>
        ),
      }))}
    />
  );
}
