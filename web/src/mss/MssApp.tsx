// The MSS frame: the login until there is a session (and a password change when one is due),
// then the pages with a tab bar — report, my reports, notifications (with the unread count), me
// (the e-mail address, logging out).
import { Badge, ConfigProvider, NavBar, SafeArea, TabBar } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { AddCircleOutline, BellOutline, UnorderedListOutline, UserOutline } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { desk } from '../desk/api';
import { useAccount, useDeskT } from '../desk/hooks';
import { useDeskStream } from '../desk/useDeskStream';
import { currentLang, setLang } from '../i18n';
import { setDisplayTimezone } from '../lib/format';
import MssIncident from './pages/MssIncident';
import MssLogin from './pages/MssLogin';
import MssMe from './pages/MssMe';
import MssNotifications from './pages/MssNotifications';
import MssReport from './pages/MssReport';
import MyReports from './pages/MyReports';

function useUnread(enabled: boolean): number {
  const [unread, setUnread] = useState(0);
  const refresh = () => {
    if (enabled) desk.notifications(true).then((n) => setUnread(n.unread), () => undefined);
  };
  useEffect(refresh, [enabled]);
  useDeskStream(enabled, { onNotification: (_n, u) => setUnread(u), onReconnect: refresh });
  return unread;
}

export default function MssApp() {
  const t = useDeskT();
  const { i18n } = useTranslation();
  const { account, loaded } = useAccount();
  const location = useLocation();
  const navigate = useNavigate();
  const loggedIn = !!account && !account.must_change_password;
  const unread = useUnread(loggedIn);
  // Times in the desk's time zone (the monitoring calendar's), not the phone's.
  useEffect(() => {
    if (loggedIn) desk.meta().then((m) => setDisplayTimezone(m.time_zone), () => undefined);
  }, [loggedIn]);
  const tabs = [
    { key: '/', title: t('mss.report'), icon: <AddCircleOutline /> },
    { key: '/mine', title: t('mss.mine'), icon: <UnorderedListOutline /> },
    { key: '/notifications', title: t('mss.notifications'), icon: <Badge content={unread || null}><BellOutline /></Badge> },
    { key: '/me', title: t('mss.me'), icon: <UserOutline /> },
  ];
  const lang = (
    <span onClick={() => setLang(currentLang() === 'zh' ? 'en' : 'zh')} data-testid="mss-lang">{t('mss.lang')}</span>
  );
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }} data-testid="mss-app">
        <NavBar back={null} right={lang} style={{ background: '#fff' }}>{t('mss.title')}</NavBar>
        <div style={{ flex: 1, overflowY: 'auto' }}>
          {!loaded ? null : !loggedIn ? (
            <MssLogin />
          ) : (
            <Routes>
              <Route path="/" element={<MssReport />} />
              <Route path="/mine" element={<MyReports />} />
              <Route path="/incidents/:id" element={<MssIncident />} />
              <Route path="/notifications" element={<MssNotifications />} />
              <Route path="/me" element={<MssMe />} />
              <Route path="*" element={<MyReports />} />
            </Routes>
          )}
        </div>
        {loggedIn && (
          <div style={{ background: '#fff', borderTop: '1px solid #eee', position: 'sticky', bottom: 0 }}>
            <TabBar activeKey={tabs.find((x) => x.key === location.pathname)?.key ?? null} onChange={(k) => navigate(k)}>
              {tabs.map((x) => (
                <TabBar.Item key={x.key} icon={x.icon} title={<span data-testid={`mss-tab-${x.key.slice(1) || 'report'}`}>{x.title}</span>} />
              ))}
            </TabBar>
            <SafeArea position="bottom" />
          </div>
        )}
      </div>
    </ConfigProvider>
  );
}
