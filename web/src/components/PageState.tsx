// Loading, error and empty states: an API error is shown as a message with a retry, never a
// blank page.
import { Alert, Button, Empty, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';

export function LoadError({ error, onRetry, testId = 'load-error' }: { error: Error; onRetry?: () => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      message={t('common.loadFailed')}
      description={error.message}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}

export function Loading({ tip }: { tip?: string }) {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} data-testid="loading">
      <Spin tip={tip ?? t('common.loading')}>
        <div style={{ width: 120, height: 40 }} />
      </Spin>
    </div>
  );
}

export function NoData({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={children ?? t('common.noData')} />;
}

// Shows `children` once data is there; the error above it when the last load failed (old
// data stays visible below the error).
export function QueryView<T>({
  q,
  children,
}: {
  q: { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void };
  children: (data: T) => ReactNode;
}) {
  return (
    <>
      {q.error && <LoadError error={q.error} onRetry={q.reload} />}
      {q.data !== undefined ? children(q.data) : q.loading ? <Loading /> : null}
    </>
  );
}
