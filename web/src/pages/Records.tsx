// 实时交易明细: the live stream of recent records, filterable by code, node, return code,
// service system and requesting system; pause and resume. The first screen comes from
// GET /api/v1/records/recent, then the stream's `records` events (polling while it is down).
import { PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Input, Space, Switch, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { LoadError } from '../components/PageState';
import RecordTable from '../components/RecordTable';
import type { RecordRow } from '../components/RecordTable';
import { useServerConfig } from '../hooks/serverConfig';
import { useStream } from '../hooks/stream';
import type { StreamFilter } from '../hooks/stream';
import { api } from '../lib/api';
import { fmtCount } from '../lib/format';
import type { RecentRecord } from '../lib/types';

const FIELDS = ['txn', 'node', 'ret', 'svc_sys', 'sys'] as const;
const KEEP = 2000; // rows kept on screen
const FIRST_LOAD = 500;

const toRow = (r: RecentRecord): RecordRow => ({
  ...r,
  key: `${r.time_ms}|${r.txn}|${r.node}|${r.serial}|${r.ret}`,
});

// Newest first, without duplicates (the first screen and the stream may overlap).
function merge(incoming: RecordRow[], current: RecordRow[]): RecordRow[] {
  const seen = new Set<string>();
  const out: RecordRow[] = [];
  for (const r of [...incoming].sort((a, b) => (b.time_ms ?? 0) - (a.time_ms ?? 0)).concat(current)) {
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    out.push(r);
    if (out.length >= KEEP) break;
  }
  return out;
}

export default function Records() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { codes } = useServerConfig('later');
  const filter = useMemo(() => {
    const f: StreamFilter = {};
    for (const k of FIELDS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const failedOnly = params.get('failed') === '1';
  const [draft, setDraft] = useState<StreamFilter>(filter);
  const [rows, setRows] = useState<RecordRow[]>([]);
  const [buffer, setBuffer] = useState<RecordRow[]>([]);
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const filterKey = JSON.stringify(filter);

  useEffect(() => setDraft(filter), [filterKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.recent({ ...filter, limit: FIRST_LOAD });
      setRows(merge(r.records.map(toRow), []));
      setError(null);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filterKey]);

  useEffect(() => {
    setRows([]);
    setBuffer([]);
    void load();
  }, [load]);

  const onRecords = useCallback((records: RecentRecord[]) => {
    const incoming = records.map(toRow);
    if (pausedRef.current) setBuffer((b) => merge(incoming, b));
    else setRows((cur) => merge(incoming, cur));
  }, []);
  const status = useStream(['records'], filter, { onRecords });

  // While the stream is down, ask for what came after the newest row every 2 seconds.
  const newest = rows[0]?.time_ms ?? null;
  const newestRef = useRef(newest);
  newestRef.current = newest;
  useEffect(() => {
    if (status === 'open') return;
    const timer = setInterval(async () => {
      try {
        const r = await api.recent({ ...filter, limit: 1000, after: newestRef.current ?? undefined });
        onRecords(r.records);
      } catch {
        // shown by the status badge; the next round tries again
      }
    }, 2000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, filterKey, onRecords]);

  const resume = () => {
    setRows((cur) => merge(buffer, cur));
    setBuffer([]);
    setPaused(false);
  };

  const apply = () => {
    const next = new URLSearchParams();
    for (const k of FIELDS) if (draft[k]?.trim()) next.set(k, draft[k]!.trim());
    if (failedOnly) next.set('failed', '1');
    setParams(next, { replace: true });
  };
  const setFailedOnly = (v: boolean) => {
    const next = new URLSearchParams(params);
    if (v) next.set('failed', '1');
    else next.delete('failed');
    setParams(next, { replace: true });
  };

  const shown = useMemo(() => (failedOnly ? rows.filter((r) => r.class !== 'success') : rows), [rows, failedOnly]);
  const names = useMemo(() => new Map([...codes].map(([k, v]) => [k, v.name])), [codes]);

  return (
    <div data-testid="page-records">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.records')}
        </Typography.Title>
        <Space>
          <Badge
            status={paused ? 'default' : status === 'open' ? 'processing' : 'warning'}
            text={paused ? t('records.paused') : status === 'open' ? t('records.streaming') : t('records.polling')}
            data-testid="records-status"
          />
          {paused ? (
            <Button type="primary" icon={<PlayCircleOutlined />} onClick={resume} data-testid="pause-button" data-paused="true">
              {t('records.resume', { count: buffer.length })}
            </Button>
          ) : (
            <Button icon={<PauseCircleOutlined />} onClick={() => setPaused(true)} data-testid="pause-button" data-paused="false">
              {t('records.pause')}
            </Button>
          )}
        </Space>
      </Space>
      {error && <LoadError error={error} onRetry={load} />}
      <Card size="small" styles={{ body: { padding: 12 } }}>
        <Space wrap style={{ marginBottom: 12 }}>
          {FIELDS.map((k) => (
            <Input
              key={k}
              allowClear
              data-testid={`records-filter-${k}`}
              placeholder={t(`records.filter.${k}`)}
              value={draft[k] ?? ''}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
              onPressEnter={apply}
              style={{ width: 130 }}
            />
          ))}
          <Button type="primary" onClick={apply} data-testid="records-apply">
            {t('common.filter')}
          </Button>
          <Space>
            <Switch size="small" checked={failedOnly} onChange={setFailedOnly} data-testid="records-failed-only" />
            {t('records.failedOnly')}
          </Space>
          <Typography.Text type="secondary" data-testid="records-count">
            {t('records.shown', { n: fmtCount(shown.length) })}
          </Typography.Text>
        </Space>
        <RecordTable
          rows={shown}
          height={Math.max(320, window.innerHeight - 320)}
          loading={loading && rows.length === 0}
          testId="records-table"
          emptyText={t('records.empty')}
          names={names}
        />
      </Card>
    </div>
  );
}
