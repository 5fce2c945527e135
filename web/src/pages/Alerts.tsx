// 告警: the firing alerts (acknowledge, silence with prefilled matchers, links to the code and
// its abnormal records) and the history of alert events, both with filters.
import { Card, Input, Select, Space, Switch, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { alertSummary } from '../lib/alertSummary';
import { useSearchParams } from 'react-router-dom';
import AckModal from '../components/AckModal';
import AlertHistory from '../components/AlertHistory';
import DebouncedInput from '../components/DebouncedInput';
import FiringTable from '../components/FiringTable';
import { LoadError } from '../components/PageState';
import SilenceModal from '../components/SilenceModal';
import type { SilenceTarget } from '../components/SilenceModal';
import { useFiringAlerts } from '../hooks/useFiringAlerts';
import { fmtKey } from '../lib/format';
import { RULES } from '../lib/rules';
import type { AlertRow } from '../lib/types';

export default function Alerts() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'history' ? 'history' : 'firing';
  const severity = params.get('severity') ?? '';
  const rule = params.get('rule') ?? '';
  const txn = params.get('txn') ?? '';
  const svc = params.get('svc_sys') ?? '';
  const [needle, setNeedle] = useState('');
  const [showSuppressed, setShowSuppressed] = useState(true);
  const [ackAlert, setAckAlert] = useState<AlertRow | null>(null);
  const [silence, setSilence] = useState<SilenceTarget | null>(null);
  const firing = useFiringAlerts();

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  const rows = useMemo(() => {
    const n = needle.trim().toLowerCase();
    return (firing.alerts ?? []).filter((a) => {
      const labels = { ...a.key, ...a.labels };
      return (
        (!severity || a.severity === severity) &&
        (!rule || a.rule === rule) &&
        (!txn || labels.txn === txn) &&
        (!svc || labels.svc_sys === svc) &&
        (showSuppressed || !a.suppressed) &&
        (!n ||
          fmtKey(a.key).toLowerCase().includes(n) ||
          (a.labels?.name ?? '').toLowerCase().includes(n) ||
          (a.event?.summary ?? '').toLowerCase().includes(n) ||
          alertSummary(a.event, t, a.labels?.name).toLowerCase().includes(n))
      );
    });
  }, [firing.alerts, severity, rule, txn, svc, showSuppressed, needle, t]);

  const filters = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Select
        allowClear
        data-testid="alerts-filter-severity"
        placeholder={t('alerts.severity')}
        value={severity || undefined}
        onChange={(v) => setParam('severity', v ?? '')}
        style={{ width: 130 }}
        options={(['critical', 'warning', 'info'] as const).map((s) => ({ value: s, label: t(`severity.${s}`) }))}
      />
      <Select
        allowClear
        data-testid="alerts-filter-rule"
        placeholder={t('alerts.rule')}
        value={rule || undefined}
        onChange={(v) => setParam('rule', v ?? '')}
        style={{ width: 170 }}
        options={RULES.map((r) => ({ value: r, label: t(`rules.${r}`) }))}
      />
      <DebouncedInput
        allowClear
        data-testid="alerts-filter-txn"
        placeholder={t('records.filter.txn')}
        value={txn}
        onCommit={(v) => setParam('txn', v)}
        style={{ width: 130 }}
      />
      {tab === 'firing' && (
        <>
          <DebouncedInput
            allowClear
            placeholder={t('records.filter.svc_sys')}
            value={svc}
            onCommit={(v) => setParam('svc_sys', v)}
            style={{ width: 130 }}
          />
          <Input.Search
            allowClear
            data-testid="alerts-search"
            placeholder={t('alerts.search')}
            value={needle}
            onChange={(e) => setNeedle(e.target.value)}
            style={{ width: 220 }}
          />
          <Space>
            <Switch size="small" checked={showSuppressed} onChange={setShowSuppressed} data-testid="alerts-show-suppressed" />
            {t('alerts.showSuppressed')}
          </Space>
        </>
      )}
    </Space>
  );

  return (
    <div data-testid="page-alerts">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('nav.alerts')}
      </Typography.Title>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParam('tab', k === 'history' ? 'history' : '')}
          items={[
            {
              key: 'firing',
              label: <span data-testid="alerts-tab-firing">{t('alerts.firingTab', { count: firing.alerts?.length ?? 0 })}</span>,
              children: (
                <>
                  {filters}
                  {firing.error && <LoadError error={firing.error} onRetry={firing.reload} />}
                  <FiringTable
                    rows={rows}
                    loading={!firing.alerts && !firing.error}
                    onAck={setAckAlert}
                    onSilence={(a) => setSilence({ alert: a })}
                    onChanged={firing.reload}
                  />
                </>
              ),
            },
            {
              key: 'history',
              label: <span data-testid="alerts-tab-history">{t('alerts.historyTab')}</span>,
              children: (
                <>
                  {filters}
                  <AlertHistory rule={rule} txn={txn} severity={severity} />
                </>
              ),
            },
          ]}
        />
      </Card>
      <AckModal alert={ackAlert} onClose={() => setAckAlert(null)} onDone={firing.reload} />
      <SilenceModal target={silence} onClose={() => setSilence(null)} onSaved={firing.reload} />
    </div>
  );
}
