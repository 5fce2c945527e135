// The incident's fields as the API returns them (customer fields masked or in clear, as the
// caller may see them), its screenshots, and the cause and solution once resolved.
import { Descriptions, Image, Space } from 'antd';
import { Link } from 'react-router-dom';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import type { Attachment, Incident } from '../../desk/types';
import { fmtTime } from '../../lib/format';
import { PriorityTag, SlaTag, StatusTag } from './DeskTags';

export default function IncidentDetails({ incident: i, attachments }: { incident: Incident; attachments: Attachment[] }) {
  const t = useDeskT();
  const c = i.customer ?? {};
  return (
    <>
      <Descriptions size="small" column={3} bordered data-testid="incident-details">
        <Descriptions.Item label={t('field.status')}><StatusTag status={i.status} /></Descriptions.Item>
        <Descriptions.Item label={t('field.priority')}><PriorityTag priority={i.priority} /></Descriptions.Item>
        <Descriptions.Item label={t('field.sla')}><SlaTag incident={i} /></Descriptions.Item>
        <Descriptions.Item label={t('field.system')}>{i.system}</Descriptions.Item>
        <Descriptions.Item label={t('field.class')}>{i.class ? t(`class.${i.class}`) : '—'}{i.subcategory ? ` / ${i.subcategory}` : ''}</Descriptions.Item>
        <Descriptions.Item label={t('field.channel')}>{i.channel}</Descriptions.Item>
        <Descriptions.Item label={t('field.reporter')}>{i.reporter}</Descriptions.Item>
        <Descriptions.Item label={t('field.assignee')}><span data-testid="incident-assignee">{i.assignee ?? '—'}</span></Descriptions.Item>
        <Descriptions.Item label={t('field.group')}><span data-testid="incident-group">{i.group ? t(`group.${i.group}`) : '—'}</span></Descriptions.Item>
        <Descriptions.Item label={t('field.created')}>{fmtTime(i.created_at)}</Descriptions.Item>
        <Descriptions.Item label={t('field.occurred')}>{i.occurred_at ? fmtTime(i.occurred_at) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('incident.fromAlert')}>
          {i.alert_fingerprint ? <Link to={`/alerts?q=${encodeURIComponent(i.alert_fingerprint)}`}>{i.alert_fingerprint}</Link> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('field.customer')} span={3}>
          <Space size={16} data-testid="incident-customer">
            {(['customer_no', 'account', 'name', 'phone'] as const).map((k) =>
              c[k] ? <span key={k}>{t(`field.${k}`)}: {c[k]}</span> : null,
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('field.description')} span={3}>
          <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="incident-description">{i.description}</div>
        </Descriptions.Item>
        {i.cause && <Descriptions.Item label={t('field.cause')} span={3}><span data-testid="incident-cause">{i.cause}</span></Descriptions.Item>}
        {i.solution && <Descriptions.Item label={t('field.solution')} span={3}>{i.solution}</Descriptions.Item>}
      </Descriptions>
      {attachments.length > 0 && (
        <Image.PreviewGroup>
          <Space style={{ marginTop: 12 }} data-testid="incident-attachments">
            {attachments.map((a) => (
              <Image key={a.id} width={120} src={desk.attachmentUrl(a.id)} alt={a.filename} data-testid={`attachment-${a.id}`} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
    </>
  );
}
