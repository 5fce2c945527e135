// Screenshots for a report or a reply: picked from the phone's gallery or camera, checked here
// first (an image by its content, at most 5 MiB: a clear message otherwise), shown as thumbnails;
// then each is uploaded raw with its progress (MssReport after the report exists, MssReplyBox
// before the reply is posted).
import { Button, ProgressBar, Space } from 'antd-mobile';
import { useRef } from 'react';
import { useDeskT } from '../../desk/hooks';
import { looksLikeImage, MAX_ATTACHMENT_BYTES } from '../../desk/status';

export interface Picked {
  key: number;
  file: File;
  url: string;
  progress: number;
  error?: string;
  attachmentId?: number; // uploaded already (a reply retried after a failure sends it once)
}

export default function ScreenshotPicker({ files, onChange, onError, idPrefix = 'mss', label, size = 80 }: {
  files: Picked[]; onChange: (f: Picked[]) => void; onError: (message: string) => void;
  idPrefix?: string; label?: string; size?: number;
}) {
  const t = useDeskT();
  const input = useRef<HTMLInputElement>(null);
  const pick = async (list: FileList | null) => {
    const ok: Picked[] = [];
    for (const file of Array.from(list ?? [])) {
      if (file.size > MAX_ATTACHMENT_BYTES) onError(t('mss.tooLarge', { name: file.name }));
      else if (!(await looksLikeImage(file))) onError(t('mss.notImage', { name: file.name }));
      else ok.push({ key: Date.now() + ok.length, file, url: URL.createObjectURL(file), progress: 0 });
    }
    if (input.current) input.current.value = '';
    onChange([...files, ...ok]);
  };
  return (
    <div data-testid={`${idPrefix}-screenshots`}>
      <input ref={input} type="file" accept="image/*" multiple hidden onChange={(e) => void pick(e.target.files)} data-testid={`${idPrefix}-file-input`} />
      <Space wrap>
        {files.map((f) => (
          <div key={f.key} style={{ width: size }} data-testid={`${idPrefix}-screenshot`}>
            <img src={f.url} alt={f.file.name} style={{ width: size, height: size, objectFit: 'cover', borderRadius: 4 }} />
            <ProgressBar percent={Math.round(f.progress * 100)} data-testid={`${idPrefix}-upload-progress`} />
            {f.error && <div style={{ color: '#ff3141', fontSize: 11 }}>{f.error}</div>}
          </div>
        ))}
      </Space>
      <Button size="small" onClick={() => input.current?.click()} data-testid={`${idPrefix}-pick`} style={{ marginTop: 8 }}>{label ?? t('mss.pick')}</Button>
    </div>
  );
}
