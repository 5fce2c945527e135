// The actions an incident allows in its status, for the caller's role (docs/desk-api.md):
// accept / assign / transfer to a group / return / take back / resolve with cause and solution /
// close / reopen / confirm. Those that need words open a small form first.
import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import { inGroup, isHandler } from '../../desk/session';
import { GROUPS } from '../../desk/status';
import type { Account, Incident } from '../../desk/types';

type Field = { name: string; kind: 'handler' | 'area' | 'group'; required?: boolean };
const FORMS: Record<string, Field[]> = {
  assign: [{ name: 'assignee', kind: 'handler', required: true }],
  transfer: [{ name: 'group', kind: 'group', required: true }, { name: 'note', kind: 'area', required: true }],
  return: [{ name: 'note', kind: 'area', required: true }],
  resolve: [{ name: 'cause', kind: 'area', required: true }, { name: 'solution', kind: 'area', required: true }],
  close: [{ name: 'note', kind: 'area' }],
  reopen: [{ name: 'reason', kind: 'area', required: true }],
};

export function allowedActions(i: Incident, a: Account | null): string[] {
  const handler = isHandler(a);
  const own = a?.user === i.reporter;
  const out: string[] = [];
  if (handler && i.status === 'new') out.push('accept', 'assign');
  if (handler && i.status === 'accepted') out.push('assign', 'transfer', 'resolve');
  if (handler && i.status === 'transferred') out.push('take_back');
  if (i.status === 'transferred' && i.group && inGroup(a, i.group)) out.push('return');
  if (own && i.status === 'resolved') out.push('confirm');
  if (handler && i.status === 'resolved') out.push('close');
  if ((handler || own) && (i.status === 'resolved' || i.status === 'closed')) out.push('reopen');
  return out;
}

const PATH: Record<string, string> = { take_back: 'take-back' };

export default function IncidentActions({ incident, account, onDone }: { incident: Incident; account: Account | null; onDone: (i: Incident, action: string) => void }) {
  const t = useDeskT();
  const { message } = App.useApp();
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  // The team to assign to, from the meta answer (handlers and admins get the list).
  const [handlers, setHandlers] = useState<string[] | null>(null);
  useEffect(() => {
    if (open !== 'assign' || handlers) return;
    desk.meta().then((m) => setHandlers(m.handlers ?? []), () => setHandlers([]));
  }, [open, handlers]);
  const run = async (action: string, body: Record<string, unknown> = {}) => {
    setBusy(true);
    try {
      onDone(await desk.action(incident.id, PATH[action] ?? action, body), action);
      setOpen(null);
      form.resetFields();
      void message.success(t('action.done', { a: t(`action.${action}`) }));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const actions = allowedActions(incident, account);
  const fields = open ? FORMS[open] : [];
  return (
    <>
      <Space wrap data-testid="incident-actions">
        {actions.map((a) => (
          <Button key={a} type={a === 'accept' || a === 'resolve' || a === 'confirm' ? 'primary' : 'default'} loading={busy && !open}
            data-testid={`action-${a}`} onClick={() => (FORMS[a] ? setOpen(a) : void run(a))}>
            {t(`action.${a}`)}
          </Button>
        ))}
      </Space>
      <Modal open={!!open} title={open ? t(`action.${open}`) : ''} confirmLoading={busy} destroyOnHidden
        okText={t('action.ok')} okButtonProps={{ 'data-testid': 'action-ok' } as Record<string, string>}
        onCancel={() => setOpen(null)} onOk={() => form.validateFields().then((v) => run(open!, v))}>
        <Form form={form} layout="vertical" preserve={false}>
          {fields.map((f) => (
            <Form.Item key={f.name} name={f.name} label={t(f.name === 'note' || f.name === 'reason' || f.name === 'assignee' ? `action.${f.name}` : `field.${f.name}`)}
              rules={f.required ? [{ required: true, whitespace: true }] : []}>
              {f.kind === 'group' ? (
                <Select data-testid={`action-field-${f.name}`} options={GROUPS.map((g) => ({ value: g, label: t(`group.${g}`) }))} />
              ) : f.kind === 'handler' && handlers && handlers.length > 0 ? (
                <Select showSearch data-testid={`action-field-${f.name}`} options={handlers.map((h) => ({ value: h, label: h }))} />
              ) : f.kind === 'area' ? (
                <Input.TextArea rows={3} data-testid={`action-field-${f.name}`} />
              ) : (
                <Input data-testid={`action-field-${f.name}`} />
              )}
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </>
  );
}
