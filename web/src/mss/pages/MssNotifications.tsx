// My notifications (a reply, a resolution...), newest first; a tap opens the report and marks the
// notification read.
import { Button, Empty, List } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { desk } from '../../desk/api';
import { useDeskT, useLoad, useNotificationText } from '../../desk/hooks';
import { useDeskStream } from '../../desk/useDeskStream';
import { fmtTime } from '../../lib/format';

export default function MssNotifications() {
  const t = useDeskT();
  const textOf = useNotificationText();
  const navigate = useNavigate();
  const list = useLoad(() => desk.notifications(), []);
  useDeskStream(true, {
    onNotification: (n, unread) => list.setData((d) => d && { items: [n, ...d.items.filter((x) => x.id !== n.id)], unread }),
    onReconnect: list.reload,
  });
  const open = (id: number, incidentId: number) => {
    void desk.readNotifications({ ids: [id] }).catch(() => undefined);
    navigate(`/incidents/${incidentId}`);
  };
  const items = list.data?.items ?? [];
  return (
    <div data-testid="mss-notifications">
      <Button size="small" fill="none" onClick={() => desk.readNotifications({ all: true }).then(list.reload, () => undefined)} data-testid="mss-read-all">
        {t('notify.readAll')}
      </Button>
      {list.data && !items.length ? <Empty description={t('notify.empty')} /> : (
        <List>
          {items.map((n) => (
            <List.Item key={n.id} onClick={() => open(n.id, n.incident_id)} description={fmtTime(n.created_at)}
              data-testid={`mss-notification-${n.id}`} style={{ fontWeight: n.read_at ? 400 : 600 }}>
              {textOf(n)}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
