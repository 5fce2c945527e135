// The API token used on writes (docs/console-api.md): `vigil serve` prints the console URL with
// `#token=...`; the console keeps it in localStorage and removes it from the address bar. When a
// write answers 401, `askForToken` opens the token dialog (TokenModal) and waits for the user.

const STORAGE_KEY = 'vigil.apiToken';

export function getToken(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(token: string): void {
  try {
    if (token) localStorage.setItem(STORAGE_KEY, token);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: the token lives only in this page
  }
  memoryToken = token;
  listeners.forEach((l) => l(token));
}

let memoryToken = '';

export function currentToken(): string {
  return getToken() || memoryToken;
}

// Takes `#token=...` out of the URL (once, at start) and stores it.
export function captureTokenFromUrl(): void {
  const hash = window.location.hash;
  if (!hash.startsWith('#')) return;
  const params = new URLSearchParams(hash.slice(1));
  const token = params.get('token');
  if (!token) return;
  setToken(token);
  params.delete('token');
  const rest = params.toString();
  const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
  window.history.replaceState(window.history.state, '', url);
}

type Listener = (token: string) => void;
const listeners = new Set<Listener>();

export function onTokenChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

// The token dialog registers itself here; a write that got 401 awaits the user's answer
// (the new token, or null when cancelled).
type Asker = (reason: string) => Promise<string | null>;
let asker: Asker | null = null;
let pending: Promise<string | null> | null = null;

export function registerTokenAsker(a: Asker | null): void {
  asker = a;
}

export function askForToken(reason: string): Promise<string | null> {
  if (!asker) return Promise.resolve(null);
  if (!pending) {
    pending = asker(reason).finally(() => {
      pending = null;
    });
  }
  return pending;
}
