// Colours of the desk's states, shared by the back office (antd Tag colours) and the MSS pages.
import type { SlaState, Status } from './types';

export const STATUS_COLOR: Record<Status, string> = {
  new: 'blue',
  accepted: 'cyan',
  transferred: 'purple',
  resolved: 'green',
  closed: 'default',
};

export const SLA_COLOR: Record<SlaState, string> = {
  ok: 'default',
  at_risk: 'orange',
  breached: 'red',
  met: 'green',
  missed: 'volcano',
};

export const STATUSES: Status[] = ['new', 'accepted', 'transferred', 'resolved', 'closed'];
export const OPEN_STATUSES: Status[] = ['new', 'accepted', 'transferred'];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const CLASSES = ['data', 'program', 'consultation'] as const;
export const GROUPS = ['test', 'dev', 'ops', 'product'] as const;

// Attachments the server accepts (docs/desk-api.md): checked here too so a wrong file gets a
// message before it is sent; the server checks the content again.
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const IMAGE_MAGIC: [number, number[]][] = [
  [0, [0x89, 0x50, 0x4e, 0x47]], // PNG
  [0, [0xff, 0xd8, 0xff]], // JPEG
  [0, [0x47, 0x49, 0x46, 0x38]], // GIF8
];

export async function looksLikeImage(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  if (IMAGE_MAGIC.some(([at, bytes]) => bytes.every((b, i) => head[at + i] === b))) return true;
  // WebP: "RIFF" .... "WEBP"
  const text = String.fromCharCode(...head);
  return text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP';
}
