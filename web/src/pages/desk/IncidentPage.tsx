// /desk/incidents/:id: one incident for the back office — details, actions by status, the
// conversation (live), the history timeline and the data-fix scripts. Any change announced on the
// desk's stream reloads the page's data (history and scripts come with it).
import { Card, Col, Row, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { Loading, LoadError } from '../../components/PageState';
import Conversation from '../../components/desk/Conversation';
import HistoryTimeline from '../../components/desk/HistoryTimeline';
import IncidentActions from '../../components/desk/IncidentActions';
import IncidentDetails from '../../components/desk/IncidentDetails';
import ScriptsPanel from '../../components/desk/ScriptsPanel';
import { desk } from '../../desk/api';
import { useAccount, useDeskT, useLoad } from '../../desk/hooks';
import { useDeskStream } from '../../desk/useDeskStream';

export default function IncidentPage() {
  const t = useDeskT();
  const id = Number(useParams().id);
  const { account } = useAccount();
  const navigate = useNavigate();
  const page = useLoad(() => desk.page(id), [id]);
  useDeskStream(!!account, {
    onIncident: (i) => i.id === id && page.reload(),
    onReconnect: page.reload,
  });
  if (!page.data) return page.error ? <LoadError error={page.error} onRetry={page.reload} /> : <Loading />;
  const { incident, history, scripts, attachments } = page.data;
  const canInternal = account?.role !== 'reporter';
  return (
    <div data-testid="page-desk-incident" data-id={incident.id} data-status={incident.status}>
      {page.error && <LoadError error={page.error} onRetry={page.reload} />}
      <Space align="baseline" style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="incident-ref">{incident.ref}</Typography.Title>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="incident-title">{incident.title}</Typography.Title>
      </Space>
      <div style={{ marginBottom: 12 }}>
        <IncidentActions incident={incident} account={account}
          // A group that hands an incident back no longer sees it: back to the queue.
          onDone={(_i, action) => (action === 'return' ? navigate('/desk') : page.reload())} />
      </div>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('incident.details')} style={{ marginBottom: 16 }}>
            <IncidentDetails incident={incident} attachments={attachments.filter((a) => !a.message_id)} />
          </Card>
          <Card size="small" title={t('incident.conversation')}>
            <Conversation incidentId={incident.id} canInternal={canInternal} />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('incident.scripts')} style={{ marginBottom: 16 }}>
            <ScriptsPanel incidentId={incident.id} scripts={scripts} account={account} onChange={page.reload} />
          </Card>
          <Card size="small" title={t('incident.history')}>
            <HistoryTimeline history={history} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
