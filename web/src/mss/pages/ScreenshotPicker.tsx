// Screenshots for a report: picked from the phone's gallery or camera, checked here first (an
// image by its content, at most 5 MiB: a clear message otherwise), shown as thumbnails; after the
// report exists each is uploaded raw with its progress (MssReport).
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
}

export default function ScreenshotPicker({ files, onChange, onError }: {
  files: Picked[]; onChange: (f: Picked[]) => void; onError: (message: string) => void;
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
    <div data-testid="mss-screenshots">
      <input ref={input} type="file" accept="image/*" multiple hidden onChange={(e) => void pick(e.target.files)} data-testid="mss-file-input" />
      <Space wrap>
        {files.map((f) => (
          <div key={f.key} style={{ width: 80 }} data-testid="mss-screenshot">
            <img src={f.url} alt={f.file.name} style={{ width: 80, height: 80, objectFit: 'cover', borderRadius: 4 }} />
            <ProgressBar percent={Math.round(f.progress * 100)} data-testid="mss-upload-progress" />
            {f.error && <div style={{ color: '#ff3141', fontSize: 11 }}>{f.error}</div>}
          </div>
        ))}
      </Space>
      <Button size="small" onClick={() => input.current?.click()} data-testid="mss-pick" style={{ marginTop: 8 }}>{t('mss.pick')}</Button>
    </div>
  );
}
