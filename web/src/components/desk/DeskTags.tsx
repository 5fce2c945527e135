// Small tags of the desk: status, SLA (coloured, with its due time), priority.
import { Tag, Tooltip } from 'antd';
import { useDeskT } from '../../desk/hooks';
import { SLA_COLOR, STATUS_COLOR } from '../../desk/status';
import type { Incident, Status } from '../../desk/types';
import { fmtTime } from '../../lib/format';

export function StatusTag({ status }: { status: Status }) {
  const t = useDeskT();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="incident-status" data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}

const PRIORITY_COLOR: Record<string, string> = { P1: 'red', P2: 'orange', P3: 'blue', P4: 'default' };

export function PriorityTag({ priority }: { priority: string }) {
  return <Tag color={PRIORITY_COLOR[priority] ?? 'default'}>{priority}</Tag>;
}

// The resolution SLA while open (the first response's while nobody answered yet), else the
// outcome; the due time beside it.
export function SlaTag({ incident }: { incident: Incident }) {
  const t = useDeskT();
  const sla = incident.sla;
  if (!sla?.state) return <span>—</span>;
  const waitingFirst = !incident.first_response_at && sla.first_response_state && sla.first_response_state !== 'ok';
  const state = waitingFirst ? sla.first_response_state! : sla.state;
  const due = waitingFirst ? sla.first_response_due : sla.resolution_due;
  return (
    <Tooltip title={due ? t('sla.due', { t: fmtTime(due, 'MM-DD HH:mm') }) : undefined}>
      <Tag color={SLA_COLOR[state]} data-testid="incident-sla" data-sla={state}>
        {t(`sla.${state}`)}
        {due && (state === 'ok' || state === 'at_risk') ? ` · ${fmtTime(due, 'MM-DD HH:mm')}` : ''}
      </Tag>
    </Tooltip>
  );
}
