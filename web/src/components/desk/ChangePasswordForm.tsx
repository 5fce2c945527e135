// The change-password form: shown after a login whose password was set by someone else
// (must_change_password), and from the user menu.
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { changePassword } from '../../desk/session';
import { useDeskT } from '../../desk/hooks';

interface Values {
  current: string;
  next: string;
  repeat: string;
}

export default function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const t = useDeskT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await changePassword(v.current, v.next);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form layout="vertical" onFinish={submit} data-testid="change-password-form">
      {error && <Alert type="error" showIcon message={error} data-testid="change-password-error" style={{ marginBottom: 12 }} />}
      <Form.Item name="current" label={t('login.current')} rules={[{ required: true }]}>
        <Input.Password data-testid="password-current" autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="next" label={t('login.next')} rules={[{ required: true, min: 10 }]}>
        <Input.Password data-testid="password-new" autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="repeat"
        label={t('login.repeat')}
        dependencies={['next']}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || getFieldValue('next') === value ? Promise.resolve() : Promise.reject(new Error(t('login.mismatch'))),
          }),
        ]}
      >
        <Input.Password data-testid="password-repeat" autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block data-testid="password-save">
        {t('login.change')}
      </Button>
    </Form>
  );
}
