// The time range of a page: the last N minutes of the server's clock.
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';

export const RANGES = [15, 60, 360, 1440] as const;
export type RangeMinutes = (typeof RANGES)[number];

export default function RangeSelect({
  value,
  onChange,
  options = RANGES,
}: {
  value: number;
  onChange: (m: RangeMinutes) => void;
  options?: readonly RangeMinutes[];
}) {
  const { t } = useTranslation();
  const label = (m: number) => (m < 60 ? t('range.minutes', { count: m }) : t('range.hours', { count: m / 60 }));
  return (
    <Segmented
      data-testid="range-select"
      value={value}
      onChange={(v) => onChange(v as RangeMinutes)}
      options={options.map((m) => ({ value: m, label: label(m) }))}
    />
  );
}
