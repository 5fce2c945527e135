// The message for an image the server refused (413 too large, 415 not an accepted image), in the
// page's language; other failures keep the server's own message.
import type { DeskT } from '../../desk/hooks';

export function uploadErrorText(t: DeskT, name: string, e: unknown): string {
  const status = (e as { status?: number }).status;
  if (status === 413) return t('mss.tooLarge', { name });
  if (status === 415) return t('mss.refused', { name, msg: (e as Error).message });
  return t('mss.uploadFailed', { name, msg: (e as Error).message });
}
