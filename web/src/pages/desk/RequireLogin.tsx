// Wraps the desk's pages: until the account is known, a spinner; without a login, the login
// page with the way back (`/login?next=...`).
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Loading } from '../../components/PageState';
import { useAccount } from '../../desk/hooks';

export default function RequireLogin({ children }: { children: ReactNode }) {
  const { account, loaded } = useAccount();
  const location = useLocation();
  if (!loaded) return <Loading />;
  if (!account || account.must_change_password) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}
