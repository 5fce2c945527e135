// The MSS login: user name and password; a 429 says how long to wait; a password set by someone
// else is changed here first.
import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useState } from 'react';
import { useDeskT } from '../../desk/hooks';
import { account, changePassword, login } from '../../desk/session';
import type { ApiError } from '../../lib/api';

export default function MssLogin() {
  const t = useDeskT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mustChange, setMustChange] = useState(!!account()?.must_change_password);
  const submit = async (v: Record<string, string>) => {
    setBusy(true);
    setError(null);
    try {
      if (mustChange) {
        if (v.next !== v.repeat) throw new Error(t('login.mismatch'));
        await changePassword(v.current, v.next);
      } else {
        const a = await login(v.user, v.password);
        setMustChange(a.must_change_password);
      }
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
    <div data-testid="mss-login">
      {error && <NoticeBar content={error} color="error" data-testid="mss-login-error" wrap />}
      <Form layout="horizontal" onFinish={submit} key={mustChange ? 'change' : 'login'}
        footer={<Button block type="submit" color="primary" size="large" loading={busy} data-testid="mss-login-submit">
          {mustChange ? t('login.change') : t('login.submit')}
        </Button>}>
        {mustChange ? (
          <>
            <Form.Header>{t('login.mustChange')}</Form.Header>
            <Form.Item name="current" label={t('login.current')} rules={[{ required: true }]}><Input type="password" data-testid="mss-password-current" /></Form.Item>
            <Form.Item name="next" label={t('login.next')} rules={[{ required: true, min: 10 }]}><Input type="password" data-testid="mss-password-new" /></Form.Item>
            <Form.Item name="repeat" label={t('login.repeat')} rules={[{ required: true }]}><Input type="password" data-testid="mss-password-repeat" /></Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="user" label={t('login.user')} rules={[{ required: true, message: t('login.required', { field: t('login.user') }) }]}>
              <Input autoComplete="username" data-testid="mss-login-user" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}>
              <Input type="password" autoComplete="current-password" data-testid="mss-login-password" />
            </Form.Item>
          </>
        )}
      </Form>
    </div>
  );
}
