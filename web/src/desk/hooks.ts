// React glue for the desk: the account (null until loaded / when logged out), an untyped `t` of
// the desk namespace (keys built from API values: statuses, actions), and a one-shot loader.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { account, accountLoaded, loadAccount, onAccount } from './session';
import type { Account, Notification } from './types';

export function useAccount(): { account: Account | null; loaded: boolean } {
  const [state, setState] = useState({ account: account(), loaded: accountLoaded() });
  useEffect(() => {
    const off = onAccount((a) => setState({ account: a, loaded: true }));
    void loadAccount().then((a) => setState({ account: a, loaded: true }));
    return () => {
      off();
    };
  }, []);
  return state;
}

export type DeskT = (key: string, options?: Record<string, unknown>) => string;

export function useDeskT(): DeskT {
  const { t } = useTranslation('desk');
  return t as unknown as DeskT;
}

// A notification's words in the page's language (the server renders both).
export function useNotificationText(): (n: Notification) => string {
  const { i18n } = useTranslation('desk');
  const en = i18n.language?.startsWith('en');
  return (n) => (en ? n.texts?.en : n.texts?.zh) ?? n.text;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  setData: (f: (old: T | undefined) => T | undefined) => void;
}

// Loads `fn()` when `deps` change; `reload` loads again (keeping the old data until it is back).
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(fn, deps);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run()
      .then((d) => live && (setDataState(d), setError(undefined)))
      .catch((e: Error) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [run, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload, setData: setDataState };
}
