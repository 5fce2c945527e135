// One of my reports on the phone: status, what I wrote, my screenshots, the conversation with the
// handlers (live; text replies sent offline go out when the connection returns; replies may carry
// images, MssReplyBox), and on a resolved report "solved, confirm" or "not solved, reopen".
import { Button, Card, Dialog, Image, NoticeBar, Space, Tag, TextArea } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router-dom';
import { desk } from '../../desk/api';
import { useDeskT, useLoad } from '../../desk/hooks';
import { useConversation } from '../../desk/useConversation';
import { useDeskStream } from '../../desk/useDeskStream';
import { fmtTime } from '../../lib/format';
import MssMessage from './MssMessage';
import MssReplyBox from './MssReplyBox';
import { MSS_STATUS_COLOR } from './mssColors';

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => (window.removeEventListener('online', on), window.removeEventListener('offline', off));
  }, []);
  return online;
}

export default function MssIncident() {
  const t = useDeskT();
  const id = Number(useParams().id);
  const uploadErrors = (useLocation().state as { uploadErrors?: string[] } | null)?.uploadErrors ?? [];
  const page = useLoad(() => desk.page(id), [id]);
  const conv = useConversation(id);
  const online = useOnline();
  const [error, setError] = useState<string | null>(null);
  useDeskStream(true, { onIncident: (i) => i.id === id && page.reload(), onReconnect: page.reload });

  const act = async (action: 'confirm' | 'reopen') => {
    let body = {};
    if (action === 'reopen') {
      let reason = '';
      const ok = await Dialog.confirm({
        title: t('mss.reopenReason'),
        content: <TextArea rows={3} onChange={(v) => (reason = v)} data-testid="mss-reopen-reason" />,
        confirmText: <span data-testid="mss-reopen-ok">{t('action.reopen')}</span>,
      });
      if (!ok || !reason.trim()) return;
      body = { reason };
    }
    try {
      await desk.action(id, action, body);
      page.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (!page.data) return page.error ? <NoticeBar content={page.error.message} color="error" wrap /> : null;
  const { incident: i } = page.data;
  // The report's own screenshots; a reply's images show in the conversation.
  const attachments = page.data.attachments.filter((a) => !a.message_id);
  return (
    <div data-testid="mss-incident" data-status={i.status}>
      {!online && <NoticeBar content={t('mss.offline')} color="alert" data-testid="mss-offline" />}
      {[...uploadErrors, ...(error ? [error] : [])].map((e) => <NoticeBar key={e} content={e} color="error" wrap data-testid="mss-incident-error" />)}
      <Card title={<span data-testid="mss-incident-ref">{i.ref} {i.title}</span>}
        extra={<Tag color={MSS_STATUS_COLOR[i.status]} data-testid="mss-incident-status">{t(`status.${i.status}`)}</Tag>}>
        <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="mss-incident-description">{i.description}</div>
        <div style={{ color: '#999', fontSize: 12, marginTop: 6 }}>{i.system} · {fmtTime(i.created_at)}</div>
        {i.solution && <div style={{ marginTop: 8 }} data-testid="mss-incident-solution"><b>{t('field.solution')}:</b> {i.solution}</div>}
        <Space wrap style={{ marginTop: 8 }}>
          {attachments.map((a) => <Image key={a.id} src={desk.attachmentUrl(a.id)} width={72} height={72} fit="cover" data-testid={`mss-attachment-${a.id}`} />)}
        </Space>
        {i.status === 'resolved' && (
          <Space style={{ marginTop: 12 }}>
            <Button color="success" size="small" onClick={() => void act('confirm')} data-testid="mss-confirm">{t('mss.confirmDone')}</Button>
            <Button size="small" onClick={() => void act('reopen')} data-testid="mss-reopen">{t('mss.reopen')}</Button>
          </Space>
        )}
        {i.status === 'closed' && (
          <Button size="small" style={{ marginTop: 12 }} onClick={() => void act('reopen')} data-testid="mss-reopen">{t('mss.reopen')}</Button>
        )}
      </Card>
      <div style={{ padding: 12 }} data-testid="mss-messages">
        {conv.messages.map((m) => <MssMessage key={m.id} m={m} mine={m.author === i.reporter} />)}
        {conv.pending.map((p) => <div key={p.key} style={{ textAlign: 'right', color: '#999' }} data-testid="mss-message-pending">
          {p.body}{p.attachmentIds.length > 0 && ` [${t('mss.images', { n: p.attachmentIds.length })}]`} · {t('mss.pending')}</div>)}
      </div>
      {i.status !== 'closed' && <MssReplyBox incidentId={id} send={conv.send} onError={setError} />}
    </div>
  );
}
