// Report a problem in under a minute: system (picker), customer identifiers, what happened, when
// (now by default), screenshots. POST /api/v1/incidents, then each screenshot raw to
// /attachments with its progress; the report's page opens when all are sent.
import { Button, DatePicker, Form, Input, NoticeBar, Selector, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { desk } from '../../desk/api';
import { useDeskT, useLoad } from '../../desk/hooks';
import { fmtTime } from '../../lib/format';
import ScreenshotPicker from './ScreenshotPicker';
import type { Picked } from './ScreenshotPicker';
import { uploadErrorText } from './uploadError';

interface Values {
  system?: string[];
  title: string;
  description: string;
  customer_no?: string;
  account?: string;
  name?: string;
  phone?: string;
}

export default function MssReport() {
  const t = useDeskT();
  const navigate = useNavigate();
  const meta = useLoad(() => desk.meta(), []);
  const [files, setFiles] = useState<Picked[]>([]);
  const [when, setWhen] = useState<Date | null>(null);
  const [pickTime, setPickTime] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    setErrors([]);
    try {
      const customer = { customer_no: v.customer_no, account: v.account, name: v.name, phone: v.phone };
      const incident = await desk.create({
        title: v.title, description: v.description, system: v.system?.[0] ?? '',
        customer: Object.values(customer).some(Boolean) ? customer : undefined,
        occurred_at: when ? when.getTime() : undefined,
      });
      const failed: string[] = [];
      for (const f of files) {
        try {
          await desk.upload(incident.id, f.file, (p) => setFiles((old) => old.map((x) => (x.key === f.key ? { ...x, progress: p } : x))));
        } catch (e) {
          failed.push(uploadErrorText(t, f.file.name, e));
        }
      }
      Toast.show({ content: t('mss.reported', { ref: incident.ref }) });
      navigate(`/incidents/${incident.id}`, { state: { uploadErrors: failed } });
    } catch (e) {
      setErrors([(e as Error).message]);
    } finally {
      setBusy(false);
    }
  };
  const required = (field: string) => [{ required: true, whitespace: true, message: t('login.required', { field: t(`field.${field}`) }) }];
  return (
    <div data-testid="mss-report">
      {errors.map((e) => <NoticeBar key={e} content={e} color="error" wrap data-testid="mss-report-error" />)}
      <Form layout="horizontal" onFinish={submit}
        footer={<Button block type="submit" color="primary" size="large" loading={busy} data-testid="mss-submit">{t('mss.submit')}</Button>}>
        <Form.Item name="system" label={t('field.system')} rules={[{ required: true, message: t('login.required', { field: t('field.system') }) }]}>
          <Selector columns={3} options={(meta.data?.systems ?? []).map((s) => ({ label: s, value: s }))} data-testid="mss-system" />
        </Form.Item>
        <Form.Item name="title" label={t('field.title')} rules={required('title')}><Input maxLength={200} data-testid="mss-title" /></Form.Item>
        <Form.Item name="description" label={t('field.description')} rules={required('description')}>
          <TextArea rows={4} maxLength={5000} data-testid="mss-description" />
        </Form.Item>
        <Form.Item name="customer_no" label={t('field.customer_no')}><Input data-testid="mss-customer-no" /></Form.Item>
        <Form.Item name="account" label={t('field.account')}><Input data-testid="mss-account" /></Form.Item>
        <Form.Item name="name" label={t('field.name')}><Input data-testid="mss-name" /></Form.Item>
        <Form.Item name="phone" label={t('field.phone')}><Input type="tel" data-testid="mss-phone" /></Form.Item>
        <Form.Item label={t('mss.time')} onClick={() => setPickTime(true)}>
          <span data-testid="mss-time">{when ? fmtTime(when.getTime(), 'YYYY-MM-DD HH:mm') : t('mss.now')}</span>
          <DatePicker visible={pickTime} precision="minute" max={new Date()} onClose={() => setPickTime(false)} onConfirm={setWhen} />
        </Form.Item>
        <Form.Item label={t('mss.screenshots')}>
          <ScreenshotPicker files={files} onChange={setFiles} onError={(m) => setErrors((old) => [...old, m])} />
        </Form.Item>
      </Form>
    </div>
  );
}
