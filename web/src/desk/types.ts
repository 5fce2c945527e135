// The incidents API's objects (docs/desk-api.md), shared by the back office and the MSS pages.
export type Role = 'reporter' | 'member' | 'handler' | 'admin';
export type Status = 'new' | 'accepted' | 'transferred' | 'resolved' | 'closed';
export type IncidentClass = 'data' | 'program' | 'consultation';
export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export type SlaState = 'ok' | 'at_risk' | 'breached' | 'met' | 'missed';

export interface Account {
  user: string;
  role: Role;
  groups: string[];
  email?: string | null;
  must_change_password: boolean;
  via?: 'session' | 'api_token';
  csrf_token?: string;
}

export interface Customer {
  customer_no?: string;
  account?: string;
  name?: string;
  phone?: string;
}

export interface Incident {
  id: number;
  ref: string;
  title: string;
  description: string;
  system: string;
  customer?: Customer | null;
  occurred_at?: number | null;
  status: Status;
  priority: Priority;
  class?: IncidentClass | null;
  subcategory_id?: number | null;
  subcategory?: string | null;
  channel: string;
  reporter: string;
  assignee?: string | null;
  group?: string | null;
  alert_fingerprint?: string | null;
  created_at: number;
  updated_at: number;
  first_response_at?: number | null;
  resolved_at?: number | null;
  closed_at?: number | null;
  reopened?: number;
  cause?: string | null;
  solution?: string | null;
  sla?: { first_response_due?: number; resolution_due?: number; state?: SlaState; first_response_state?: SlaState };
  unread?: number;
  last_message_at?: number | null;
}

export interface HistoryEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  from_status?: Status | null;
  to_status?: Status | null;
  detail?: unknown;
}

export interface Script {
  id: number;
  incident_id: number;
  author: string;
  description: string;
  content: string;
  status: 'pending' | 'approved' | 'rejected' | 'executed' | 'failed';
  reviewer?: string | null;
  review_comment?: string | null;
  reviewed_at?: number | null;
  executed_by?: string | null;
  output?: string | null;
  executed_at?: number | null;
  created_at: number;
}

export interface Attachment {
  id: number;
  incident_id?: number;
  // Set when the image belongs to a reply (POST .../messages attachment_ids); null: the report's.
  message_id?: number | null;
  filename: string;
  content_type: string;
  size: number;
  created_at: number;
}

export interface Message {
  id: number;
  author: string;
  author_role?: Role;
  kind: 'public' | 'internal' | 'system';
  body: string;
  // The server sends the ids of the message's attachments (docs/desk-api.md, "Details").
  attachments?: (number | Attachment)[];
  created_at: number;
}

export const attachmentId = (a: number | Attachment): number => (typeof a === 'number' ? a : a.id);

export interface IncidentPage {
  incident: Incident;
  history: HistoryEntry[];
  scripts: Script[];
  attachments: Attachment[];
  links?: { alert?: unknown };
}

export interface Meta {
  systems: string[];
  classes: { class: IncidentClass; subcategories: { id: number; name: string; disabled?: boolean }[] }[];
  priorities: { priority: Priority; first_response_minutes: number; resolution_minutes: number }[];
  groups: string[];
  business_hours: { start: string; end: string };
  time_zone?: string;
  handlers?: string[]; // for handlers and admins: who an incident may be assigned to
}

export interface Notification {
  id: number;
  incident_id: number;
  kind: string;
  text: string; // Chinese
  texts?: { zh: string; en: string }; // by language: pages show their own
  created_at: number;
  read_at?: number | null;
}

export interface ImportAnswer {
  rows: number;
  valid: number;
  errors: { row: number; field: string; message: string }[];
  imported: number;
}

export interface NewIncident {
  title: string;
  description: string;
  system: string;
  customer?: Customer;
  occurred_at?: number;
  priority?: Priority;
  class?: IncidentClass;
  subcategory_id?: number;
  channel?: string;
}
