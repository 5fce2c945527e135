// Where things link to: one place for the console's URLs.
import { withQuery } from './api';

export const codeLink = (txn: string) => `/codes/${encodeURIComponent(txn)}`;
export const abnormalForEvent = (id: number) => withQuery('/abnormal', { event: id });
export const abnormalForCode = (txn: string) => withQuery('/abnormal', { txn });
export const recordsFor = (f: Record<string, string | undefined>) => withQuery('/records', f);
export const codesFor = (f: Record<string, string | undefined>) => withQuery('/codes', f);
export const alertsFor = (f: Record<string, string | undefined>) => withQuery('/alerts', f);
export const servicesFor = (svc: string) => withQuery('/services', { svc_sys: svc });
