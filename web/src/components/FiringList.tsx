// A compact list of firing alerts, worst first, each linking to its code and abnormal records.
import { List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fmtKey, fmtTime } from '../lib/format';
import { abnormalForEvent, codeLink } from '../lib/links';
import type { AlertRow } from '../lib/types';
import RuleName from './RuleName';
import { SeverityTag, severityRank } from './Severity';
import { NoData } from './PageState';
import Suppression from './Suppression';

export function sortAlerts(alerts: AlertRow[]): AlertRow[] {
  return [...alerts].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || b.started_at_ms - a.started_at_ms,
  );
}

export default function FiringList({ alerts, limit = 10, testId }: { alerts: AlertRow[]; limit?: number; testId?: string }) {
  const { t } = useTranslation();
  const rows = sortAlerts(alerts).slice(0, limit);
  if (rows.length === 0) return <NoData>{t('alerts.noneFiring')}</NoData>;
  return (
    <List
      size="small"
      data-testid={testId}
      dataSource={rows}
      renderItem={(a) => {
        const txn = a.labels?.txn ?? a.key?.txn;
        return (
          <List.Item
            data-testid={`firing-item-${a.fingerprint ?? a.rule}`}
            actions={[
              txn ? (
                <Link key="code" to={codeLink(txn)}>
                  {t('alerts.toCode')}
                </Link>
              ) : null,
              a.event?.records_stored ? (
                <Link key="abn" to={abnormalForEvent(a.last_event_id)}>
                  {t('alerts.toAbnormal')}
                </Link>
              ) : null,
            ].filter(Boolean)}
          >
            <Space size={8} wrap style={{ minWidth: 0 }}>
              <SeverityTag severity={a.severity} />
              <Typography.Text strong>
                <RuleName rule={a.rule} />
              </Typography.Text>
              <Typography.Text className="vigil-mono">{fmtKey(a.key)}</Typography.Text>
              {a.labels?.name && <Typography.Text type="secondary">{a.labels.name}</Typography.Text>}
              {a.suppressed && <Suppression alert={a} alerts={alerts} compact />}
              {a.acknowledged && <Typography.Text type="secondary">({t('alerts.acknowledged')})</Typography.Text>}
              <Typography.Text type="secondary">{t('alerts.since', { time: fmtTime(a.started_at_ms, 'MM-DD HH:mm') })}</Typography.Text>
            </Space>
          </List.Item>
        );
      }}
    />
  );
}
