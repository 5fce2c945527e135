// A success rate as 99.52%, coloured against its minimum: red below it, amber in the lower half
// of the margin above it, green otherwise.
import { Typography } from 'antd';
import { fmtRate } from '../lib/format';

export function rateColor(rate: number | null | undefined, min: number | null | undefined): string | undefined {
  if (rate === null || rate === undefined || min === null || min === undefined) return undefined;
  if (rate < min) return '#cf1322';
  if (rate < min + (1 - min) / 2) return '#d48806';
  return '#389e0d';
}

export default function Rate({ value, min, testId }: { value: number | null | undefined; min?: number | null; testId?: string }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span className="vigil-num" style={{ color: rateColor(value, min ?? null), fontWeight: 500 }} data-testid={testId}>
      {fmtRate(value)}
    </span>
  );
}
