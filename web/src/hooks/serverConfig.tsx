// The server's configuration (GET /api/v1/config): the display timezone, each code's name and
// thresholds, the service systems' names. With 5,000 codes the answer is megabytes, so it is
// loaded only for the pages that use it: at once for those that need it to draw (`'now'`),
// after their own data for those it only decorates (`'later'`: colours, names). The timezone
// is remembered in localStorage and comes with every `stats` event of the stream; on a first
// visit, before either, the small summary (`?view=summary`) gives it.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../lib/api';
import { setDisplayTimezone } from '../lib/format';
import type { ConfigAnswer, ConfigCode } from '../lib/types';

const TZ_KEY = 'vigil.tz';
const REFRESH_MS = 300_000; // the unclassified return codes grow, the file may be reloaded
const LATER_MS = 1500;

export interface ServerConfig {
  config: ConfigAnswer | undefined;
  error: Error | undefined;
  loading: boolean;
  codes: Map<string, ConfigCode>;
  serviceNames: Map<string, string>;
  reload: () => void;
}

interface Loader {
  value: ServerConfig;
  demand: (when: 'now' | 'later') => () => void;
}

const empty: ServerConfig = {
  config: undefined,
  error: undefined,
  loading: true,
  codes: new Map(),
  serviceNames: new Map(),
  reload: () => undefined,
};
const Context = createContext<Loader>({ value: empty, demand: () => () => undefined });

function cachedTimezone(): string | null {
  try {
    return localStorage.getItem(TZ_KEY);
  } catch {
    return null;
  }
}

// Times drawn before anything is loaded are already in the remembered zone.
const rememberedZone = cachedTimezone();
if (rememberedZone) setDisplayTimezone(rememberedZone);

// The configured zone, as the server says it (the summary, the config, a stream event): shown
// from now on and remembered for the next visit. Answers whether it changed.
export function noteTimezone(tz: string | undefined): boolean {
  if (!tz || tz === cachedTimezone()) return false;
  setDisplayTimezone(tz);
  try {
    localStorage.setItem(TZ_KEY, tz);
  } catch {
    // storage disabled: the timezone is asked for again next time
  }
  return true;
}

// A first visit (no remembered zone) asks for the summary at once (boot.ts).
export const needsTimezone = () => cachedTimezone() === null;

export function ServerConfigProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<ConfigAnswer | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const state = useRef({ inFlight: false, loadedAt: 0, demands: 0 });

  const load = useCallback(async () => {
    const s = state.current;
    if (s.inFlight) return;
    s.inFlight = true;
    setLoading(true);
    try {
      const c = await api.config();
      noteTimezone(c.timezone);
      s.loadedAt = performance.now(); // only to space refreshes (not a time shown or sent)
      setConfig(c);
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    } finally {
      s.inFlight = false;
      setLoading(false);
    }
  }, []);

  // The timezone: remembered from an earlier visit, else from the summary (kilobytes, not the
  // codes); a change re-renders the pages (times drawn in the browser's zone until then).
  const [, setZone] = useState(rememberedZone);
  useEffect(() => {
    if (!needsTimezone()) return;
    api
      .configSummary()
      .then((c) => {
        if (noteTimezone(c.timezone)) setZone(c.timezone);
      })
      .catch(() => undefined); // the pages' own reads show the server's errors
  }, []);

  // Refresh while some page uses it.
  useEffect(() => {
    const timer = setInterval(() => {
      const s = state.current;
      if (s.demands > 0 && performance.now() - s.loadedAt >= REFRESH_MS) void load();
    }, 30_000);
    return () => clearInterval(timer);
  }, [load]);

  const demand = useCallback(
    (when: 'now' | 'later') => {
      const s = state.current;
      s.demands++;
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (s.loadedAt === 0 && !s.inFlight) {
        if (when === 'now') void load();
        else timer = setTimeout(() => void load(), LATER_MS);
      }
      return () => {
        s.demands--;
        if (timer) clearTimeout(timer);
      };
    },
    [load],
  );

  const value = useMemo<ServerConfig>(
    () => ({
      config,
      error,
      loading: loading || (!config && !error),
      codes: new Map((config?.codes ?? []).map((c) => [c.txn, c])),
      serviceNames: new Map((config?.service_systems ?? []).map((s) => [s.svc_sys, s.name])),
      reload: () => void load(),
    }),
    [config, error, loading, load],
  );
  const loader = useMemo(() => ({ value, demand }), [value, demand]);
  return <Context.Provider value={loader}>{children}</Context.Provider>;
}

// The configuration, loaded `when` the page says ('now': it needs it to draw; 'later': it only
// decorates with it).
export function useServerConfig(when: 'now' | 'later' = 'now'): ServerConfig {
  const { value, demand } = useContext(Context);
  useEffect(() => demand(when), [demand, when]);
  return value;
}

// The system and business success minimums of a code (its own; the default 0.99 until the
// configuration is there).
export function useThresholds(codes: Map<string, ConfigCode>) {
  return useMemo(
    () => ({
      system: (txn: string) => codes.get(txn)?.params?.system_success_min ?? 0.99,
      business: (txn: string) => codes.get(txn)?.params?.business_success_min ?? null,
    }),
    [codes],
  );
}
