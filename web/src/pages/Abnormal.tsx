// 异常交易明细: the abnormal records an alert carries (node, serial, requesting system, code,
// service system, return code, duration, time). Reached from an alert (?event=ID) and from the
// code page (?txn=X: the code's most recent alert events with records); CSV export.
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Input, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { alertSummary } from '../lib/alertSummary';
import { Link, useSearchParams } from 'react-router-dom';
import { LoadError, Loading } from '../components/PageState';
import RecordTable from '../components/RecordTable';
import type { RecordRow } from '../components/RecordTable';
import RuleName from '../components/RuleName';
import { SeverityTag } from '../components/Severity';
import { useServerConfig } from '../hooks/serverConfig';
import { usePolling } from '../hooks/usePolling';
import { api } from '../lib/api';
import { downloadCsv } from '../lib/csv';
import { fmtCount, fmtKey, fmtTime, fmtValue } from '../lib/format';
import { abnormalForEvent, codeLink, recordsFor } from '../lib/links';
import type { AbnormalRecord, EventRow, EventWithRecords } from '../lib/types';

const EVENTS_PER_CODE = 5;

const toRow = (r: AbnormalRecord, i: number, eventId: number): RecordRow => {
  const ms = Date.parse(r.ts);
  return { ...r, key: `${eventId}|${i}`, time: r.ts, time_ms: Number.isFinite(ms) ? ms : null };
};

// The events to show: one by id, or the code's latest events that carry records.
async function loadEvents(eventId: string | null, txn: string | null, signal: AbortSignal): Promise<EventWithRecords[]> {
  if (eventId) return [await api.eventRecords(eventId, signal)];
  if (!txn) return [];
  const { events } = await api.events({ txn, state: 'firing', limit: 50 }, signal);
  const withRecords = events.filter((e) => Number(e.event.records_stored ?? 0) > 0).slice(0, EVENTS_PER_CODE);
  return Promise.all(withRecords.map((e) => api.eventRecords(e.id, signal)));
}

function EventHeader({ e }: { e: EventWithRecords }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} bordered style={{ marginBottom: 12 }}>
      <Descriptions.Item label={t('alerts.rule')}>
        <RuleName rule={e.event.rule ?? ''} />
      </Descriptions.Item>
      <Descriptions.Item label={t('alerts.key')}>
        <span className="vigil-mono">{fmtKey(e.event.key)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('alerts.severity')}>
        <SeverityTag severity={e.event.severity} />
      </Descriptions.Item>
      <Descriptions.Item label={t('alerts.at')}>{fmtTime(e.at_ms)}</Descriptions.Item>
      <Descriptions.Item label={t('alerts.value')}>{fmtValue(e.event.value)}</Descriptions.Item>
      <Descriptions.Item label={t('alerts.threshold')}>{fmtValue(e.event.threshold)}</Descriptions.Item>
      <Descriptions.Item label={t('alerts.summary')} span={2}>
        <span title={e.event.summary}>{alertSummary(e.event, t)}</span>
      </Descriptions.Item>
    </Descriptions>
  );
}

