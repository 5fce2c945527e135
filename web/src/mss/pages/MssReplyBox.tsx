// The reply box of a report on the phone: text, screenshots, or both. Images are uploaded raw
// first (POST .../attachments, each with its progress), then the reply names them
// (POST .../messages {body, attachment_ids}); the server takes a reply of images only.
// Offline, a text reply is queued by useConversation and goes when the connection returns; a
// reply with images says it needs a connection and keeps text and images in the box (the bytes
// are not kept across a reload, so they are never queued silently).
import { Button, TextArea } from 'antd-mobile';
import { useState } from 'react';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import ScreenshotPicker from './ScreenshotPicker';
import type { Picked } from './ScreenshotPicker';
import { uploadErrorText } from './uploadError';

type Send = (body: string, internal?: boolean, attachmentIds?: number[]) => Promise<void>;

export default function MssReplyBox({ incidentId, send, onError }: {
  incidentId: number; send: Send; onError: (message: string | null) => void;
}) {
  const t = useDeskT();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<Picked[]>([]);
  const [busy, setBusy] = useState(false);
  const patch = (key: number, p: Partial<Picked>) =>
    setFiles((old) => old.map((x) => (x.key === key ? { ...x, ...p } : x)));

  // Uploads what is not uploaded yet; the ids of all, or null after a failure (reported).
  const upload = async (): Promise<number[] | null> => {
    const ids: number[] = [];
    for (const f of files) {
      if (f.attachmentId) {
        ids.push(f.attachmentId);
        continue;
      }
      try {
        const a = await desk.upload(incidentId, f.file, (p) => patch(f.key, { progress: p }));
        patch(f.key, { attachmentId: a.id, progress: 1 });
        ids.push(a.id);
      } catch (e) {
        if ((e as { status?: number }).status === 0) {
          onError(t('mss.imagesNeedConnection'));
        } else {
          // Refused (413 / 415): that image leaves the box, the rest stays for another try.
          onError(uploadErrorText(t, f.file.name, e));
          setFiles((old) => old.filter((x) => x.key !== f.key));
        }
        return null;
      }
    }
    return ids;
  };

  const submit = async () => {
    if (!text.trim() && !files.length) return;
    if (files.length && !navigator.onLine) {
      onError(t('mss.imagesNeedConnection'));
      return;
    }
    setBusy(true);
    try {
      const ids = await upload();
      if (!ids) return;
      await send(text, false, ids);
      setText('');
      setFiles([]);
      onError(null);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ padding: 12, background: '#fff' }} data-testid="mss-reply">
      <div style={{ display: 'flex', gap: 8 }}>
        <TextArea value={text} onChange={setText} rows={2} placeholder={t('incident.placeholder')}
          data-testid="mss-message-input" style={{ flex: 1 }} />
        <Button color="primary" loading={busy} onClick={() => void submit()} data-testid="mss-message-send">{t('incident.send')}</Button>
      </div>
      <ScreenshotPicker files={files} onChange={setFiles} onError={onError} idPrefix="mss-reply" label={t('mss.addImages')} size={56} />
    </div>
  );
}
