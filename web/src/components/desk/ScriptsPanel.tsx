// Data-fix scripts of an incident: a handler adds one (description + the script), an ops member
// who did not write it approves or rejects it with a comment, then records the result of running
// it. Scripts are shown as text (monospace), never executed by the page.
import { App, Button, Card, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import { inGroup, isHandler } from '../../desk/session';
import type { Account, Script } from '../../desk/types';
import { fmtTime } from '../../lib/format';

const COLOR: Record<Script['status'], string> = { pending: 'orange', approved: 'blue', rejected: 'red', executed: 'green', failed: 'volcano' };
type Dialog = { kind: 'add' } | { kind: 'approve' | 'reject' | 'result'; script: Script };

export default function ScriptsPanel({ incidentId, scripts, account, onChange }: {
  incidentId: number; scripts: Script[]; account: Account | null; onChange: () => void;
}) {
  const t = useDeskT();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const ops = inGroup(account, 'ops');
  const submit = async () => {
    if (!dialog) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      if (dialog.kind === 'add') await desk.addScript(incidentId, v.description, v.content);
      else if (dialog.kind === 'result') await desk.scriptResult(incidentId, dialog.script.id, v.succeeded === true, v.output ?? '');
      else await desk.reviewScript(incidentId, dialog.script.id, dialog.kind, v.comment ?? '');
      setDialog(null);
      onChange();
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const result = (succeeded: boolean) => {
    form.setFieldValue('succeeded', succeeded);
    void submit();
  };
  return (
    <div data-testid="incident-scripts">
      {scripts.map((s) => (
        <Card key={s.id} size="small" style={{ marginBottom: 8 }} data-testid={`script-${s.id}`} data-status={s.status}
          title={<Space><Tag color={COLOR[s.status]} data-testid="script-status">{t(`script.status.${s.status}`)}</Tag>{s.description}</Space>}
          extra={<span style={{ fontSize: 12 }}>{s.author} · {fmtTime(s.created_at)}</span>}>
          <pre style={{ background: '#f6f8fa', padding: 8, whiteSpace: 'pre-wrap', margin: 0 }}>{s.content}</pre>
          {s.reviewer && <Typography.Paragraph style={{ marginTop: 8 }}>{s.reviewer}: {s.review_comment}</Typography.Paragraph>}
          {s.output && <pre style={{ marginTop: 8, whiteSpace: 'pre-wrap' }}>{s.executed_by}: {s.output}</pre>}
          <Space>
            {ops && s.status === 'pending' && s.author !== account?.user && (
              <>
                <Button size="small" type="primary" data-testid="script-approve" onClick={() => setDialog({ kind: 'approve', script: s })}>{t('script.approve')}</Button>
                <Button size="small" danger data-testid="script-reject" onClick={() => setDialog({ kind: 'reject', script: s })}>{t('script.reject')}</Button>
              </>
            )}
            {ops && s.status === 'approved' && (
              <Button size="small" data-testid="script-result" onClick={() => setDialog({ kind: 'result', script: s })}>{t('script.result')}</Button>
            )}
          </Space>
        </Card>
      ))}
      {isHandler(account) && (
        <Button onClick={() => setDialog({ kind: 'add' })} data-testid="script-add">{t('script.add')}</Button>
      )}
      <Modal open={!!dialog} destroyOnHidden confirmLoading={busy} onCancel={() => setDialog(null)}
        title={dialog ? t(dialog.kind === 'add' ? 'script.add' : `script.${dialog.kind}`) : ''}
        onOk={dialog?.kind === 'result' ? undefined : submit} okButtonProps={{ 'data-testid': 'script-ok' } as Record<string, string>}
        footer={dialog?.kind === 'result' ? [
          <Button key="ok" type="primary" data-testid="script-succeeded" loading={busy} onClick={() => result(true)}>{t('script.succeeded')}</Button>,
          <Button key="fail" danger data-testid="script-failed" loading={busy} onClick={() => result(false)}>{t('script.failed')}</Button>,
        ] : undefined}>
        <Form form={form} layout="vertical" preserve={false}>
          {dialog?.kind === 'add' && (
            <>
              <Form.Item name="description" label={t('script.description')} rules={[{ required: true, whitespace: true }]}>
                <Input data-testid="script-description" />
              </Form.Item>
              <Form.Item name="content" label={t('script.content')} rules={[{ required: true, whitespace: true }]}>
                <Input.TextArea rows={6} style={{ fontFamily: 'monospace' }} data-testid="script-content" />
              </Form.Item>
            </>
          )}
          {(dialog?.kind === 'approve' || dialog?.kind === 'reject') && (
            <Form.Item name="comment" label={t('script.comment')} rules={dialog.kind === 'reject' ? [{ required: true, whitespace: true }] : []}>
              <Input.TextArea rows={3} data-testid="script-comment" />
            </Form.Item>
          )}
          {dialog?.kind === 'result' && (
            <>
              <Form.Item name="succeeded" hidden><Input /></Form.Item>
              <Form.Item name="output" label={t('script.output')}>
                <Input.TextArea rows={4} data-testid="script-output" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </div>
  );
}
