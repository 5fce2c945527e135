// My reports, newest first: status and unread replies, changes live over the desk's stream.
import { Badge, Empty, List, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { desk } from '../../desk/api';
import { useDeskT, useLoad } from '../../desk/hooks';
import type { Incident } from '../../desk/types';
import { useDeskStream } from '../../desk/useDeskStream';
import { fmtTime } from '../../lib/format';
import { MSS_STATUS_COLOR } from './mssColors';

export default function MyReports() {
  const t = useDeskT();
  const navigate = useNavigate();
  const list = useLoad(() => desk.list({ reporter: 'me', limit: 100 }), []);
  const upsert = (i: Incident) =>
    list.setData((d) => d && { ...d, items: d.items.some((x) => x.id === i.id) ? d.items.map((x) => (x.id === i.id ? { ...x, ...i } : x)) : [i, ...d.items] });
  useDeskStream(true, {
    onIncident: upsert,
    onMessage: (id) => list.setData((d) => d && { ...d, items: d.items.map((x) => (x.id === id ? { ...x, unread: (x.unread ?? 0) + 1 } : x)) }),
    onReconnect: list.reload,
  });
  const items = list.data?.items ?? [];
  if (list.data && !items.length) return <Empty description={t('mss.empty')} />;
  return (
    <List data-testid="mss-my-reports">
      {items.map((i) => (
        <List.Item key={i.id} onClick={() => navigate(`/incidents/${i.id}`)} data-testid={`mss-report-${i.id}`} data-status={i.status}
          description={`${i.ref} · ${i.system} · ${fmtTime(i.created_at, 'MM-DD HH:mm')}`}
          extra={<Badge content={i.unread || null} data-testid="mss-report-unread"><Tag color={MSS_STATUS_COLOR[i.status]}>{t(`status.${i.status}`)}</Tag></Badge>}>
          {i.title}
        </List.Item>
      ))}
    </List>
  );
}
