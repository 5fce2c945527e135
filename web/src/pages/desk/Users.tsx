// /desk/users (admin): who may use the desk — name, role, groups, e-mail address (replies and
// resolutions of their reports are also mailed there), disabled, password to change; create and
// edit in a form (UserForm). GET / POST / PATCH /api/v1/users.
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { LoadError } from '../../components/PageState';
import UserForm from '../../components/desk/UserForm';
import { useDeskT, useLoad } from '../../desk/hooks';
import { users } from '../../desk/users';
import type { User } from '../../desk/users';
import { fmtTime } from '../../lib/format';

export default function Users() {
  const t = useDeskT();
  const list = useLoad(() => users.list(), []);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [generated, setGenerated] = useState<{ name: string; password: string } | null>(null);

  const saved = (u: User, password?: string) => {
    setEditing(null);
    setGenerated(password ? { name: u.name, password } : null);
    list.setData((d) => {
      if (!d) return d;
      const known = d.users.some((x) => x.name === u.name);
      return { users: known ? d.users.map((x) => (x.name === u.name ? u : x)) : [...d.users, u] };
    });
  };

  const columns: ColumnsType<User> = [
    { title: t('users.name'), dataIndex: 'name', render: (n: string) => <span data-testid="user-name">{n}</span> },
    { title: t('users.role'), dataIndex: 'role', render: (r: string) => t(`role.${r}`) },
    { title: t('users.groups'), dataIndex: 'groups', render: (g: string[]) => (g ?? []).map((x) => <Tag key={x}>{t(`group.${x}`)}</Tag>) },
    {
      title: t('users.email'), dataIndex: 'email',
      render: (e?: string | null) => <span data-testid="user-email">{e || <Typography.Text type="secondary">—</Typography.Text>}</span>,
    },
    {
      title: t('field.status'), key: 'state',
      render: (_, u) => (
        <Space size={4}>
          {u.disabled ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>}
          {u.must_change_password && <Tag color="orange">{t('users.mustChange')}</Tag>}
        </Space>
      ),
    },
    { title: t('users.created'), dataIndex: 'created_at', render: (v?: string | null) => (v && Date.parse(v) ? fmtTime(Date.parse(v)) : '—') },
    {
      title: '', key: 'edit', width: 90,
      render: (_, u) => <Button size="small" onClick={() => setEditing(u)} data-testid={`user-edit-${u.name}`}>{t('users.editButton')}</Button>,
    },
  ];

  return (
    <div data-testid="page-desk-users">
      <Space style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('nav.users')}</Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')} data-testid="user-create">{t('users.create')}</Button>
      </Space>
      {generated && (
        <Alert type="success" showIcon closable onClose={() => setGenerated(null)} style={{ marginBottom: 12 }}
          message={t('users.generated', { name: generated.name })}
          description={<Typography.Text copyable code data-testid="user-generated-password">{generated.password}</Typography.Text>} />
      )}
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      <Table rowKey="name" size="middle" columns={columns} dataSource={list.data?.users ?? []} loading={list.loading && !list.data}
        pagination={false} data-testid="users-table"
        onRow={(u) => ({ 'data-testid': `user-row-${u.name}` } as React.HTMLAttributes<HTMLElement>)} />
      {editing && <UserForm user={editing} onClose={() => setEditing(null)} onSaved={saved} />}
    </div>
  );
}
