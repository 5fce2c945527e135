// The header's account corner: "log in" without a session; with one, the bell and the user's
// name with log out, log out everywhere and change password.
import { UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Modal, Space } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useAccount, useDeskT } from '../../desk/hooks';
import { logout } from '../../desk/session';
import ChangePasswordForm from './ChangePasswordForm';
import NotificationBell from './NotificationBell';

export default function UserMenu() {
  const t = useDeskT();
  const { account } = useAccount();
  const navigate = useNavigate();
  const location = useLocation();
  const [changing, setChanging] = useState(false);
  if (!account || account.must_change_password) {
    if (location.pathname === '/login') return null;
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <Link to={`/login?next=${next}`} data-testid="login-link">
        {t('login.login')}
      </Link>
    );
  }
  const out = (everywhere: boolean) => void logout(everywhere).finally(() => navigate('/login'));
  return (
    <Space size={12}>
      <NotificationBell />
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'password', label: <span data-testid="menu-password">{t('login.change')}</span>, onClick: () => setChanging(true) },
            { key: 'logout', label: <span data-testid="logout">{t('login.logout')}</span>, onClick: () => out(false) },
            { key: 'all', label: <span data-testid="logout-all">{t('login.logoutAll')}</span>, onClick: () => out(true) },
          ],
        }}
      >
        <Button icon={<UserOutlined />} data-testid="user-menu" data-user={account.user}>
          {account.user}
        </Button>
      </Dropdown>
      <Modal open={changing} title={t('login.change')} footer={null} onCancel={() => setChanging(false)} destroyOnHidden>
        <ChangePasswordForm onDone={() => setChanging(false)} />
      </Modal>
    </Space>
  );
}
