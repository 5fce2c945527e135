// A code's resolved parameters (the contract's names) and which rules are on and off.
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useServerConfig } from '../hooks/serverConfig';
import { fmtDuration, fmtRate } from '../lib/format';
import { RULES } from '../lib/rules';
import type { SeriesAnswer } from '../lib/types';

// How each parameter reads: durations as 5m, rates as 99.00%, pairs as [0.8, 1.2].
export function fmtParam(name: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number' && name === 'timeout_ms') return `${v} ms`;
  if (typeof v === 'number' && name.endsWith('_ms')) return fmtDuration(v);
  if (typeof v === 'number' && name.endsWith('success_min')) return fmtRate(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export default function CodeParamsCard({ txn, fallback }: { txn: string; fallback?: SeriesAnswer['params'] }) {
  const { t } = useTranslation();
  const { codes, loading } = useServerConfig('later');
  const code = codes.get(txn);
  const params: Record<string, unknown> | undefined = code?.params ?? fallback;
  const inContractOrder = (rules: string[]) =>
    [...rules].sort((a, b) => (RULES as readonly string[]).indexOf(a) - (RULES as readonly string[]).indexOf(b));
  const off = new Set(inContractOrder(code?.rules_off ?? fallback?.off ?? []));
  const on = inContractOrder(code?.rules_on ?? RULES.filter((r) => !off.has(r)));
  return (
    <Card size="small" title={t('code.paramsTitle')} data-testid="code-params">
      {!code && !loading && <Typography.Paragraph type="secondary">{t('code.unconfiguredHint')}</Typography.Paragraph>}
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text strong>{t('code.rulesOn')}</Typography.Text>
        {on.map((r) => (
          <Tag key={r} color="green" data-testid={`rule-on-${r}`}>
            {t(`rules.${r}` as const, { defaultValue: r })}
          </Tag>
        ))}
        {off.size > 0 && <Typography.Text strong>{t('code.rulesOff')}</Typography.Text>}
        {[...off].map((r) => (
          <Tag key={r} data-testid={`rule-off-${r}`}>
            {t(`rules.${r}` as const, { defaultValue: r })}
          </Tag>
        ))}
      </Space>
      {params && (
        <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }}>
          {Object.entries(params)
            .filter(([k]) => k !== 'off')
            .map(([k, v]) => (
              <Descriptions.Item key={k} label={<span className="vigil-mono">{k}</span>}>
                <span className="vigil-num">{fmtParam(k, v)}</span>
              </Descriptions.Item>
            ))}
        </Descriptions>
      )}
    </Card>
  );
}
