// The back office's conversation of an incident: public replies, internal notes (yellow, tagged,
// never shown to reporters) and system messages, each body rendered as text; images attached to a
// message shown inline; a box to reply or to add an internal note.
import { Alert, Button, Checkbox, Divider, Empty, Image, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import { attachmentId } from '../../desk/types';
import type { Message } from '../../desk/types';
import { useConversation } from '../../desk/useConversation';
import { fmtTime } from '../../lib/format';

const KIND_STYLE: Record<Message['kind'], React.CSSProperties> = {
  public: { background: '#f0f5ff', border: '1px solid #d6e4ff' },
  internal: { background: '#fffbe6', border: '1px dashed #ffd666' },
  system: { background: '#fafafa', border: '1px solid #f0f0f0', color: '#595959' },
};

export function MessageItem({ m }: { m: Message }) {
  const t = useDeskT();
  return (
    <div style={{ ...KIND_STYLE[m.kind], borderRadius: 6, padding: '8px 12px', marginBottom: 8 }}
      data-testid={`message-${m.id}`} data-kind={m.kind}>
      <Space size={8} style={{ fontSize: 12, color: '#8c8c8c' }}>
        <b>{m.kind === 'system' ? t('incident.systemMsg') : m.author}</b>
        {m.kind === 'internal' && <Tag color="gold">{t('incident.internalTag')}</Tag>}
        <span>{fmtTime(m.created_at)}</span>
      </Space>
      <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="message-body">{m.body}</div>
      {m.attachments?.map(attachmentId).map((id) => (
        <Image key={id} src={desk.attachmentUrl(id)} width={120} data-testid={`message-image-${id}`} />
      ))}
    </div>
  );
}

export default function Conversation({ incidentId, canInternal }: { incidentId: number; canInternal: boolean }) {
  const t = useDeskT();
  const conv = useConversation(incidentId);
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await conv.send(text, internal);
      setText('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="conversation">
      {conv.error && <Alert type="error" message={conv.error.message} style={{ marginBottom: 8 }} />}
      <div style={{ maxHeight: 420, overflowY: 'auto', marginBottom: 12 }} data-testid="message-list">
        {conv.messages.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.noMessages')} />}
        {conv.messages.map((m, at) => (
          <div key={m.id}>
            {conv.openedMark !== null && m.id > conv.openedMark && (at === 0 || conv.messages[at - 1].id <= conv.openedMark) && (
              <Divider plain style={{ margin: '4px 0', fontSize: 12, color: '#1668dc' }} data-testid="unread-divider">{t('incident.newMessages')}</Divider>
            )}
            <MessageItem m={m} />
          </div>
        ))}
        {conv.pending.map((p) => (
          <Typography.Text key={p.key} type="secondary" data-testid="message-pending">{p.body} ({t('mss.pending')})</Typography.Text>
        ))}
      </div>
      {error && <Alert type="error" showIcon message={error} data-testid="message-error" style={{ marginBottom: 8 }} />}
      <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('incident.placeholder')}
        data-testid="message-input" />
      <Space style={{ marginTop: 8 }}>
        {canInternal && (
          <Checkbox checked={internal} onChange={(e) => setInternal(e.target.checked)} data-testid="message-internal">
            {t('incident.internal')}
          </Checkbox>
        )}
        <Button type="primary" onClick={submit} loading={busy} data-testid="message-send">
          {internal ? t('incident.internal') : t('incident.reply')}
        </Button>
      </Space>
    </div>
  );
}
