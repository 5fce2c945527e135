// A page that throws while rendering shows the error and a way back, not a blank screen; moving
// to another page clears it.
import { Button, Result } from 'antd';
import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';

class Boundary extends Component<
  { children: ReactNode; fallback: (e: Error, reset: () => void) => ReactNode },
  { error: Error | null }
> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    // Kept for the developer tools; the user sees the message on the page.
    console.warn('page error', error, info.componentStack);
  }

  render() {
    if (this.state.error) return this.props.fallback(this.state.error, () => this.setState({ error: null }));
    return this.props.children;
  }
}

export default function ErrorBoundary({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Boundary
      key={location.pathname}
      fallback={(error, reset) => (
        <Result
          status="error"
          title={t('common.pageFailed')}
          subTitle={error.message}
          data-testid="page-error"
          extra={<Button onClick={reset}>{t('common.retry')}</Button>}
        />
      )}
    >
      {children}
    </Boundary>
  );
}
