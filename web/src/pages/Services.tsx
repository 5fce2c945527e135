// 服务系统: success rate per service system, and per (service system, code) in the expanded row.
// A failure is a svc_ret outside the service system's success list (missing included).
import { Card, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { LoadError } from '../components/PageState';
import Rate from '../components/Rate';
import RangeSelect from '../components/RangeSelect';
import type { RangeMinutes } from '../components/RangeSelect';
import Sparkline from '../components/Sparkline';
import { usePolling } from '../hooks/usePolling';
import { api } from '../lib/api';
import { fmtCount, fmtRate } from '../lib/format';
import { alertsFor, codeLink, recordsFor } from '../lib/links';
import { rangeQuery } from '../lib/prefetch';
import type { ServiceCode, ServiceRow } from '../lib/types';

const byNullable = (a: number | null, b: number | null) => (a ?? -1) - (b ?? -1);

function CodesOfService({ svc }: { svc: ServiceRow }) {
  const { t } = useTranslation();
  const columns: ColumnsType<ServiceCode> = [
    {
      title: t('codes.txn'),
      dataIndex: 'txn',
      width: 120,
      sorter: (a, b) => a.txn.localeCompare(b.txn),
      render: (txn: string) => (
        <Link to={codeLink(txn)} className="vigil-mono">
          {txn}
        </Link>
      ),
    },
    { title: t('codes.name'), dataIndex: 'name', ellipsis: true },
    {
      title: t('codes.count'),
      dataIndex: 'count',
      align: 'right',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.count - b.count,
      render: (n: number) => fmtCount(n),
    },
    {
      title: t('services.failures'),
      dataIndex: 'failures',
      align: 'right',
      sorter: (a, b) => a.failures - b.failures,
      render: (n: number, c) =>
        n > 0 ? <Link to={recordsFor({ txn: c.txn, svc_sys: svc.svc_sys })}>{fmtCount(n)}</Link> : fmtCount(n),
    },
    {
      title: t('services.success'),
      dataIndex: 'success',
      align: 'right',
      sorter: (a, b) => byNullable(a.success, b.success),
      render: (v: number | null) => <Rate value={v} min={svc.success_min} />,
    },
  ];
  return (
    <Table<ServiceCode>
      size="small"
      rowKey="txn"
      columns={columns}
      dataSource={svc.codes}
      pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
      onRow={(c) => ({ 'data-testid': `service-code-row-${svc.svc_sys}-${c.txn}` }) as React.HTMLAttributes<HTMLElement>}
      locale={{ emptyText: t('services.noCalls') }}
    />
  );
}

export default function Services() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const range = (Number(params.get('range')) || 15) as RangeMinutes;
  const focus = params.get('svc_sys') ?? '';
  const q = usePolling(
    (signal) => api.services(rangeQuery(range, 15), signal),
    [range],
    15_000,
  );

  const columns = useMemo<ColumnsType<ServiceRow>>(
    () => [
      {
        title: t('services.svcSys'),
        dataIndex: 'svc_sys',
        width: 120,
        sorter: (a, b) => a.svc_sys.localeCompare(b.svc_sys),
        render: (s: string) => <span className="vigil-mono">{s}</span>,
      },
      {
        title: t('services.name'),
        dataIndex: 'name',
        sorter: (a, b) => (a.name ?? '').localeCompare(b.name ?? ''),
        render: (n: string, r) => (
          <Space>
            {n}
            {!r.configured && <Tag>{t('services.unconfigured')}</Tag>}
          </Space>
        ),
      },
      {
        title: t('codes.count'),
        dataIndex: 'count',
        align: 'right',
        sorter: (a, b) => a.count - b.count,
        render: (n: number) => <span className="vigil-num">{fmtCount(n)}</span>,
      },
      {
        title: t('services.failures'),
        dataIndex: 'failures',
        align: 'right',
        sorter: (a, b) => a.failures - b.failures,
        render: (n: number) => <span className="vigil-num">{fmtCount(n)}</span>,
      },
      {
        title: t('services.success'),
        dataIndex: 'success',
        align: 'right',
        defaultSortOrder: 'ascend',
        sorter: (a, b) => byNullable(a.success, b.success),
        render: (v: number | null, r) => <Rate value={v} min={r.success_min} testId={`service-success-${r.svc_sys}`} />,
      },
      {
        title: t('services.successMin'),
        dataIndex: 'success_min',
        align: 'right',
        render: (v: number | null) => <span className="vigil-num">{fmtRate(v)}</span>,
      },
      {
        title: t('services.failuresTrend'),
        key: 'trend',
        width: 140,
        render: (_, r) => <Sparkline values={r.minutes.map((m) => m.failures)} color="#cf1322" />,
      },
      {
        title: t('codes.alerts'),
        dataIndex: 'firing',
        align: 'right',
        sorter: (a, b) => a.firing - b.firing,
        render: (n: number, r) =>
          n > 0 ? (
            <Link to={alertsFor({ svc_sys: r.svc_sys })}>
              <Tag color="red">{n}</Tag>
            </Link>
          ) : null,
      },
    ],
    [t],
  );

  return (
    <div data-testid="page-services">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.services')}
        </Typography.Title>
        <RangeSelect
          value={range}
          onChange={(m) => {
            const next = new URLSearchParams(params);
            if (m === 15) next.delete('range');
            else next.set('range', String(m));
            setParams(next, { replace: true });
          }}
        />
      </Space>
      {q.error && <LoadError error={q.error} onRetry={q.reload} />}
      <Card size="small">
        <Table<ServiceRow>
          size="small"
          rowKey="svc_sys"
          data-testid="services-table"
          columns={columns}
          dataSource={q.data?.services ?? []}
          loading={q.loading && !q.data}
          pagination={false}
          expandable={{
            expandedRowRender: (r) => <CodesOfService svc={r} />,
            defaultExpandedRowKeys: focus ? [focus] : [],
            rowExpandable: (r) => r.codes.length > 0,
          }}
          rowClassName={(r) => (r.svc_sys === focus ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ 'data-testid': `service-row-${r.svc_sys}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('services.empty') }}
        />
      </Card>
    </div>
  );
}
