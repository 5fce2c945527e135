// The server's configuration (GET /api/v1/config), loaded once for every page: the display
// timezone, each code's name and thresholds, the service systems' names.
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import { api } from '../lib/api';
import { setDisplayTimezone } from '../lib/format';
import type { ConfigAnswer, ConfigCode } from '../lib/types';
import { usePolling } from './usePolling';

export interface ServerConfig {
  config: ConfigAnswer | undefined;
  error: Error | undefined;
  loading: boolean;
  codes: Map<string, ConfigCode>;
  serviceNames: Map<string, string>;
  reload: () => void;
}

const Context = createContext<ServerConfig>({
  config: undefined,
  error: undefined,
  loading: true,
  codes: new Map(),
  serviceNames: new Map(),
  reload: () => undefined,
});

export function ServerConfigProvider({ children }: { children: ReactNode }) {
  // Reloaded every 5 minutes: the unclassified return codes grow, the file may be reloaded.
  const q = usePolling((signal) => api.config(signal), [], 300_000);
  const config = q.data;
  const value = useMemo<ServerConfig>(() => {
    if (config?.timezone) setDisplayTimezone(config.timezone);
    return {
      config,
      error: q.error,
      loading: q.loading,
      codes: new Map((config?.codes ?? []).map((c) => [c.txn, c])),
      serviceNames: new Map((config?.service_systems ?? []).map((s) => [s.svc_sys, s.name])),
      reload: q.reload,
    };
  }, [config, q.error, q.loading, q.reload]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useServerConfig = () => useContext(Context);

// The system success minimum of a code (its own, else the default 0.99).
export function useThresholds() {
  const { codes } = useServerConfig();
  return useMemo(
    () => ({
      system: (txn: string) => codes.get(txn)?.params?.system_success_min ?? 0.99,
      business: (txn: string) => codes.get(txn)?.params?.business_success_min ?? null,
    }),
    [codes],
  );
}
