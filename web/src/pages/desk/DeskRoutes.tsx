// The back office's routes under /desk, each page loaded on demand, all behind the login.
import { lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import RequireLogin from './RequireLogin';

const Queue = lazy(() => import('./Queue'));
const IncidentPage = lazy(() => import('./IncidentPage'));
const Notifications = lazy(() => import('./Notifications'));
const Settings = lazy(() => import('./Settings'));
const Import = lazy(() => import('./Import'));
const Users = lazy(() => import('./Users'));
const FromAlert = lazy(() => import('./FromAlert'));
const NotFound = lazy(() => import('../NotFound'));

export default function DeskRoutes() {
  return (
    <RequireLogin>
      <Routes>
        <Route index element={<Queue />} />
        <Route path="incidents/:id" element={<IncidentPage />} />
        <Route path="notifications" element={<Notifications />} />
        <Route path="settings" element={<Settings />} />
        <Route path="import" element={<Import />} />
        <Route path="users" element={<Users />} />
        <Route path="from-alert/:fingerprint" element={<FromAlert />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </RequireLogin>
  );
}
