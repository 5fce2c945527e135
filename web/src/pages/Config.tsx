// 配置: the configuration in use, read-only: codes with their parameters, service systems, the
// calendar, the return codes no list classifies yet (with counts, so people can fix them),
// codes not configured, batch and reconciliation checks, the YAML; and a reload button.
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Input, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import CalendarView from '../components/CalendarView';
import { fmtParam } from '../components/CodeParamsCard';
import { LoadError, Loading, NoData } from '../components/PageState';
import { useServerConfig } from '../hooks/serverConfig';
import { api } from '../lib/api';
import { fmtCount, fmtDuration, fmtRate } from '../lib/format';
import { codeLink, recordsFor } from '../lib/links';
import type { ConfigAnswer, ConfigCode } from '../lib/types';

function CodesTab({ codes }: { codes: ConfigCode[] }) {
  const { t } = useTranslation();
  const [needle, setNeedle] = useState('');
  const rows = useMemo(() => {
    const n = needle.trim().toLowerCase();
    return n ? codes.filter((c) => c.txn.toLowerCase().includes(n) || c.name.toLowerCase().includes(n) || c.sys.toLowerCase().includes(n)) : codes;
  }, [codes, needle]);
  const p = (c: ConfigCode, k: string) => fmtParam(k, c.params?.[k]);
  const columns: ColumnsType<ConfigCode> = [
    { title: t('codes.txn'), dataIndex: 'txn', width: 100, fixed: 'left', sorter: (a, b) => a.txn.localeCompare(b.txn), render: (x: string) => <Link to={codeLink(x)} className="vigil-mono">{x}</Link> },
    { title: t('codes.name'), dataIndex: 'name', width: 160, ellipsis: true },
    { title: t('codes.sys'), dataIndex: 'sys', width: 90, sorter: (a, b) => a.sys.localeCompare(b.sys) },
    { title: t('codes.svcSys'), dataIndex: 'svc_sys', width: 90, sorter: (a, b) => a.svc_sys.localeCompare(b.svc_sys) },
    { title: t('config.financial'), dataIndex: 'financial', width: 70, render: (f: boolean) => (f ? <Tag color="gold">{t('common.yes')}</Tag> : '') },
    { title: 'monitor', key: 'monitor', width: 80, render: (_, c) => p(c, 'monitor') },
    { title: 'window', key: 'window', width: 70, render: (_, c) => p(c, 'window_ms') },
    { title: 'min_count', key: 'min_count', width: 80, align: 'right', render: (_, c) => p(c, 'min_count') },
    { title: 'system_success_min', key: 'ssm', width: 130, align: 'right', render: (_, c) => p(c, 'system_success_min') },
    { title: 'business_success_min', key: 'bsm', width: 140, align: 'right', render: (_, c) => p(c, 'business_success_min') },
    { title: 'ratio_bounds', key: 'rb', width: 100, render: (_, c) => p(c, 'ratio_bounds') },
    { title: 'abnormal_threshold', key: 'at', width: 130, align: 'right', render: (_, c) => p(c, 'abnormal_threshold') },
    { title: 'timeout_ms', key: 'tm', width: 90, align: 'right', render: (_, c) => String(c.params?.timeout_ms ?? '—') },
    { title: 'severity', key: 'sev', width: 80, render: (_, c) => p(c, 'severity') },
    {
      title: t('code.rulesOff'),
      key: 'off',
      width: 200,
      render: (_, c) => (
        <Space size={2} wrap>
          {(c.rules_off ?? []).map((r) => (
            <Tag key={r}>{r}</Tag>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('codes.searchPlaceholder')} value={needle} onChange={(e) => setNeedle(e.target.value)} style={{ width: 260 }} data-testid="config-codes-search" />
        <Typography.Text type="secondary">{t('codes.shown', { shown: fmtCount(rows.length), total: fmtCount(codes.length) })}</Typography.Text>
      </Space>
      <Table<ConfigCode>
        virtual
        size="small"
        rowKey="txn"
        data-testid="config-codes-table"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1700, y: Math.max(300, window.innerHeight - 360) }}
        onRow={(c) => ({ 'data-testid': `config-code-row-${c.txn}` }) as React.HTMLAttributes<HTMLElement>}
      />
    </>
  );
}

function UnclassifiedTab({ rows }: { rows: ConfigAnswer['unclassified_returns'] }) {
  const { t } = useTranslation();
  const sorted = useMemo(() => [...rows].sort((a, b) => b.count - a.count), [rows]);
  return (
    <>
      <Alert type="info" showIcon message={t('config.unclassifiedHelp')} style={{ marginBottom: 12 }} />
      <Table
        size="small"
        rowKey={(r) => `${r.txn}|${r.ret}`}
        data-testid="unclassified-table"
        dataSource={sorted}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(r) => ({ 'data-testid': `unclassified-row-${r.txn}-${r.ret}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('config.noUnclassified') }}
        columns={[
          { title: t('codes.txn'), dataIndex: 'txn', render: (x: string) => <Link to={codeLink(x)} className="vigil-mono">{x}</Link> },
          { title: t('records.ret'), dataIndex: 'ret', render: (r: string, row) => <Link to={recordsFor({ txn: row.txn, ret: r })} className="vigil-mono">{r}</Link> },
          { title: t('config.count'), dataIndex: 'count', align: 'right', sorter: (a, b) => a.count - b.count, render: (n: number) => fmtCount(n) },
        ]}
      />
    </>
  );
}

function ChecksTab({ rows, testId }: { rows: Record<string, unknown>[] | undefined; testId: string }) {
  if (!rows || rows.length === 0) return <NoData />;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <Table
      size="small"
      rowKey={(r) => String(r.name ?? JSON.stringify(r))}
      data-testid={testId}
      dataSource={rows}
      pagination={false}
      columns={keys.map((k) => ({
        title: k,
        dataIndex: k,
        render: (v: unknown) => (typeof v === 'number' && k.endsWith('_ms') ? fmtDuration(v) : typeof v === 'object' ? JSON.stringify(v) : String(v ?? '')),
      }))}
    />
  );
}

export default function ConfigPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { config, error, loading, reload } = useServerConfig();
  const [reloading, setReloading] = useState(false);
  const [reloadErrors, setReloadErrors] = useState<string[] | null>(null);

  const reloadConfig = async () => {
    setReloading(true);
    try {
      const r = await api.reloadConfig();
      setReloadErrors(null);
      if (r.applied) message.success(t('config.reloaded'));
      reload();
    } catch (e) {
      setReloadErrors((e as Error).message.split('\n'));
    } finally {
      setReloading(false);
    }
  };

  return (
    <div data-testid="page-config">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.config')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={reloadConfig} loading={reloading} data-testid="config-reload">
          {t('config.reload')}
        </Button>
      </Space>
      {reloadErrors && (
        <Alert type="error" showIcon closable onClose={() => setReloadErrors(null)} message={t('config.reloadFailed')} description={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{reloadErrors.join('\n')}</pre>} style={{ marginBottom: 12 }} />
      )}
      {error && <LoadError error={error} onRetry={reload} />}
      {!config && loading && <Loading />}
      {config && (
        <Card size="small">
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('config.file')}>
              {/* The file's name; where it was (often a deployment's or a test's directory) on hover. */}
              <span className="vigil-mono" title={config.path} data-testid="config-file">
                {config.file || config.path}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('config.timezone')}>{config.timezone}</Descriptions.Item>
            <Descriptions.Item label="allowed_lateness">{fmtDuration(config.allowed_lateness_ms)}</Descriptions.Item>
            <Descriptions.Item label="max_future_skew">{fmtDuration(config.max_future_skew_ms)}</Descriptions.Item>
          </Descriptions>
          <Tabs
            items={[
              { key: 'codes', label: t('config.codesTab', { n: fmtCount(config.codes.length) }), children: <CodesTab codes={config.codes} /> },
              {
                key: 'services',
                label: t('config.servicesTab'),
                children: (
                  <Table
                    size="small"
                    rowKey="svc_sys"
                    data-testid="config-services-table"
                    dataSource={config.service_systems}
                    pagination={false}
                    columns={[
                      { title: t('services.svcSys'), dataIndex: 'svc_sys', render: (s: string) => <span className="vigil-mono">{s}</span> },
                      { title: t('services.name'), dataIndex: 'name' },
                      { title: t('config.successList'), dataIndex: 'success', render: (l?: string[]) => (l ?? []).map((s) => <Tag key={s}>{s}</Tag>) },
                      { title: 'service_success_min', dataIndex: 'service_success_min', render: (v?: number) => fmtRate(v) },
                    ]}
                  />
                ),
              },
              { key: 'calendar', label: t('config.calendarTab'), children: config.calendar ? <CalendarView calendar={config.calendar} /> : <NoData /> },
              {
                key: 'unclassified',
                label: (
                  <span data-testid="config-tab-unclassified">
                    {t('config.unclassifiedTab')} <Tag color={config.unclassified_returns.length ? 'orange' : 'default'}>{config.unclassified_returns.length}</Tag>
                  </span>
                ),
                children: <UnclassifiedTab rows={config.unclassified_returns} />,
              },
              {
                key: 'unconfigured',
                label: t('config.unconfiguredTab', { n: config.unconfigured_codes.length }),
                children:
                  config.unconfigured_codes.length === 0 ? (
                    <NoData />
                  ) : (
                    <Space wrap data-testid="config-unconfigured">
                      {config.unconfigured_codes.map((c) => (
                        <Link key={c} to={codeLink(c)}>
                          <Tag className="vigil-mono">{c}</Tag>
                        </Link>
                      ))}
                    </Space>
                  ),
              },
              { key: 'batch', label: t('config.batchTab'), children: <ChecksTab rows={config.batch} testId="config-batch" /> },
              { key: 'recon', label: t('config.reconTab'), children: <ChecksTab rows={config.recon} testId="config-recon" /> },
              {
                key: 'yaml',
                label: 'YAML',
                children: (
                  <pre className="vigil-mono" style={{ maxHeight: '65vh', overflow: 'auto', background: '#fafafa', padding: 12, fontSize: 12 }} data-testid="config-yaml">
                    {config.yaml}
                  </pre>
                ),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
