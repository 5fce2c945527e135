// One transaction code: minute volume against its baseline band, hourly volume against the
// previous same-type days (交易量环比), success rates, return codes over time, latency
// percentiles, its parameters and which rules are on, its firing alerts.
import { Alert, Breadcrumb, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import Chart from '../components/Chart';
import { hourlyOption, latencyOption, returnsOption, successOption, volumeOption } from '../components/codeCharts';
import CodeParamsCard from '../components/CodeParamsCard';
import FiringList from '../components/FiringList';
import { LoadError, Loading, NoData } from '../components/PageState';
import Rate from '../components/Rate';
import RangeSelect from '../components/RangeSelect';
import type { RangeMinutes } from '../components/RangeSelect';
import { useServerConfig } from '../hooks/serverConfig';
import { useFiringAlerts } from '../hooks/useFiringAlerts';
import { usePolling } from '../hooks/usePolling';
import { ApiError, api } from '../lib/api';
import { fmtCount, fmtMs } from '../lib/format';
import { abnormalForCode, recordsFor } from '../lib/links';
import { rangeQuery } from '../lib/prefetch';
import type { SeriesAnswer } from '../lib/types';

const RANGE_OPTIONS: RangeMinutes[] = [60, 360, 1440];

function totals(s: SeriesAnswer) {
  let count = 0,
    sysOk = 0,
    bizOk = 0,
    timeouts = 0;
  for (const m of s.minutes) {
    count += m.count;
    sysOk += (m.system_success ?? 0) * m.count;
    bizOk += (m.business_success ?? 0) * m.count;
    timeouts += m.timeouts;
  }
  const p95s = s.minutes.map((m) => m.p95_ms).filter((v): v is number => v !== null);
  return {
    count,
    system: count ? sysOk / count : null,
    business: count ? bizOk / count : null,
    timeouts,
    p95max: p95s.length ? Math.max(...p95s) : null,
  };
}


export default function CodeDetail() {
  const { t } = useTranslation();
  const { txn = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const range = (Number(params.get('range')) || 60) as RangeMinutes;
  const { codes } = useServerConfig('later');
  const firing = useFiringAlerts();

  const series = usePolling(
    (signal) => api.series(txn, rangeQuery(range, 60), signal),
    [txn, range],
    30_000,
  );
  const hourly = usePolling((signal) => api.hourly(txn, {}, signal), [txn], 60_000);
  const returns = usePolling(
    (signal) => api.returns(txn, rangeQuery(range, 60), signal),
    [txn, range],
    30_000,
  );

  const s = series.data;
  const sum = useMemo(() => (s ? totals(s) : null), [s]);
  const charts = useMemo(
    () =>
      s
        ? { volume: volumeOption(s, t), success: successOption(s, t), latency: latencyOption(s, t) }
        : null,
    [s, t],
  );
  const hourlyChart = useMemo(() => (hourly.data ? hourlyOption(hourly.data, t) : null), [hourly.data, t]);
  const returnsChart = useMemo(() => (returns.data ? returnsOption(returns.data, t) : null), [returns.data, t]);
  const codeAlerts = useMemo(
    () => (firing.alerts ?? []).filter((a) => (a.labels?.txn ?? a.key?.txn) === txn),
    [firing.alerts, txn],
  );
  const configured = codes.get(txn);
  const name = s?.name || configured?.name || '';
  // A code the server does not know (404): one message saying so, not empty charts.
  const unknown = [series.error, hourly.error, returns.error].find((e) => e instanceof ApiError && e.status === 404);

  if (unknown) {
    return (
      <div data-testid="page-code-detail" data-txn={txn}>
        <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/codes">{t('nav.codes')}</Link> }, { title: txn }]} />
        <Alert
          type="warning"
          showIcon
          data-testid="code-unknown"
          message={t('code.unknown', { txn })}
          description={unknown.message}
          action={<Link to="/codes">{t('nav.codes')}</Link>}
        />
      </div>
    );
  }

  return (
    <div data-testid="page-code-detail" data-txn={txn}>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to="/codes">{t('nav.codes')}</Link> }, { title: txn }]}
      />
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space align="baseline" wrap>
          <Typography.Title level={4} style={{ margin: 0 }} className="vigil-mono" data-testid="code-title">
            {txn}
          </Typography.Title>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {name}
          </Typography.Title>
          {(s?.sys || configured?.sys) && <Tag>{t('codes.sys')}: {s?.sys || configured?.sys}</Tag>}
          {(s?.svc_sys || configured?.svc_sys) && <Tag>{t('codes.svcSys')}: {s?.svc_sys || configured?.svc_sys}</Tag>}
          {configured?.financial && <Tag color="gold">{t('code.financial')}</Tag>}
        </Space>
        <Space wrap>
          <Link to={recordsFor({ txn })}>
            <Button data-testid="code-to-records">{t('code.toRecords')}</Button>
          </Link>
          <Link to={abnormalForCode(txn)}>
            <Button data-testid="code-to-abnormal">{t('code.toAbnormal')}</Button>
          </Link>
          <RangeSelect
            value={range}
            options={RANGE_OPTIONS}
            onChange={(m) => setParams(m === 60 ? {} : { range: String(m) }, { replace: true })}
          />
        </Space>
      </Space>

      {series.error && <LoadError error={series.error} onRetry={series.reload} />}
      {!s && series.loading && <Loading />}
      {s && sum && (
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
          <Col xs={12} md={8} xl={4}>
            <Card size="small">
              <Statistic title={t('codes.count')} value={fmtCount(sum.count)} valueRender={(n) => <span data-testid="code-count">{n}</span>} />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={5}>
            <Card size="small">
              <Statistic
                title={t('codes.systemSuccess')}
                value={sum.system ?? 0}
                valueRender={() => <Rate value={sum.system} min={s.params.system_success_min} testId="code-system-success" />}
              />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={5}>
            <Card size="small">
              <Statistic
                title={t('codes.businessSuccess')}
                value={sum.business ?? 0}
                valueRender={() => <Rate value={sum.business} min={s.params.business_success_min} testId="code-business-success" />}
              />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={5}>
            <Card size="small">
              <Statistic title={t('code.maxP95')} value={fmtMs(sum.p95max)} />
            </Card>
          </Col>
          <Col xs={12} md={8} xl={5}>
            <Card size="small">
              <Statistic title={t('codes.timeouts')} value={fmtCount(sum.timeouts)} />
            </Card>
          </Col>
        </Row>
      )}

      <Card
        size="small"
        title={t('code.firingOnCode', { count: codeAlerts.length })}
        style={{ marginBottom: 12 }}
        extra={<Link to={`/alerts?txn=${encodeURIComponent(txn)}`}>{t('common.all')}</Link>}
      >
        <FiringList alerts={codeAlerts} testId="code-firing-list" />
      </Card>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('code.volumeTitle')}>
            {charts ? <Chart option={charts.volume} testId="chart-volume" /> : <Loading />}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('code.hourlyTitle')}
            extra={hourly.data && <Typography.Text type="secondary">{t(`dayType.${hourly.data.day_type === 'holiday' ? 'holiday' : 'workday'}`)}</Typography.Text>}
          >
            {hourly.error && <LoadError error={hourly.error} onRetry={hourly.reload} />}
            {hourlyChart ? <Chart option={hourlyChart} testId="chart-hourly" /> : !hourly.error && <Loading />}
            {hourly.data && hourly.data.days.length === 0 && <Typography.Text type="secondary">{t('code.noBaselineDays')}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('code.successTitle')}>
            {charts ? <Chart option={charts.success} testId="chart-success" /> : <Loading />}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('code.latencyTitle')}>
            {charts ? <Chart option={charts.latency} testId="chart-latency" /> : <Loading />}
          </Card>
        </Col>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('code.returnsTitle')}>
            {returns.error && <LoadError error={returns.error} onRetry={returns.reload} />}
            {returnsChart ? <Chart option={returnsChart} testId="chart-returns" /> : !returns.error && <Loading />}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('code.returnsTable')}>
            {returns.data && returns.data.returns.length === 0 ? (
              <NoData>{t('code.noFailures')}</NoData>
            ) : (
              <Table
                size="small"
                rowKey="ret"
                pagination={false}
                data-testid="code-returns-table"
                dataSource={returns.data?.returns ?? []}
                loading={returns.loading && !returns.data}
                columns={[
                  {
                    title: t('records.ret'),
                    dataIndex: 'ret',
                    render: (r: string) =>
                      r === 'other' ? t('code.otherRets') : <Link to={recordsFor({ txn, ret: r })} className="vigil-mono">{r}</Link>,
                  },
                  {
                    title: t('records.class'),
                    dataIndex: 'class',
                    render: (c: string) => <Tag color={c === 'system' ? 'red' : c === 'business' ? 'orange' : 'green'}>{t(`retClass.${c === 'system' || c === 'business' ? c : 'success'}`)}</Tag>,
                  },
                  { title: t('code.retCount'), dataIndex: 'count', align: 'right', render: (n: number) => fmtCount(n) },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <CodeParamsCard txn={txn} fallback={s?.params} />
        </Col>
      </Row>
    </div>
  );
}
