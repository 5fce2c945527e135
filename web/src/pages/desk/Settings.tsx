// /desk/settings (admin): the systems people report against, subcategories per class, SLA targets
// per priority (business minutes) and the business hours. PUT /api/v1/incidents/settings.
import { App, Button, Card, Form, Input, InputNumber, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { LoadError, Loading } from '../../components/PageState';
import { desk } from '../../desk/api';
import { useDeskT, useLoad } from '../../desk/hooks';
import type { Meta } from '../../desk/types';

function Subcategories({ meta, onChange }: { meta: Meta; onChange: () => void }) {
  const t = useDeskT();
  const { message } = App.useApp();
  const [names, setNames] = useState<Record<string, string>>({});
  const add = (cls: string) =>
    desk.addSubcategory(cls, names[cls] ?? '').then(() => (setNames({ ...names, [cls]: '' }), onChange()), (e: Error) => void message.error(e.message));
  const toggle = (id: number, disabled: boolean) =>
    desk.updateSubcategory(id, { disabled }).then(onChange, (e: Error) => void message.error(e.message));
  return (
    <Space align="start" wrap>
      {meta.classes.map((c) => (
        <Card key={c.class} size="small" title={t(`class.${c.class}`)} style={{ width: 280 }} data-testid={`settings-class-${c.class}`}>
          <List size="small" dataSource={c.subcategories} renderItem={(s) => (
            <List.Item actions={[<a key="t" onClick={() => toggle(s.id, !s.disabled)}>{s.disabled ? t('settings.enable') : t('settings.disable')}</a>]}>
              {s.disabled ? <Tag>{s.name}</Tag> : s.name}
            </List.Item>
          )} />
          <Space.Compact style={{ marginTop: 8 }}>
            <Input value={names[c.class] ?? ''} onChange={(e) => setNames({ ...names, [c.class]: e.target.value })} data-testid={`settings-sub-${c.class}`} />
            <Button onClick={() => add(c.class)} disabled={!names[c.class]?.trim()}>{t('settings.addSub')}</Button>
          </Space.Compact>
        </Card>
      ))}
    </Space>
  );
}

export default function Settings() {
  const t = useDeskT();
  const { message } = App.useApp();
  const meta = useLoad(() => desk.meta(), []);
  const [busy, setBusy] = useState(false);
  if (!meta.data) return meta.error ? <LoadError error={meta.error} onRetry={meta.reload} /> : <Loading />;
  const save = async (v: { systems: string[]; priorities: Meta['priorities']; start: string; end: string }) => {
    setBusy(true);
    try {
      meta.setData(() => undefined);
      await desk.saveSettings({ systems: v.systems, priorities: v.priorities, business_hours: { start: v.start, end: v.end } });
      void message.success(t('settings.saved'));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
      meta.reload();
    }
  };
  const m = meta.data;
  const hhmm = [{ required: true }, { pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }];
  return (
    <div data-testid="page-desk-settings">
      <Typography.Title level={4}>{t('settings.title')}</Typography.Title>
      <Form layout="vertical" onFinish={save} data-testid="settings-form"
        initialValues={{ systems: m.systems, priorities: m.priorities, start: m.business_hours.start, end: m.business_hours.end }}>
        <Form.Item name="systems" label={t('settings.systems')}>
          <Select mode="tags" data-testid="settings-systems" />
        </Form.Item>
        <Form.Item label={t('settings.sla')}>
          <Form.List name="priorities">
            {(fields) => (
              <Table size="small" pagination={false} rowKey="key" dataSource={fields} style={{ maxWidth: 480 }} columns={[
                { title: t('field.priority'), render: (_, f) => m.priorities[f.name]?.priority },
                { title: t('settings.firstResponse'), render: (_, f) => <Form.Item noStyle name={[f.name, 'first_response_minutes']} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item> },
                { title: t('settings.resolution'), render: (_, f) => <Form.Item noStyle name={[f.name, 'resolution_minutes']} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item> },
              ]} />
            )}
          </Form.List>
        </Form.Item>
        <Space>
          <Form.Item name="start" label={`${t('settings.hours')} · ${t('settings.start')}`} rules={hhmm}><Input style={{ width: 100 }} /></Form.Item>
          <Form.Item name="end" label={t('settings.end')} rules={hhmm}><Input style={{ width: 100 }} /></Form.Item>
        </Space>
        <Form.Item><Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">{t('common.save', { ns: 'translation' })}</Button></Form.Item>
      </Form>
      <Typography.Title level={5}>{t('settings.subcategories')}</Typography.Title>
      <Subcategories meta={m} onChange={meta.reload} />
    </div>
  );
}
