// /desk/notifications: the user's in-app notifications, newest first, each linking to its
// incident; opening one marks it read, "mark all read" clears the bell.
import { Badge, Button, List, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { LoadError } from '../../components/PageState';
import { desk } from '../../desk/api';
import { useAccount, useDeskT, useLoad, useNotificationText } from '../../desk/hooks';
import { useDeskStream } from '../../desk/useDeskStream';
import { fmtTime } from '../../lib/format';

export default function Notifications() {
  const t = useDeskT();
  const textOf = useNotificationText();
  const { account } = useAccount();
  const list = useLoad(() => desk.notifications(), []);
  useDeskStream(!!account, {
    onNotification: (n, unread) => list.setData((d) => d && { items: [n, ...d.items.filter((x) => x.id !== n.id)], unread }),
    onReconnect: list.reload,
  });
  const readAll = () => desk.readNotifications({ all: true }).then(list.reload, () => undefined);
  const readOne = (id: number) => void desk.readNotifications({ ids: [id] }).catch(() => undefined);
  return (
    <div data-testid="page-desk-notifications">
      <Typography.Title level={4}>
        {t('notify.title')} <Badge count={list.data?.unread ?? 0} />
      </Typography.Title>
      <Button onClick={readAll} data-testid="notify-read-all" style={{ marginBottom: 12 }}>{t('notify.readAll')}</Button>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      <List
        bordered
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('notify.empty') }}
        renderItem={(n) => (
          <List.Item data-testid={`notification-${n.id}`} data-read={n.read_at ? 'true' : 'false'}>
            <Link to={`/desk/incidents/${n.incident_id}`} onClick={() => readOne(n.id)} style={{ fontWeight: n.read_at ? 400 : 600 }}>
              {textOf(n)}
            </Link>
            <span style={{ color: '#8c8c8c' }}>{fmtTime(n.created_at)}</span>
          </List.Item>
        )}
      />
    </div>
  );
}
