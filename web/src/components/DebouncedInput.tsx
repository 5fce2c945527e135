// A text filter that reports its value a moment after the user stops typing (so a list is not
// reloaded on every key), and follows outside changes of the value (the URL).
import { Input } from 'antd';
import type { InputProps } from 'antd';
import { useEffect, useState } from 'react';

export default function DebouncedInput({
  value,
  onCommit,
  delayMs = 300,
  ...rest
}: Omit<InputProps, 'value' | 'onChange'> & { value: string; onCommit: (v: string) => void; delayMs?: number }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => onCommit(draft.trim()), delayMs);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft]);
  return <Input {...rest} value={draft} onChange={(e) => setDraft(e.target.value)} onPressEnter={() => onCommit(draft.trim())} />;
}
