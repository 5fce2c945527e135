// The firing alerts with their actions: acknowledge / un-acknowledge, silence, open the code,
// open the abnormal records.
import { App, Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../lib/api';
import { fmtKey, fmtTime, fmtValue } from '../lib/format';
import { abnormalForCode, abnormalForEvent, codeLink } from '../lib/links';
import type { AlertRow } from '../lib/types';
import { alertSummary } from '../lib/alertSummary';
import OpenIncidentButton from './desk/OpenIncidentButton';
import RuleName from './RuleName';
import { SeverityTag, severityRank } from './Severity';
import Suppression from './Suppression';

export default function FiringTable({
  rows,
  loading,
  onAck,
  onSilence,
  onChanged,
}: {
  rows: AlertRow[];
  loading: boolean;
  onAck: (a: AlertRow) => void;
  onSilence: (a: AlertRow) => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();

  const unack = async (a: AlertRow) => {
    if (!a.fingerprint) return;
    try {
      await api.unack(a.fingerprint);
      message.success(t('alerts.unacked'));
      onChanged();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const columns = useMemo<ColumnsType<AlertRow>>(
    () => [
      {
        title: t('alerts.severity'),
        dataIndex: 'severity',
        width: 90,
        sorter: (a, b) => severityRank(a.severity) - severityRank(b.severity),
        render: (s: string) => <SeverityTag severity={s} />,
      },
      {
        title: t('alerts.rule'),
        dataIndex: 'rule',
        width: 120,
        sorter: (a, b) => a.rule.localeCompare(b.rule),
        render: (r: string) => <RuleName rule={r} />,
      },
      {
        title: t('alerts.key'),
        key: 'key',
        width: 150,
        sorter: (a, b) => fmtKey(a.key).localeCompare(fmtKey(b.key)),
        render: (_, a) => (
          <Space direction="vertical" size={0}>
            <span className="vigil-mono">{fmtKey(a.key)}</span>
            {a.labels?.name && <Typography.Text type="secondary">{a.labels.name}</Typography.Text>}
          </Space>
        ),
      },
      {
        title: t('alerts.summary'),
        key: 'summary',
        render: (_, a) => (
          <span style={{ wordBreak: 'break-word' }} title={a.event?.summary} data-testid="alert-summary">
            {alertSummary(a.event, t, a.labels?.name)}
          </span>
        ),
      },
      {
        title: t('alerts.value'),
        key: 'value',
        width: 80,
        render: (_, a) => (
          <Tooltip title={`${t('alerts.threshold')}: ${fmtValue(a.event?.threshold)}`}>
            <span className="vigil-num">{fmtValue(a.event?.value)}</span>
          </Tooltip>
        ),
      },
      {
        title: t('alerts.started'),
        dataIndex: 'started_at_ms',
        width: 120,
        defaultSortOrder: 'descend',
        sorter: (a, b) => a.started_at_ms - b.started_at_ms,
        render: (ms: number) => <span className="vigil-num">{fmtTime(ms, 'MM-DD HH:mm:ss')}</span>,
      },
      {
        title: t('alerts.status'),
        key: 'status',
        width: 130,
        render: (_, a) => (
          <Space direction="vertical" size={2}>
            {a.suppressed ? <Suppression alert={a} alerts={rows} /> : <Tag color="red">{t('alerts.firing')}</Tag>}
            {a.acknowledged && (
              <Tooltip title={a.acknowledged.comment}>
                <Tag color="blue" data-testid="alert-acknowledged">
                  {t('alerts.ackedBy', { by: a.acknowledged.by || '—' })}
                </Tag>
              </Tooltip>
            )}
          </Space>
        ),
      },
      {
        title: t('common.actions'),
        key: 'actions',
        width: 250,
        // Always in view, also where the table scrolls sideways (narrow windows).
        fixed: 'right',
        render: (_, a) => {
          const txn = a.labels?.txn ?? a.key?.txn;
          return (
            <Space size={4} wrap>
              {a.acknowledged ? (
                <Button size="small" onClick={() => unack(a)} disabled={!a.fingerprint} data-testid="unack-button">
                  {t('alerts.unack')}
                </Button>
              ) : (
                <Button size="small" onClick={() => onAck(a)} disabled={!a.fingerprint} data-testid="ack-button">
                  {t('alerts.ack')}
                </Button>
              )}
              <Button size="small" onClick={() => onSilence(a)} data-testid="silence-button">
                {t('alerts.silence')}
              </Button>
              {a.fingerprint && <OpenIncidentButton fingerprint={a.fingerprint} />}
              {txn && (
                <Link to={codeLink(txn)} data-testid="alert-to-code">
                  {t('alerts.toCode')}
                </Link>
              )}
              {Number(a.event?.records_stored ?? 0) > 0 ? (
                <Link to={abnormalForEvent(a.last_event_id)} data-testid="alert-to-abnormal">
                  {t('alerts.toAbnormal')}
                </Link>
              ) : (
                txn && (
                  <Link to={abnormalForCode(txn)} data-testid="alert-to-abnormal">
                    {t('alerts.toAbnormal')}
                  </Link>
                )
              )}
            </Space>
          );
        },
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, onAck, onSilence, rows],
  );

  return (
    <Table<AlertRow>
      size="small"
      rowKey={(a) => a.fingerprint ?? `${a.rule}|${JSON.stringify(a.key)}`}
      data-testid="alerts-table"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      // The columns' widths with a summary of at least ~230 px: no sideways scroll at 1440 px.
      scroll={{ x: 1100 }}
      onRow={(a) => ({ 'data-testid': `alert-row-${a.fingerprint ?? a.rule}` }) as React.HTMLAttributes<HTMLElement>}
      locale={{ emptyText: t('alerts.noneFiring') }}
    />
  );
}
