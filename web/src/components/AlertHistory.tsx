// The history of alert events (GET /api/v1/alerts/events), newest first, paged with
// before_id ("load more").
import { Button, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { alertSummary } from '../lib/alertSummary';
import { Link } from 'react-router-dom';
import { api } from '../lib/api';
import { fmtCount, fmtKey, fmtTime, fmtValue } from '../lib/format';
import { abnormalForEvent, codeLink } from '../lib/links';
import type { EventRow } from '../lib/types';
import { LoadError } from './PageState';
import RuleName from './RuleName';
import { SeverityTag } from './Severity';

const PAGE = 100;

export default function AlertHistory({ rule, txn, severity }: { rule: string; txn: string; severity: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState('');
  const [events, setEvents] = useState<EventRow[]>([]);
  const [next, setNext] = useState<number | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);

  const load = async (before: number | undefined, signal?: AbortSignal) => {
    setLoading(true);
    try {
      const r = await api.events({ rule, txn, state, limit: PAGE, before_id: before }, signal);
      setEvents((cur) => (before ? [...cur, ...r.events] : r.events));
      setNext(r.next_before_id);
      setError(null);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') setError(e as Error);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const ctrl = new AbortController();
    void load(undefined, ctrl.signal);
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rule, txn, state, tick]);

  const shown = severity ? events.filter((e) => e.event.severity === severity) : events;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Tag.CheckableTag checked={state === ''} onChange={() => setState('')}>
          {t('common.all')}
        </Tag.CheckableTag>
        <Tag.CheckableTag checked={state === 'firing'} onChange={() => setState('firing')}>
          {t('alerts.stateFiring')}
        </Tag.CheckableTag>
        <Tag.CheckableTag checked={state === 'resolved'} onChange={() => setState('resolved')}>
          {t('alerts.stateResolved')}
        </Tag.CheckableTag>
        <Button size="small" onClick={() => setTick((n) => n + 1)}>
          {t('common.refresh')}
        </Button>
      </Space>
      {error && <LoadError error={error} onRetry={() => setTick((n) => n + 1)} />}
      <Table<EventRow>
        size="small"
        rowKey="id"
        data-testid="alert-history-table"
        dataSource={shown}
        loading={loading && events.length === 0}
        pagination={false}
        scroll={{ x: 1100 }}
        onRow={(e) => ({ 'data-testid': `event-row-${e.id}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('alerts.noEvents') }}
        columns={[
          { title: t('alerts.at'), dataIndex: 'at_ms', width: 160, render: (ms: number) => <span className="vigil-num">{fmtTime(ms)}</span> },
          {
            title: t('alerts.state'),
            key: 'state',
            width: 90,
            render: (_, e) =>
              e.event.state === 'resolved' ? <Tag color="green">{t('alerts.stateResolved')}</Tag> : <Tag color="red">{t('alerts.stateFiring')}</Tag>,
          },
          { title: t('alerts.severity'), key: 'sev', width: 90, render: (_, e) => <SeverityTag severity={e.event.severity} /> },
          { title: t('alerts.rule'), key: 'rule', width: 130, render: (_, e) => <RuleName rule={e.event.rule ?? ''} /> },
          {
            title: t('alerts.key'),
            key: 'key',
            width: 170,
            render: (_, e) =>
              e.event.key?.txn ? (
                <Link to={codeLink(e.event.key.txn)} className="vigil-mono">
                  {fmtKey(e.event.key)}
                </Link>
              ) : (
                <span className="vigil-mono">{fmtKey(e.event.key)}</span>
              ),
          },
          { title: t('alerts.summary'), key: 'summary', ellipsis: true, render: (_, e) => <span title={e.event.summary}>{alertSummary(e.event, t)}</span> },
          { title: t('alerts.value'), key: 'value', width: 100, render: (_, e) => fmtValue(e.event.value) },
          {
            title: t('abnormal.records'),
            key: 'records',
            width: 110,
            render: (_, e) =>
              Number(e.event.records_stored ?? 0) > 0 ? (
                <Link to={abnormalForEvent(e.id)}>{fmtCount(Number(e.event.records_stored))}</Link>
              ) : null,
          },
        ]}
      />
      {next !== undefined && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => load(next)} loading={loading} data-testid="history-more">
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      {events.length > 0 && (
        <Typography.Text type="secondary">{t('alerts.eventsShown', { n: fmtCount(shown.length) })}</Typography.Text>
      )}
    </>
  );
}
