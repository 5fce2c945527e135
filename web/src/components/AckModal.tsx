// Acknowledges a firing alert (POST /api/v1/alerts/{fingerprint}/ack): it keeps firing and
// stays on screen, repeat notifications stop.
import { App, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api';
import type { AlertRow } from '../lib/types';
import { rememberUser, rememberedUser } from '../lib/user';

export default function AckModal({
  alert,
  onClose,
  onDone,
}: {
  alert: AlertRow | null;
  onClose: () => void;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const [by, setBy] = useState(rememberedUser());
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (alert) {
      setComment('');
      setBy(rememberedUser());
    }
  }, [alert]);

  const save = async () => {
    if (!alert?.fingerprint) return;
    setSaving(true);
    try {
      await api.ack(alert.fingerprint, { comment: comment.trim(), by: by.trim() || 'console' });
      if (by.trim()) rememberUser(by.trim());
      message.success(t('alerts.acked'));
      onDone?.();
      onClose();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={alert !== null}
      title={t('alerts.ackTitle')}
      okText={t('alerts.ack')}
      cancelText={t('common.cancel')}
      onOk={save}
      confirmLoading={saving}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'ack-save' }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('alerts.ackComment')}>
          <Input.TextArea
            data-testid="ack-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            rows={2}
            maxLength={2000}
          />
        </Form.Item>
        <Form.Item label={t('silence.createdBy')}>
          <Input data-testid="ack-by" value={by} onChange={(e) => setBy(e.target.value)} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
