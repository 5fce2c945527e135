// 交易成功率: one row per transaction code with its volume, system and business success rates,
// p95, a sparkline and its firing alerts; filter by system, search by code or name, sort by any
// column. A virtualised table: 5,000 codes scroll without rendering 5,000 rows.
import { Card, Input, Select, Space, Switch, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType, ColumnType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { LoadError } from '../components/PageState';
import Rate from '../components/Rate';
import RangeSelect from '../components/RangeSelect';
import type { RangeMinutes } from '../components/RangeSelect';
import { SeverityTag, severityRank } from '../components/Severity';
import Sparkline from '../components/Sparkline';
import { useServerConfig, useThresholds } from '../hooks/serverConfig';
import { usePolling } from '../hooks/usePolling';
import { api } from '../lib/api';
import { fmtCount, fmtMs, fmtTime } from '../lib/format';
import { codeLink } from '../lib/links';
import { codesQuery, sparkMinutes } from '../lib/prefetch';
import type { CodeRow } from '../lib/types';

function useTableHeight(offset: number): number {
  const [h, setH] = useState(() => Math.max(320, window.innerHeight - offset));
  useEffect(() => {
    const on = () => setH(Math.max(320, window.innerHeight - offset));
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, [offset]);
  return h;
}

const byNullable = (a: number | null | undefined, b: number | null | undefined) => (a ?? -1) - (b ?? -1);

type NumberKey = 'count' | 'system_success' | 'business_success' | 'timeouts' | 'p95_ms';

// A right-aligned numeric column, sortable by its value (rows without one sort lowest).
function numberColumn(
  title: string,
  key: NumberKey,
  width: number,
  render: (value: number | null, row: CodeRow) => ReactNode,
): ColumnType<CodeRow> {
  return { title, dataIndex: key, width, align: 'right', sorter: (a, b) => byNullable(a[key], b[key]), render };
}

const count = (n: number | null) => <span className="vigil-num">{fmtCount(n)}</span>;

export default function Codes() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { serviceNames, codes } = useServerConfig('later');
  const thresholds = useThresholds(codes);
  const range = (Number(params.get('range')) || 15) as RangeMinutes;
  const sys = params.get('sys') ?? '';
  const svc = params.get('svc_sys') ?? '';
  const search = params.get('q') ?? '';
  const onlyFiring = params.get('firing') === '1';
  const [searchText, setSearchText] = useState(search);
  const height = useTableHeight(300);

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  // Typing filters after a short pause, and the filter lands in the URL (shareable).
  useEffect(() => {
    const timer = setTimeout(() => {
      if (searchText !== search) setParam('q', searchText.trim());
    }, 200);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searchText]);

  const q = usePolling(
    (signal) => api.codes(codesQuery(range), signal),
    [range],
    15_000,
  );

  const all = useMemo(() => q.data?.codes ?? [], [q.data]);
  const systems = useMemo(() => [...new Set(all.map((c) => c.sys).filter(Boolean))].sort(), [all]);
  const services = useMemo(() => [...new Set(all.map((c) => c.svc_sys).filter(Boolean))].sort(), [all]);
  const rows = useMemo(() => {
    const needle = search.toLowerCase();
    return all.filter(
      (c) =>
        (!sys || c.sys === sys) &&
        (!svc || c.svc_sys === svc) &&
        (!onlyFiring || c.firing_alerts > 0) &&
        (!needle || c.txn.toLowerCase().includes(needle) || (c.name ?? '').toLowerCase().includes(needle)),
    );
  }, [all, sys, svc, onlyFiring, search]);

  // The sparks end with the minute holding `to - 1`; while it is open (the server's clock in
  // it) its count is incomplete: left out, not drawn as a drop.
  const openSpark = !!q.data?.now_ms && q.data.now_ms >= q.data.to_ms - 60_000 && q.data.now_ms < q.data.to_ms;
  const closed = useCallback((s: number[] | undefined) => (openSpark && s ? s.slice(0, -1) : s), [openSpark]);

  const columns = useMemo<ColumnsType<CodeRow>>(
    () => [
      {
        title: t('codes.txn'),
        dataIndex: 'txn',
        width: 100,
        fixed: 'left',
        sorter: (a, b) => a.txn.localeCompare(b.txn),
        render: (txn: string) => (
          <Link to={codeLink(txn)} className="vigil-mono" data-testid={`code-link-${txn}`}>
            {txn}
          </Link>
        ),
      },
      {
        title: t('codes.name'),
        dataIndex: 'name',
        width: 130,
        ellipsis: true,
        sorter: (a, b) => (a.name ?? '').localeCompare(b.name ?? ''),
        render: (name: string, r) => name || (r.configured ? '' : <Typography.Text type="secondary">{t('codes.unconfigured')}</Typography.Text>),
      },
      {
        title: t('codes.sys'),
        dataIndex: 'sys',
        width: 80,
        sorter: (a, b) => a.sys.localeCompare(b.sys),
      },
      {
        title: t('codes.svcSys'),
        dataIndex: 'svc_sys',
        width: 80,
        sorter: (a, b) => a.svc_sys.localeCompare(b.svc_sys),
        render: (s: string) => (s ? <Tooltip title={serviceNames.get(s)}>{s}</Tooltip> : ''),
      },
      { ...numberColumn(t('codes.count'), 'count', 100, count), defaultSortOrder: 'descend' },
      numberColumn(t('codes.systemSuccess'), 'system_success', 95, (v, r) => <Rate value={v} min={thresholds.system(r.txn)} />),
      numberColumn(t('codes.businessSuccess'), 'business_success', 95, (v, r) => <Rate value={v} min={thresholds.business(r.txn)} />),
      numberColumn(t('codes.timeouts'), 'timeouts', 70, count),
      numberColumn(t('codes.p95'), 'p95_ms', 80, (v) => <span className="vigil-num">{fmtMs(v)}</span>),
      {
        title: t('codes.trend', { minutes: sparkMinutes(range) }),
        dataIndex: 'spark',
        width: 120,
        sorter: (a, b) => (closed(a.spark)?.at(-1) ?? 0) - (closed(b.spark)?.at(-1) ?? 0),
        render: (s: number[] | undefined, r) => (
          <Sparkline values={closed(s)} width={100} color={r.severity ? '#cf1322' : '#1677ff'} />
        ),
      },
      {
        title: t('codes.alerts'),
        dataIndex: 'firing_alerts',
        width: 90,
        sorter: (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.firing_alerts - b.firing_alerts,
        render: (n: number, r) =>
          n > 0 ? (
            <Link to={`/alerts?txn=${encodeURIComponent(r.txn)}`}>
              <Space size={4}>
                <SeverityTag severity={r.severity ?? 'warning'} />
                <span className="vigil-num">{n}</span>
              </Space>
            </Link>
          ) : null,
      },
      {
        title: t('codes.lastSeen'),
        dataIndex: 'last_seen_ms',
        width: 80,
        sorter: (a, b) => byNullable(a.last_seen_ms, b.last_seen_ms),
        render: (v: number | null) => <span className="vigil-num">{fmtTime(v, 'HH:mm:ss')}</span>,
      },
    ],
    [t, thresholds, serviceNames, range, closed],
  );

  return (
    <div data-testid="page-codes">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.codes')}
        </Typography.Title>
        <RangeSelect value={range} onChange={(m) => setParam('range', m === 15 ? '' : String(m))} />
      </Space>
      {q.error && <LoadError error={q.error} onRetry={q.reload} />}
      <Card size="small" styles={{ body: { padding: 12 } }}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            data-testid="codes-search"
            placeholder={t('codes.searchPlaceholder')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onSearch={(v) => setParam('q', v.trim())}
            style={{ width: 260 }}
          />
          <Select
            allowClear
            showSearch
            data-testid="codes-filter-sys"
            placeholder={t('codes.filterSys')}
            value={sys || undefined}
            onChange={(v) => setParam('sys', v ?? '')}
            options={systems.map((s) => ({ value: s, label: s }))}
            style={{ width: 160 }}
          />
          <Select
            allowClear
            showSearch
            data-testid="codes-filter-svc"
            placeholder={t('codes.filterSvc')}
            value={svc || undefined}
            onChange={(v) => setParam('svc_sys', v ?? '')}
            options={services.map((s) => ({ value: s, label: serviceNames.get(s) ? `${s} ${serviceNames.get(s)}` : s }))}
            style={{ width: 200 }}
          />
          <Space>
            <Switch
              size="small"
              data-testid="codes-only-firing"
              checked={onlyFiring}
              onChange={(v) => setParam('firing', v ? '1' : '')}
            />
            {t('codes.onlyFiring')}
          </Space>
          <Typography.Text type="secondary" data-testid="codes-count">
            {t('codes.shown', { shown: fmtCount(rows.length), total: fmtCount(all.length) })}
          </Typography.Text>
        </Space>
        <Table<CodeRow>
          virtual
          size="small"
          rowKey="txn"
          data-testid="codes-table"
          columns={columns}
          dataSource={rows}
          loading={q.loading && !q.data}
          pagination={false}
          scroll={{ x: 1100, y: height }}
          onRow={(r) => ({ 'data-testid': `code-row-${r.txn}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: q.loading ? ' ' : t('codes.empty') }}
        />
      </Card>
    </div>
  );
}
