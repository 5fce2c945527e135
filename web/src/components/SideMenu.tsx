// The side menu: the eight pages, with the number of firing alerts beside 告警.
import {
  AlertOutlined,
  CustomerServiceOutlined,
  ImportOutlined,
  NotificationOutlined,
  TeamOutlined,
  ToolOutlined,
  ApartmentOutlined,
  BellOutlined,
  DashboardOutlined,
  ExceptionOutlined,
  FieldTimeOutlined,
  PercentageOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { Badge, Layout, Menu } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useAccount, useDeskT } from '../desk/hooks';
import { useLiveAlerts } from '../hooks/stream';

export const PAGES = [
  { path: '/', key: 'overview', icon: <DashboardOutlined /> },
  { path: '/codes', key: 'codes', icon: <PercentageOutlined /> },
  { path: '/records', key: 'records', icon: <FieldTimeOutlined /> },
  { path: '/abnormal', key: 'abnormal', icon: <ExceptionOutlined /> },
  { path: '/services', key: 'services', icon: <ApartmentOutlined /> },
  { path: '/alerts', key: 'alerts', icon: <AlertOutlined /> },
  { path: '/silences', key: 'silences', icon: <BellOutlined /> },
  { path: '/config', key: 'config', icon: <SettingOutlined /> },
] as const;

// The incident desk's back office (its own group; the admin's pages only for admins).
const DESK_PAGES = [
  { path: '/desk', key: 'queue', icon: <CustomerServiceOutlined />, admin: false },
  { path: '/desk/notifications', key: 'notifications', icon: <NotificationOutlined />, admin: false },
  { path: '/desk/settings', key: 'settings', icon: <ToolOutlined />, admin: true },
  { path: '/desk/import', key: 'import', icon: <ImportOutlined />, admin: true },
  { path: '/desk/users', key: 'users', icon: <TeamOutlined />, admin: true },
] as const;

export default function SideMenu() {
  const { t } = useTranslation();
  const location = useLocation();
  const alerts = useLiveAlerts();
  const firing = alerts?.filter((a) => a.state === 'firing' && !a.suppressed).length ?? 0;
  const first = '/' + (location.pathname.split('/')[1] ?? '');
  const dt = useDeskT();
  const { account } = useAccount();
  const desk = DESK_PAGES.filter((p) => !p.admin || account?.role === 'admin');
  const deskSelected = [...desk].reverse().find((p) => location.pathname.startsWith(p.path));
  const selected = deskSelected ? `desk-${deskSelected.key}` : PAGES.find((p) => p.path === first)?.key ?? 'overview';
  return (
    <Layout.Sider width={200} breakpoint="lg" collapsedWidth={56} theme="dark" data-testid="side-menu">
      <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '16px 20px', letterSpacing: 1 }}>
        vigil
      </div>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={[selected]}
        items={PAGES.map((p) => ({
          key: p.key,
          icon: p.icon,
          label: (
            <Link to={p.path} data-testid={`nav-${p.key}`}>
              {t(`nav.${p.key}`)}
              {p.key === 'alerts' && firing > 0 && (
                <Badge count={firing} size="small" style={{ marginLeft: 8 }} data-testid="nav-alerts-count" />
              )}
            </Link>
          ),
        })).concat([
          {
            type: 'group',
            key: 'desk',
            label: dt('nav.desk'),
            children: desk.map((p) => ({
              key: `desk-${p.key}`,
              icon: p.icon,
              label: (
                <Link to={p.path} data-testid={`nav-desk-${p.key}`}>
                  {dt(`nav.${p.key}`)}
                </Link>
              ),
            })),
          } as never,
        ])}
      />
    </Layout.Sider>
  );
}
