// One message as a chat bubble (mine on the right), its text as text and its images inline.
import { Image } from 'antd-mobile';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import { attachmentId } from '../../desk/types';
import type { Message } from '../../desk/types';
import { fmtTime } from '../../lib/format';

export default function MssMessage({ m, mine }: { m: Message; mine: boolean }) {
  const t = useDeskT();
  const system = m.kind === 'system';
  return (
    <div style={{ display: 'flex', justifyContent: system ? 'center' : mine ? 'flex-end' : 'flex-start', marginBottom: 8 }}
      data-testid={`mss-message-${m.id}`} data-kind={m.kind}>
      <div style={{ maxWidth: '80%', background: system ? 'transparent' : mine ? '#d6e4ff' : '#fff', borderRadius: 8, padding: '6px 10px',
        color: system ? '#999' : undefined, fontSize: system ? 12 : 15 }}>
        {!system && <div style={{ fontSize: 11, color: '#999' }}>{m.author} · {fmtTime(m.created_at, 'MM-DD HH:mm')}</div>}
        {system && <span>{t('incident.systemMsg')}: </span>}
        {m.body && <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="mss-message-body">{m.body}</span>}
        {m.attachments?.map(attachmentId).map((id) => <Image key={id} src={desk.attachmentUrl(id)} width={100} style={{ marginTop: 4 }} data-testid={`mss-message-image-${id}`} />)}
      </div>
    </div>
  );
}
