// The admin's form for one user, in a modal: create (name, role, groups, e-mail, an optional
// password: left empty, the server generates one and it is shown once) or edit (role, groups,
// e-mail, disabled). Only what changed is sent; an emptied e-mail removes the address.
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { useDeskT } from '../../desk/hooks';
import { GROUPS } from '../../desk/status';
import type { Role } from '../../desk/types';
import { users } from '../../desk/users';
import type { User, UserChange } from '../../desk/users';

const ROLES: Role[] = ['reporter', 'member', 'handler', 'admin'];

interface Values {
  name: string;
  role: Role;
  groups?: string[];
  email?: string;
  password?: string;
  disabled?: boolean;
}

function changes(old: User, v: Values): UserChange {
  const out: UserChange = {};
  if (v.role !== old.role) out.role = v.role;
  const groups = v.role === 'member' ? v.groups ?? [] : [];
  if (groups.join(',') !== (old.groups ?? []).join(',')) out.groups = groups;
  const email = (v.email ?? '').trim();
  if (email !== (old.email ?? '')) out.email = email;
  if (!!v.disabled !== old.disabled) out.disabled = !!v.disabled;
  return out;
}

export default function UserForm({ user, onClose, onSaved }: {
  user: User | 'new'; onClose: () => void; onSaved: (u: User, generatedPassword?: string) => void;
}) {
  const t = useDeskT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const creating = user === 'new';
  const role = Form.useWatch('role', form);
  const save = async (v: Values) => {
    setBusy(true);
    try {
      if (creating) {
        const email = v.email?.trim();
        const made = await users.create({
          name: v.name.trim(), role: v.role, groups: v.role === 'member' ? v.groups ?? [] : [],
          email: email || undefined, password: v.password || undefined,
        });
        onSaved(made, made.password);
      } else {
        const change = changes(user, v);
        onSaved(Object.keys(change).length ? await users.update(user.name, change) : user);
      }
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const initial: Partial<Values> = creating
    ? { role: 'reporter', groups: [] }
    : { name: user.name, role: user.role, groups: user.groups, email: user.email ?? '', disabled: user.disabled };
  return (
    <Modal open title={creating ? t('users.create') : t('users.edit', { name: (user as User).name })} onCancel={onClose}
      confirmLoading={busy} destroyOnHidden okText={t('action.ok')}
      okButtonProps={{ 'data-testid': 'user-form-ok' } as Record<string, string>} onOk={() => form.submit()}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={save} data-testid="user-form">
        {creating && (
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true, whitespace: true, message: t('login.required', { field: t('users.name') }) }]}>
            <Input data-testid="user-form-name" />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('users.role')}>
          <Select data-testid="user-form-role" options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        {role === 'member' && (
          <Form.Item name="groups" label={t('users.groups')}>
            <Select mode="multiple" data-testid="user-form-groups" options={GROUPS.map((g) => ({ value: g, label: t(`group.${g}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="email" label={t('users.email')} extra={t('users.emailHelp')}>
          <Input type="email" autoComplete="off" data-testid="user-form-email" />
        </Form.Item>
        {creating && (
          <Form.Item name="password" label={t('login.password')} extra={t('users.passwordHelp')}>
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        )}
        {!creating && (
          <Form.Item name="disabled" label={t('users.disabled')} valuePropName="checked">
            <Switch data-testid="user-form-disabled" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
