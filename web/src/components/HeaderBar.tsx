// The header: live status (stream connected / reconnecting, the server's time, ingest rate),
// the API token setting and the language switch.
import { KeyOutlined } from '@ant-design/icons';
import { Badge, Button, Layout, Segmented, Space, Tooltip, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveStats, useStreamStatus } from '../hooks/stream';
import { currentLang, setLang } from '../i18n';
import type { Lang } from '../i18n';
import { displayTimezone, fmtCount, fmtMs, fmtTime } from '../lib/format';
import TokenModal from './TokenModal';

// The desk's account corner, loaded apart so the monitoring pages' first load does not grow.
const UserMenu = lazy(() => import('./desk/UserMenu'));

export default function HeaderBar() {
  const { t } = useTranslation();
  const stats = useLiveStats();
  const status = useStreamStatus();
  const [tokenOpen, setTokenOpen] = useState(false);
  const connected = status === 'open';
  return (
    <Layout.Header
      style={{
        background: '#fff',
        padding: '0 20px',
        display: 'flex',
        alignItems: 'center',
        gap: 24,
        borderBottom: '1px solid #f0f0f0',
        height: 56,
        lineHeight: '56px',
      }}
    >
      <Typography.Text strong style={{ fontSize: 16 }}>
        {t('app.title')}
      </Typography.Text>
      <div style={{ flex: 1 }} />
      <Space size={20}>
        <span className="vigil-header-item" data-testid="live-status" data-status={status}>
          <Badge status={connected ? 'success' : 'processing'} color={connected ? undefined : 'orange'} />
          {connected ? t('header.live') : status === 'connecting' ? t('header.connecting') : t('header.reconnecting')}
        </span>
        <Tooltip title={t('header.serverTime', { tz: displayTimezone() ?? '' })}>
          <span className="vigil-header-item vigil-num" data-testid="server-time">
            {stats ? fmtTime(stats.now_ms) : '—'}
          </span>
        </Tooltip>
        <Tooltip title={t('header.lag', { lag: stats ? fmtMs(stats.lag_ms) : '—' })}>
          <span className="vigil-header-item vigil-num" data-testid="header-ingest-rate">
            {t('header.ingest', { rate: stats ? fmtCount(stats.records_per_s) : '—' })}
          </span>
        </Tooltip>
        <Tooltip title={t('token.title')}>
          <Button icon={<KeyOutlined />} onClick={() => setTokenOpen(true)} data-testid="token-button" />
        </Tooltip>
        <Suspense fallback={null}>
          <UserMenu />
        </Suspense>
        <Segmented
          data-testid="lang-switch"
          value={currentLang()}
          onChange={(v) => setLang(v as Lang)}
          options={[
            { value: 'zh', label: '中文' },
            { value: 'en', label: 'EN' },
          ]}
        />
      </Space>
      <TokenModal open={tokenOpen} onClose={() => setTokenOpen(false)} />
    </Layout.Header>
  );
}
