// An inline SVG sparkline of minute counts: cheap enough for thousands of table rows.
import { memo } from 'react';

function Sparkline({ values, width = 120, height = 24, color = '#1677ff' }: {
  values: number[] | undefined;
  width?: number;
  height?: number;
  color?: string;
}) {
  if (!values || values.length < 2) return <span style={{ display: 'inline-block', width, height }} />;
  const max = Math.max(1, ...values);
  const step = width / (values.length - 1);
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`)
    .join(' ');
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polyline points={`0,${height} ${points} ${width},${height}`} fill={color} fillOpacity={0.12} stroke="none" />
      <polyline points={points} fill="none" stroke={color} strokeWidth={1.2} />
    </svg>
  );
}

export default memo(Sparkline);
