// The incidents API (docs/desk-api.md), one function per endpoint the pages use.
import type { Query } from '../lib/api';
import { deskRequest, uploadRaw } from './http';
import type {
  Attachment,
  ImportAnswer,
  Incident,
  IncidentPage,
  Message,
  Meta,
  NewIncident,
  Notification,
  Script,
} from './types';

const B = '/api/v1/incidents';
const get = <T>(path: string, q?: Query) => deskRequest<T>('GET', path, undefined, q);
const post = <T>(path: string, body: unknown = {}) => deskRequest<T>('POST', path, body);

export const desk = {
  meta: () => get<Meta>(`${B}/meta`),
  saveSettings: (body: Partial<Pick<Meta, 'systems' | 'priorities' | 'business_hours'>>) =>
    deskRequest<Meta>('PUT', `${B}/settings`, body),
  addSubcategory: (cls: string, name: string) =>
    post<{ id: number; class: string; name: string }>(`${B}/subcategories`, { class: cls, name }),
  updateSubcategory: (id: number, body: { name?: string; disabled?: boolean }) =>
    deskRequest<unknown>('PATCH', `${B}/subcategories/${id}`, body),

  list: (q: Query) => get<{ items: Incident[]; next_before_id?: number | null }>(B, q),
  create: (body: NewIncident) => post<Incident>(B, body),
  page: (id: number) => get<IncidentPage>(`${B}/${id}`),
  update: (id: number, body: Partial<Incident>) => deskRequest<Incident>('PATCH', `${B}/${id}`, body),
  action: (id: number, action: string, body: unknown = {}) => post<Incident>(`${B}/${id}/${action}`, body),
  fromAlert: (fingerprint: string) => post<Incident>(`${B}/from-alert`, { fingerprint }),

  messages: (id: number, afterId?: number) =>
    get<{ messages: Message[]; read_mark?: number }>(`${B}/${id}/messages`, { after_id: afterId, limit: 500 }),
  send: (id: number, body: { body: string; internal?: boolean; attachment_ids?: number[] }) =>
    post<Message>(`${B}/${id}/messages`, body),
  markRead: (id: number, messageId: number) => post<{ read_mark: number }>(`${B}/${id}/read`, { message_id: messageId }),

  upload: (id: number, file: File, onProgress: (f: number) => void) =>
    uploadRaw<Attachment>(`${B}/${id}/attachments?filename=${encodeURIComponent(file.name)}`, file, onProgress),
  attachmentUrl: (attachmentId: number) => `${B}/attachments/${attachmentId}`,

  addScript: (id: number, description: string, content: string) =>
    post<Script>(`${B}/${id}/scripts`, { description, content }),
  reviewScript: (id: number, sid: number, verdict: 'approve' | 'reject', comment: string) =>
    post<Script>(`${B}/${id}/scripts/${sid}/${verdict}`, { comment }),
  scriptResult: (id: number, sid: number, succeeded: boolean, output: string) =>
    post<Script>(`${B}/${id}/scripts/${sid}/result`, { succeeded, output }),

  importCsv: (csv: string, mapping: Record<string, string>, dryRun: boolean) =>
    post<ImportAnswer>(`${B}/import`, { csv, mapping, dry_run: dryRun }),

  notifications: (unreadOnly = false) =>
    get<{ items: Notification[]; unread: number }>(`${B}/notifications`, { unread: unreadOnly ? 1 : undefined, limit: 50 }),
  readNotifications: (body: { ids?: number[]; all?: boolean }) =>
    post<{ unread: number }>(`${B}/notifications/read`, body),
};

export const STREAM_URL = `${B}/stream`;
