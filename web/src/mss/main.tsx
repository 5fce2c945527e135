// The MSS mobile pages (/m/...): a separate entry (m.html), so a phone loads antd-mobile and the
// desk's client only — no Ant Design, no ECharts.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import '../i18n';
import MssApp from './MssApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename="/m">
      <MssApp />
    </BrowserRouter>
  </StrictMode>,
);
