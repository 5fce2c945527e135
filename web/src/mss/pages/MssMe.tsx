// /m/me: the reporter's own account on the phone — who is logged in, their e-mail address (set,
// changed or removed with PATCH /api/v1/auth/me; replies and resolutions of their reports are
// also mailed there), and logging out. The server checks the address and its message is shown.
import { Button, Card, Input, List, NoticeBar, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useAccount, useDeskT } from '../../desk/hooks';
import { logout, refreshAccount, updateMyEmail } from '../../desk/session';

export default function MssMe() {
  const t = useDeskT();
  const { account } = useAccount();
  const [email, setEmail] = useState(account?.email ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setEmail(account?.email ?? ''), [account?.email]);
  useEffect(() => void refreshAccount().catch(() => undefined), []);
  if (!account) return null;
  const save = async () => {
    setBusy(true);
    try {
      await updateMyEmail(email.trim());
      setError(null);
      Toast.show({ content: t('me.saved') });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="mss-me">
      {error && <NoticeBar content={error} color="error" wrap data-testid="mss-me-error" />}
      <List header={t('me.account')}>
        <List.Item extra={<span data-testid="mss-me-user">{account.user}</span>}>{t('me.user')}</List.Item>
        <List.Item extra={<span data-testid="mss-me-current">{account.email || t('me.noEmail')}</span>}>{t('me.email')}</List.Item>
      </List>
      <Card title={t('me.setEmail')} style={{ margin: 12 }}>
        <Input type="email" value={email} onChange={setEmail} placeholder="name@bank.example" clearable data-testid="mss-me-email" />
        <div style={{ color: '#666', fontSize: 13, margin: '8px 0 12px' }} data-testid="mss-me-explain">{t('me.explain')}</div>
        <Button block color="primary" loading={busy} onClick={() => void save()} data-testid="mss-me-save">{t('me.save')}</Button>
      </Card>
      <div style={{ padding: 12 }}>
        <Button block onClick={() => void logout(false)} data-testid="mss-me-logout">{t('login.logout')}</Button>
      </div>
    </div>
  );
}
