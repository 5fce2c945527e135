// 总览: a tile per requesting system and service system coloured by its worst firing alert,
// firing alerts by severity, ingest rate and evaluation lag, the last hour's ingest.
import { Card, Col, Row, Statistic, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import Chart from '../components/Chart';
import type { ChartOption } from '../components/Chart';
import FiringList from '../components/FiringList';
import { openMinuteIndex } from '../components/codeCharts';
import { LoadError, Loading, NoData } from '../components/PageState';
import { rateColor } from '../components/Rate';
import { severityColor } from '../components/Severity';
import { useFiringAlerts } from '../hooks/useFiringAlerts';
import { useLiveStats } from '../hooks/stream';
import { usePolling } from '../hooks/usePolling';
import { api } from '../lib/api';
import { fmtCount, fmtMinute, fmtMs, fmtRate } from '../lib/format';
import { codesFor, servicesFor } from '../lib/links';
import { noteServerNow } from '../lib/serverClock';
import type { Overview as OverviewData, OverviewTile } from '../lib/types';

function Tile({ tile, onClick }: { tile: OverviewTile; onClick: () => void }) {
  const { t } = useTranslation();
  const color = severityColor(tile.worst_severity);
  const rate = tile.kind === 'sys' ? tile.system_success : tile.success;
  return (
    <div
      className="vigil-tile"
      role="button"
      tabIndex={0}
      onClick={onClick}
      onKeyDown={(e) => e.key === 'Enter' && onClick()}
      data-testid={`tile-${tile.kind}-${tile.name}`}
      data-severity={tile.worst_severity ?? 'ok'}
      style={{ background: `${color}14`, border: `1px solid ${color}66`, borderLeft: `5px solid ${color}` }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        <Typography.Text strong ellipsis style={{ maxWidth: '70%' }} className={tile.title && tile.title !== tile.name ? undefined : 'vigil-mono'}>
          {tile.title || tile.name}
        </Typography.Text>
        {tile.title && tile.title !== tile.name && (
          <Typography.Text type="secondary" className="vigil-mono">
            {tile.name}
          </Typography.Text>
        )}
      </div>
      <div style={{ marginTop: 6, display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <Tooltip title={tile.kind === 'sys' ? t('codes.systemSuccess') : t('services.success')}>
          <span className="vigil-num" style={{ fontSize: 20, fontWeight: 600, color: rateColor(rate, 0.99) }}>
            {fmtRate(rate)}
          </span>
        </Tooltip>
        <Typography.Text type="secondary" className="vigil-num">
          {t('overview.tileCount', { n: fmtCount(tile.count) })}
        </Typography.Text>
      </div>
      <div style={{ marginTop: 4, color, fontSize: 12 }}>
        {tile.firing > 0 ? t('overview.tileFiring', { count: tile.firing }) : t('overview.tileOk')}
      </div>
    </div>
  );
}

function TileGrid({ tiles, testId, onClick }: { tiles: OverviewTile[]; testId: string; onClick: (t: OverviewTile) => void }) {
  if (tiles.length === 0) return <NoData />;
  return (
    <Row gutter={[12, 12]} data-testid={testId}>
      {tiles.map((tile) => (
        <Col key={tile.name} xs={12} md={8} lg={6} xxl={4}>
          <Tile tile={tile} onClick={() => onClick(tile)} />
        </Col>
      ))}
    </Row>
  );
}

function ingestChart(o: OverviewData, label: string): ChartOption {
  const rows = o.ingest.per_minute ?? [];
  const open = openMinuteIndex(rows, o.now_ms);
  return {
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((r) => fmtMinute(r.minute_ms)), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1 },
    // The minute still open is drawn faint: its count is not a drop, it is not over yet.
    series: [
      {
        type: 'bar',
        name: label,
        data: rows.map((r, i) => (i === open ? { value: r.count, itemStyle: { opacity: 0.35 } } : r.count)),
        itemStyle: { color: '#4096ff' },
      },
    ],
  };
}

export default function Overview() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const stats = useLiveStats();
  const firing = useFiringAlerts();
  const q = usePolling(
    async (signal) => {
      const o = await api.overview({}, signal);
      noteServerNow(o.now_ms);
      return o;
    },
    [],
    15_000,
  );
  // A change in the firing alerts recolours the tiles at once.
  const alertsKey = useMemo(
    () => (firing.alerts ?? []).map((a) => `${a.fingerprint}:${a.suppressed}`).join(','),
    [firing.alerts],
  );
  const { reload } = q;
  const seenAlerts = useRef<string | null>(null);
  useEffect(() => {
    if (firing.alerts === undefined) return;
    if (seenAlerts.current !== null && seenAlerts.current !== alertsKey) reload();
    seenAlerts.current = alertsKey;
  }, [alertsKey, firing.alerts, reload]);

  const o = q.data;
  const chart = useMemo(() => (o ? ingestChart(o, t('overview.recordsPerMinute')) : null), [o, t]);
  const rate = stats?.records_per_s ?? o?.ingest.records_per_s;
  const lag = stats?.lag_ms ?? o?.ingest.lag_ms;

  return (
    <div data-testid="page-overview">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.overview')}
      </Typography.Title>
      {q.error && <LoadError error={q.error} onRetry={q.reload} />}
      {!o && q.loading && <Loading />}
      {o && (
        <>
          <Row gutter={[12, 12]}>
            {(['critical', 'warning', 'info'] as const).map((s) => (
              <Col key={s} xs={12} md={8} xl={4}>
                <Card size="small" hoverable onClick={() => navigate(`/alerts?severity=${s}`)}>
                  <Statistic
                    title={t(`severity.${s}`)}
                    value={o.alerts[s]}
                    valueStyle={{ color: o.alerts[s] > 0 ? severityColor(s) : undefined }}
                    valueRender={(node) => <span data-testid={`overview-firing-${s}`}>{node}</span>}
                  />
                </Card>
              </Col>
            ))}
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic
                  title={t('overview.suppressed')}
                  value={o.alerts.suppressed}
                  valueRender={(node) => <span data-testid="overview-suppressed">{node}</span>}
                />
              </Card>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic
                  title={t('overview.ingestRate')}
                  value={rate ?? 0}
                  formatter={(v) => fmtCount(Number(v))}
                  suffix={t('overview.perSecond')}
                  valueRender={(node) => <span data-testid="overview-ingest-rate">{node}</span>}
                />
              </Card>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic
                  title={t('overview.evalLag')}
                  value={fmtMs(lag)}
                  valueStyle={{ color: (lag ?? 0) > 120_000 ? '#cf1322' : undefined }}
                  valueRender={(node) => <span data-testid="overview-eval-lag">{node}</span>}
                />
              </Card>
            </Col>
          </Row>

          <Card size="small" title={t('overview.systems')} style={{ marginTop: 16 }}>
            <TileGrid
              tiles={o.systems}
              testId="overview-systems"
              onClick={(tile) => navigate(codesFor({ sys: tile.name }))}
            />
          </Card>
          <Card size="small" title={t('overview.services')} style={{ marginTop: 16 }}>
            <TileGrid
              tiles={o.services}
              testId="overview-services"
              onClick={(tile) => navigate(servicesFor(tile.name))}
            />
          </Card>

          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} xl={14}>
              <Card
                size="small"
                title={t('overview.firingAlerts', { count: firing.alerts?.length ?? o.alerts.firing })}
                extra={<a onClick={() => navigate('/alerts')}>{t('common.all')}</a>}
              >
                {firing.error && <LoadError error={firing.error} onRetry={firing.reload} />}
                {firing.alerts ? <FiringList alerts={firing.alerts} testId="overview-firing-list" /> : <Loading />}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card
                size="small"
                title={t('overview.ingestLastHour')}
                extra={
                  <Typography.Text type="secondary" className="vigil-num">
                    {t('overview.totals', {
                      total: fmtCount(o.ingest.records_total),
                      rejected: fmtCount(o.ingest.rejected_total),
                    })}
                  </Typography.Text>
                }
              >
                {chart && <Chart option={chart} height={240} testId="overview-ingest-chart" />}
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
