// ECharts options of the code page: volume against its baseline band, hourly volume against
// the previous same-type days (交易量环比), success rates, return codes over time, latency.
import type { TFunction } from 'i18next';
import type { ChartOption } from './Chart';
import { fmtCount, fmtMinute, fmtRate } from '../lib/format';
import type { HourlyAnswer, ReturnsAnswer, SeriesAnswer } from '../lib/types';

type T = TFunction;

const GRID = { left: 56, right: 24, top: 36, bottom: 56 };
const ZOOM = [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }];

const MINUTE = 60_000;

// The index of the minute still open at `now` (its count incomplete), or -1.
export function openMinuteIndex(minutes: { minute_ms: number }[], now: number | undefined): number {
  if (now === undefined || minutes.length === 0) return -1;
  const last = minutes.length - 1;
  return minutes[last].minute_ms <= now && now < minutes[last].minute_ms + MINUTE ? last : -1;
}

export function volumeOption(s: SeriesAnswer, t: T): ChartOption {
  const x = s.minutes.map((m) => fmtMinute(m.minute_ms));
  const low = s.minutes.map((m) => (m.baseline_low ?? null));
  const band = s.minutes.map((m) =>
    m.baseline_low !== undefined && m.baseline_high !== undefined ? m.baseline_high - m.baseline_low : null,
  );
  // The open minute is not a drop: the volume line stops at the last whole minute, and the
  // open one is a hollow point marked partial (tooltip), not joined to the line.
  const open = openMinuteIndex(s.minutes, s.now_ms);
  const volume = s.minutes.map((m, i) => (i === open ? null : m.count));
  const partial = s.minutes.map((m, i) => (i === open ? m.count : null));
  return {
    grid: GRID,
    legend: { top: 0, data: [t('code.volume'), t('code.baseline'), t('code.band')] },
    tooltip: {
      trigger: 'axis',
      formatter: (items: { dataIndex: number }[]) => {
        const i = items[0]?.dataIndex ?? 0;
        const m = s.minutes[i];
        if (!m) return '';
        const count = `${t('code.volume')}: ${fmtCount(m.count)}${i === open ? ` (${t('code.partialMinute')})` : ''}`;
        const lines = [`${fmtMinute(m.minute_ms)}`, count];
        if (m.baseline !== null) {
          lines.push(`${t('code.baseline')}: ${fmtCount(m.baseline)}`);
          lines.push(`${t('code.band')}: ${fmtCount(m.baseline_low)} – ${fmtCount(m.baseline_high)}`);
        }
        return lines.join('<br/>');
      },
    },
    dataZoom: ZOOM,
    xAxis: { type: 'category', data: x, boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: 'low', type: 'line', data: low, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
      {
        name: t('code.band'),
        type: 'line',
        data: band,
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: 'rgba(82, 196, 26, 0.18)' },
        itemStyle: { color: 'rgba(82, 196, 26, 0.5)' },
        silent: true,
      },
      {
        name: t('code.baseline'),
        type: 'line',
        data: s.minutes.map((m) => m.baseline),
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 1, color: '#52c41a' },
        itemStyle: { color: '#52c41a' },
      },
      {
        name: t('code.volume'),
        type: 'line',
        data: volume,
        symbol: 'none',
        lineStyle: { width: 2, color: '#1677ff' },
        itemStyle: { color: '#1677ff' },
      },
      {
        name: t('code.partialMinute'),
        type: 'scatter',
        data: partial,
        symbol: 'emptyCircle',
        symbolSize: 7,
        itemStyle: { color: '#1677ff', opacity: 0.7 },
        silent: true,
      },
    ],
  };
}

