// /login: user name and password → POST /api/v1/auth/login. A 401 says "wrong user name or
// password", a 429 how long to wait (Retry-After); a password someone else set must be changed
// first. Afterwards the page goes back where it came from (`?next=`), or to the queue.
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import ChangePasswordForm from '../../components/desk/ChangePasswordForm';
import { useDeskT } from '../../desk/hooks';
import { login } from '../../desk/session';
import type { ApiError } from '../../lib/api';

// Only paths of this site: `next` comes from the address bar.
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/desk';
}

export default function Login() {
  const t = useDeskT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mustChange, setMustChange] = useState(false);
  const next = safeNext(params.get('next'));

  const submit = async (v: { user: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const a = await login(v.user, v.password);
      if (a.must_change_password) setMustChange(true);
      else navigate(next, { replace: true });
    } catch (e) {
      const err = e as ApiError & { retryAfter?: number };
      if (err.status === 429) setError(t('login.throttled', { s: err.retryAfter ?? '?' }));
      else if (err.status === 401) setError(t('login.wrong'));
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 40 }} data-testid="page-login">
      <Card title={mustChange ? t('login.mustChange') : t('login.title')} style={{ width: 380 }}>
        {mustChange ? (
          <ChangePasswordForm onDone={() => navigate(next, { replace: true })} />
        ) : (
          <Form layout="vertical" onFinish={submit} data-testid="login-form">
            {error && <Alert type="error" showIcon message={error} data-testid="login-error" style={{ marginBottom: 12 }} />}
            <Form.Item name="user" label={t('login.user')} rules={[{ required: true, message: t('login.required', { field: t('login.user') }) }]}>
              <Input data-testid="login-user" autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}>
              <Input.Password data-testid="login-password" autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
