// Asks for the API token: from the header's key button, and when a write answers 401.
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentToken, registerTokenAsker, setToken } from '../lib/token';

interface Ask {
  reason: string;
  resolve: (token: string | null) => void;
}

export default function TokenModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [ask, setAsk] = useState<Ask | null>(null);
  const [value, setValue] = useState('');
  const askRef = useRef<Ask | null>(null);
  askRef.current = ask;

  useEffect(() => {
    registerTokenAsker(
      (reason) =>
        new Promise<string | null>((resolve) => {
          setValue(currentToken());
          setAsk({ reason, resolve });
        }),
    );
    return () => registerTokenAsker(null);
  }, []);

  useEffect(() => {
    if (open) setValue(currentToken());
  }, [open]);

  const visible = open || ask !== null;
  const close = (token: string | null) => {
    askRef.current?.resolve(token);
    setAsk(null);
    onClose();
  };
  const save = () => {
    const token = value.trim();
    setToken(token);
    close(token || null);
  };

  return (
    <Modal
      open={visible}
      title={t('token.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={save}
      onCancel={() => close(null)}
      okButtonProps={{ 'data-testid': 'token-save' }}
      destroyOnHidden
    >
      {ask && <Alert type="warning" showIcon message={t('token.needed')} description={ask.reason} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('token.help')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={save}>
        <Form.Item label={t('token.label')}>
          <Input.Password
            data-testid="token-input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onPressEnter={save}
            autoFocus
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
