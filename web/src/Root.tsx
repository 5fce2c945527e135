// The console's frame: antd theme and locale (switching with the language), the shared stream
// and configuration, the side menu of the eight pages, the header, and the routes (each page
// loaded on demand).
import { App as AntApp, ConfigProvider, Layout } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import ErrorBoundary from './components/ErrorBoundary';
import HeaderBar from './components/HeaderBar';
import SideMenu from './components/SideMenu';
import { Loading } from './components/PageState';
import { ServerConfigProvider } from './hooks/serverConfig';
import { StreamProvider } from './hooks/stream';

const Overview = lazy(() => import('./pages/Overview'));
const Codes = lazy(() => import('./pages/Codes'));
const CodeDetail = lazy(() => import('./pages/CodeDetail'));
const Records = lazy(() => import('./pages/Records'));
const Abnormal = lazy(() => import('./pages/Abnormal'));
const Services = lazy(() => import('./pages/Services'));
const Alerts = lazy(() => import('./pages/Alerts'));
const Silences = lazy(() => import('./pages/Silences'));
const ConfigPage = lazy(() => import('./pages/Config'));
const NotFound = lazy(() => import('./pages/NotFound'));
const Login = lazy(() => import('./pages/desk/Login'));
const DeskRoutes = lazy(() => import('./pages/desk/DeskRoutes'));

export default function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      // CSS variables instead of per-component hashed styles: much less style work on a page's
      // first render.
      theme={{ token: { colorPrimary: '#1668dc' }, cssVar: true, hashed: false }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <ServerConfigProvider>
          <StreamProvider>
            <Layout style={{ minHeight: '100vh' }}>
              <SideMenu />
              <Layout>
                <HeaderBar />
                <Layout.Content style={{ padding: 20, minWidth: 0 }}>
                  <ErrorBoundary>
                    <Suspense fallback={<Loading />}>
                      <Routes>
                        <Route path="/" element={<Overview />} />
                        <Route path="/codes" element={<Codes />} />
                        <Route path="/codes/:txn" element={<CodeDetail />} />
                        <Route path="/records" element={<Records />} />
                        <Route path="/abnormal" element={<Abnormal />} />
                        <Route path="/services" element={<Services />} />
                        <Route path="/alerts" element={<Alerts />} />
                        <Route path="/silences" element={<Silences />} />
                        <Route path="/config" element={<ConfigPage />} />
                        <Route path="/login" element={<Login />} />
                        <Route path="/desk/*" element={<DeskRoutes />} />
                        <Route path="*" element={<NotFound />} />
                      </Routes>
                    </Suspense>
                  </ErrorBoundary>
                </Layout.Content>
              </Layout>
            </Layout>
          </StreamProvider>
        </ServerConfigProvider>
      </AntApp>
    </ConfigProvider>
  );
}
