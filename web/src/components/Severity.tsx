// Severity tags and colours shared by tiles, tables and alert lists.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const SEVERITY_ORDER = ['critical', 'warning', 'info'] as const;

export function severityColor(s: string | null | undefined): string {
  switch (s) {
    case 'critical':
      return '#cf1322';
    case 'warning':
      return '#d48806';
    case 'info':
      return '#1677ff';
    default:
      return '#389e0d';
  }
}

export function severityRank(s: string | null | undefined): number {
  const i = SEVERITY_ORDER.indexOf((s ?? '') as (typeof SEVERITY_ORDER)[number]);
  return i < 0 ? SEVERITY_ORDER.length : i;
}

export function SeverityTag({ severity }: { severity: string | null | undefined }) {
  const { t } = useTranslation();
  if (!severity) return null;
  const label = (SEVERITY_ORDER as readonly string[]).includes(severity)
    ? t(`severity.${severity as (typeof SEVERITY_ORDER)[number]}`)
    : severity;
  const color = severity === 'critical' ? 'red' : severity === 'warning' ? 'orange' : 'blue';
  return <Tag color={color}>{label}</Tag>;
}