// Without a parameter: the latest abnormal_count events to choose from.
function RecentEvents() {
  const { t } = useTranslation();
  const q = usePolling((signal) => api.events({ rule: 'abnormal_count', state: 'firing', limit: 100 }, signal), [], 30_000);
  return (
    <Card size="small" title={t('abnormal.recentEvents')}>
      {q.error && <LoadError error={q.error} onRetry={q.reload} />}
      <Table<EventRow>
        size="small"
        rowKey="id"
        data-testid="abnormal-events"
        loading={q.loading && !q.data}
        dataSource={q.data?.events ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(e) => ({ 'data-testid': `abnormal-event-${e.id}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('abnormal.noEvents') }}
        columns={[
          { title: t('alerts.at'), dataIndex: 'at_ms', width: 170, render: (ms: number) => fmtTime(ms) },
          {
            title: t('records.txn'),
            key: 'txn',
            width: 110,
            render: (_, e) => (e.event.key?.txn ? <Link to={codeLink(e.event.key.txn)}>{e.event.key.txn}</Link> : '—'),
          },
          { title: t('alerts.summary'), key: 'summary', render: (_, e) => <span title={e.event.summary}>{alertSummary(e.event, t)}</span> },
          {
            title: t('abnormal.records'),
            key: 'n',
            width: 100,
            align: 'right',
            render: (_, e) => <Link to={abnormalForEvent(e.id)}>{fmtCount(Number(e.event.records_stored ?? 0))}</Link>,
          },
        ]}
      />
    </Card>
  );
}

export default function Abnormal() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const eventId = params.get('event');
  const txn = params.get('txn');
  const { codes } = useServerConfig('later');
  const [needle, setNeedle] = useState('');
  const q = usePolling((signal) => loadEvents(eventId, txn, signal), [eventId, txn], 0);

  const rows = useMemo(
    () => (q.data ?? []).flatMap((e) => e.records.map((r, i) => toRow(r, i, e.id))),
    [q.data],
  );
  const shown = useMemo(() => {
    const n = needle.trim().toLowerCase();
    if (!n) return rows;
    return rows.filter((r) => [r.node, r.serial, r.sys, r.txn, r.svc_sys, r.ret, r.svc_ret].some((v) => (v ?? '').toLowerCase().includes(n)));
  }, [rows, needle]);
  const names = useMemo(() => new Map([...codes].map(([k, v]) => [k, v.name])), [codes]);

  const exportCsv = () => {
    if (eventId) {
      // The server's CSV (BOM for Excel, formula cells neutralised).
      const a = document.createElement('a');
      a.href = api.eventCsvUrl(eventId);
      a.download = `alert-${eventId}-records.csv`;
      a.click();
      return;
    }
    downloadCsv(`abnormal-${txn ?? 'records'}.csv`, shown);
  };

  const title = eventId ? t('abnormal.titleEvent', { id: eventId }) : txn ? t('abnormal.titleCode', { txn }) : t('nav.abnormal');
  return (
    <div data-testid="page-abnormal">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {(eventId || txn) && (
          <Space>
            {txn && (
              <Link to={recordsFor({ txn, failed: '1' })}>
                <Button>{t('abnormal.liveFailures')}</Button>
              </Link>
            )}
            <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={rows.length === 0} data-testid="export-csv">
              {t('abnormal.exportCsv')}
            </Button>
          </Space>
        )}
      </Space>
      {!eventId && !txn && <RecentEvents />}
      {q.error && <LoadError error={q.error} onRetry={q.reload} />}
      {(eventId || txn) && !q.data && q.loading && <Loading />}
      {q.data && (
        <>
          {q.data.length === 1 && <EventHeader e={q.data[0]} />}
          {txn && q.data.length === 0 && (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('abnormal.noneForCode')} data-testid="abnormal-none" />
          )}
          {eventId && q.data[0]?.records.length === 0 && (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('abnormal.noneForEvent')} data-testid="abnormal-none" />
          )}
          {q.data.length > 1 && (
            <Typography.Paragraph type="secondary">
              {t('abnormal.fromEvents', { count: q.data.length })}{' '}
              {q.data.map((e) => (
                <Link key={e.id} to={abnormalForEvent(e.id)} style={{ marginRight: 8 }}>
                  #{e.id} {fmtTime(e.at_ms, 'MM-DD HH:mm')}
                </Link>
              ))}
            </Typography.Paragraph>
          )}
          <Card size="small" styles={{ body: { padding: 12 } }}>
            <Space style={{ marginBottom: 12 }}>
              <Input.Search
                allowClear
                placeholder={t('abnormal.search')}
                value={needle}
                onChange={(e) => setNeedle(e.target.value)}
                style={{ width: 260 }}
                data-testid="abnormal-search"
              />
              <Typography.Text type="secondary" data-testid="abnormal-count">
                {t('records.shown', { n: fmtCount(shown.length) })}
              </Typography.Text>
            </Space>
            <RecordTable
              rows={shown}
              height={Math.max(300, window.innerHeight - 420)}
              withClass={false}
              withMsg={false}
              testId="abnormal-table"
              names={names}
            />
          </Card>
        </>
      )}
    </div>
  );
}