export function hourlyOption(h: HourlyAnswer, t: T): ChartOption {
  const hours = Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}:00`);
  return {
    grid: { ...GRID, bottom: 28 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: hours },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('code.today', { date: h.date }), type: 'bar', data: h.today, itemStyle: { color: '#1677ff' } },
      {
        name: t('code.medianOfDays', { count: h.days.length }),
        type: 'bar',
        data: h.median,
        itemStyle: { color: '#b7b7b7' },
      },
      ...h.days.slice(0, 4).map((d) => ({
        name: d.date,
        type: 'line',
        data: d.counts,
        symbol: 'none',
        lineStyle: { width: 1, type: 'dotted' },
      })),
    ],
  };
}

export function successOption(s: SeriesAnswer, t: T): ChartOption {
  const marks = [{ yAxis: s.params.system_success_min, name: t('code.systemMin') }];
  if (s.params.business_success_min !== null) marks.push({ yAxis: s.params.business_success_min, name: t('code.businessMin') });
  const values = s.minutes.flatMap((m) => [m.system_success, m.business_success]).filter((v): v is number => v !== null);
  const lowest = Math.min(s.params.system_success_min, s.params.business_success_min ?? 1, ...values);
  return {
    grid: GRID,
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => fmtRate(v) },
    dataZoom: ZOOM,
    xAxis: { type: 'category', data: s.minutes.map((m) => fmtMinute(m.minute_ms)), boundaryGap: false },
    yAxis: {
      type: 'value',
      min: Math.max(0, Math.floor((lowest - 0.01) * 100) / 100),
      max: 1,
      axisLabel: { formatter: (v: number) => fmtRate(v, 1) },
    },
    series: [
      {
        name: t('codes.systemSuccess'),
        type: 'line',
        data: s.minutes.map((m) => m.system_success),
        symbol: 'none',
        connectNulls: false,
        markLine: {
          symbol: 'none',
          lineStyle: { color: '#cf1322', type: 'dashed' },
          label: { position: 'insideEndTop', formatter: (p: { value: number }) => fmtRate(p.value) },
          data: marks,
        },
      },
      {
        name: t('codes.businessSuccess'),
        type: 'line',
        data: s.minutes.map((m) => m.business_success),
        symbol: 'none',
      },
    ],
  };
}

const RET_COLORS = ['#cf1322', '#fa541c', '#fa8c16', '#faad14', '#d4380d', '#eb2f96', '#722ed1', '#2f54eb', '#13c2c2', '#a0d911', '#597ef7', '#9254de', '#8c8c8c'];

export function returnsOption(r: ReturnsAnswer, t: T): ChartOption {
  const names = r.returns.map((x) => x.ret);
  return {
    grid: GRID,
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    dataZoom: ZOOM,
    xAxis: { type: 'category', data: r.minutes.map((m) => fmtMinute(m.minute_ms)), boundaryGap: false },
    yAxis: [
      { type: 'value', minInterval: 1, name: t('code.failures') },
      { type: 'value', minInterval: 1, name: t('code.successes'), splitLine: { show: false } },
    ],
    series: [
      ...names.map((ret, i) => ({
        name: ret === 'other' ? t('code.otherRets') : ret,
        type: 'line',
        stack: 'fail',
        areaStyle: {},
        symbol: 'none',
        lineStyle: { width: 0.5 },
        color: RET_COLORS[i % RET_COLORS.length],
        data: r.minutes.map((m) => m.by_ret[ret] ?? 0),
      })),
      {
        name: t('code.successes'),
        type: 'line',
        yAxisIndex: 1,
        symbol: 'none',
        color: '#52c41a',
        lineStyle: { width: 1 },
        data: r.minutes.map((m) => m.success),
      },
    ],
  };
}

export function latencyOption(s: SeriesAnswer, t: T): ChartOption {
  return {
    grid: GRID,
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : `${fmtCount(v)} ms`) },
    dataZoom: ZOOM,
    xAxis: { type: 'category', data: s.minutes.map((m) => fmtMinute(m.minute_ms)), boundaryGap: false },
    yAxis: { type: 'value', name: 'ms' },
    series: [
      { name: 'p50', type: 'line', symbol: 'none', data: s.minutes.map((m) => m.p50_ms) },
      { name: 'p95', type: 'line', symbol: 'none', data: s.minutes.map((m) => m.p95_ms) },
      {
        name: 'p99',
        type: 'line',
        symbol: 'none',
        data: s.minutes.map((m) => m.p99_ms),
        markLine: {
          symbol: 'none',
          lineStyle: { color: '#cf1322', type: 'dashed' },
          label: { position: 'insideEndTop', formatter: () => t('code.timeoutLine', { ms: s.params.timeout_ms }) },
          data: [{ yAxis: s.params.timeout_ms }],
        },
      },
    ],
  };
}
