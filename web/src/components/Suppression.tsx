// Why a firing alert is muted: silenced (by which silences) or inhibited (by which firing
// alert, named by its rule and key when it is in `alerts`, else by its fingerprint).
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLiveAlerts } from '../hooks/stream';
import { fmtKey } from '../lib/format';
import { isRule } from '../lib/rules';
import type { AlertRow } from '../lib/types';

// The inhibiting alert's name, looked for in `alerts` and in the stream's firing alerts (a
// code's page lists only its own; the alert holding them back is often another's).
export function useInhibitorName(alerts: AlertRow[] | null | undefined) {
  const { t } = useTranslation();
  const live = useLiveAlerts();
  return (fingerprint: string) => {
    const a = alerts?.find((x) => x.fingerprint === fingerprint) ?? live?.find((x) => x.fingerprint === fingerprint);
    if (!a) return fingerprint.slice(0, 12);
    return `${isRule(a.rule) ? t(`rules.${a.rule}`) : a.rule} ${fmtKey(a.key)}`;
  };
}

export default function Suppression({ alert, alerts, compact }: { alert: AlertRow; alerts?: AlertRow[] | null; compact?: boolean }) {
  const { t } = useTranslation();
  const inhibitor = useInhibitorName(alerts);
  const silences = alert.silenced_by ?? [];
  const inhibitors = alert.inhibited_by ?? [];
  if (!alert.suppressed) return null;
  const silenced = silences.length > 0;
  const inhibitedText = inhibitors.map((f) => t('alerts.inhibitedByAlert', { alert: inhibitor(f) })).join('; ');
  return (
    <Space direction={compact ? 'horizontal' : 'vertical'} size={2} data-testid="alert-suppressed">
      {silenced && (
        <Tooltip title={silences.map((id) => t('alerts.silencedBy', { id })).join('; ')}>
          <Tag data-testid="alert-silenced">{t('alerts.silenced')}</Tag>
        </Tooltip>
      )}
      {inhibitors.length > 0 && (
        <>
          <Tag color="purple" data-testid="alert-inhibited">
            {t('alerts.inhibited')}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="alert-inhibited-by">
            {inhibitedText}
          </Typography.Text>
        </>
      )}
    </Space>
  );
}
