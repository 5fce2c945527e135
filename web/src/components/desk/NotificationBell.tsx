// The header's bell: the unread count of the user's in-app notifications (live over the desk's
// stream), opening the notifications page.
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import { useDeskStream } from '../../desk/useDeskStream';

export default function NotificationBell() {
  const t = useDeskT();
  const navigate = useNavigate();
  const [unread, setUnread] = useState(0);
  const refresh = () => {
    desk.notifications(true).then((n) => setUnread(n.unread), () => undefined);
  };
  useEffect(refresh, []);
  useDeskStream(true, { onNotification: (_n, count) => setUnread(count), onReconnect: refresh });
  return (
    <Tooltip title={t('notify.title')}>
      <Badge count={unread} size="small" data-testid="notify-count" data-count={unread}>
        <Button icon={<BellOutlined />} onClick={() => navigate('/desk/notifications')} data-testid="notify-bell" />
      </Badge>
    </Tooltip>
  );
}
