// Who is logged in: login, logout (here / everywhere), password change, and the account read
// again after a reload (GET /api/v1/auth/me gives the CSRF token back). A hint in localStorage
// says a login happened in this browser, so pages that do not need the desk (the monitoring
// pages) never ask /auth/me and never see a 401.
import { deskRequest, onUnauthorized, setCsrfToken } from './http';
import type { Account } from './types';
import { closeDeskStream } from './useDeskStream';

const HINT = 'vigil.deskUser';
let current: Account | null = null;
let loaded = false;
const listeners = new Set<(a: Account | null) => void>();

function setAccount(a: Account | null): void {
  current = a;
  loaded = true;
  setCsrfToken(a?.csrf_token ?? '');
  try {
    if (a) localStorage.setItem(HINT, a.user);
    else localStorage.removeItem(HINT);
  } catch {
    // storage disabled
  }
  listeners.forEach((l) => l(a));
}

onUnauthorized(() => setAccount(null));

export function hasLoginHint(): boolean {
  try {
    return !!localStorage.getItem(HINT);
  } catch {
    return false;
  }
}

export function account(): Account | null {
  return current;
}

export function accountLoaded(): boolean {
  return loaded;
}

export function onAccount(l: (a: Account | null) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

let pending: Promise<Account | null> | null = null;

// The account of this browser's session, or null (no login). Asks the server once.
export function loadAccount(): Promise<Account | null> {
  if (loaded) return Promise.resolve(current);
  if (!hasLoginHint()) {
    setAccount(null);
    return Promise.resolve(null);
  }
  pending ??= deskRequest<Account>('GET', '/api/v1/auth/me')
    .then((a) => (setAccount(a), a))
    .catch(() => (setAccount(null), null))
    .finally(() => {
      pending = null;
    });
  return pending;
}

export async function login(user: string, password: string): Promise<Account> {
  const a = await deskRequest<Account>('POST', '/api/v1/auth/login', { user, password });
  setAccount(a);
  return a;
}

export async function logout(everywhere: boolean): Promise<void> {
  closeDeskStream();
  try {
    await deskRequest('POST', everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout');
  } finally {
    setAccount(null);
  }
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await deskRequest('POST', '/api/v1/auth/password', {
    current_password: currentPassword,
    new_password: newPassword,
  });
  if (current) setAccount({ ...current, must_change_password: false });
}

// The account as the server has it now (the login's answer may predate a change by an admin).
export async function refreshAccount(): Promise<Account> {
  return keep(await deskRequest<Account>('GET', '/api/v1/auth/me'));
}

// Sets (or with "" removes) the caller's own e-mail address: PATCH /api/v1/auth/me answers the
// account again.
export async function updateMyEmail(email: string): Promise<Account> {
  return keep(await deskRequest<Account>('PATCH', '/api/v1/auth/me', { email }));
}

// The CSRF token stays the one this page holds when an answer has none.
function keep(a: Account): Account {
  const next = { ...current, ...a, csrf_token: a.csrf_token ?? current?.csrf_token };
  setAccount(next);
  return next;
}

export function isHandler(a: Account | null): boolean {
  return a?.role === 'handler' || a?.role === 'admin';
}

export function inGroup(a: Account | null, group: string): boolean {
  return !!a?.groups?.includes(group);
}
