// 静默: the silences (maintenance windows) with their matchers and times; create, edit, expire.
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../components/PageState';
import SilenceModal from '../components/SilenceModal';
import type { SilenceTarget } from '../components/SilenceModal';
import { usePolling } from '../hooks/usePolling';
import { api } from '../lib/api';
import { fmtTime } from '../lib/format';
import type { Silence } from '../lib/types';

const STATE_COLOR: Record<string, string> = { active: 'green', pending: 'blue', expired: 'default' };

export default function Silences() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [all, setAll] = useState(false);
  const [target, setTarget] = useState<SilenceTarget | null>(null);
  const q = usePolling((signal) => api.silences(all, signal), [all], 30_000);

  const expire = async (s: Silence) => {
    try {
      await api.expireSilence(s.id);
      message.success(t('silences.expired', { id: s.id }));
      q.reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const columns: ColumnsType<Silence> = [
    { title: 'ID', dataIndex: 'id', width: 70, sorter: (a, b) => a.id - b.id },
    {
      title: t('silences.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: string) => (
        <Tag color={STATE_COLOR[s]}>{s === 'active' || s === 'pending' || s === 'expired' ? t(`silences.states.${s}`) : s}</Tag>
      ),
    },
    {
      title: t('silence.matchers'),
      key: 'matchers',
      render: (_, s) => (
        <Space size={4} wrap>
          {s.matchers.map((m, i) => (
            <Tag key={i} className="vigil-mono">
              {m.name}
              {m.op}
              {m.value}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('silences.starts'),
      dataIndex: 'starts_at_ms',
      width: 160,
      sorter: (a, b) => a.starts_at_ms - b.starts_at_ms,
      render: (ms: number) => <span className="vigil-num">{fmtTime(ms)}</span>,
    },
    {
      title: t('silences.ends'),
      dataIndex: 'ends_at_ms',
      width: 160,
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.ends_at_ms - b.ends_at_ms,
      render: (ms: number) => <span className="vigil-num">{fmtTime(ms)}</span>,
    },
    { title: t('silence.createdBy'), dataIndex: 'created_by', width: 110 },
    { title: t('silence.comment'), dataIndex: 'comment', ellipsis: true },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, s) =>
        s.state === 'expired' ? null : (
          <Space size={4}>
            <Button size="small" onClick={() => setTarget({ silence: s })} data-testid="silence-edit">
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('silences.expireConfirm', { id: s.id })}
              okText={t('silences.expire')}
              cancelText={t('common.cancel')}
              onConfirm={() => expire(s)}
            >
              <Button size="small" danger data-testid="silence-expire">
                {t('silences.expire')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <div data-testid="page-silences">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.silences')}
        </Typography.Title>
        <Space>
          <Switch size="small" checked={all} onChange={setAll} data-testid="silences-show-expired" />
          {t('silences.showExpired')}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ matchers: [] })} data-testid="new-silence">
            {t('silences.new')}
          </Button>
        </Space>
      </Space>
      {q.error && <LoadError error={q.error} onRetry={q.reload} />}
      <Card size="small">
        <Table<Silence>
          size="small"
          rowKey="id"
          data-testid="silences-table"
          columns={columns}
          dataSource={q.data?.silences ?? []}
          loading={q.loading && !q.data}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 1100 }}
          onRow={(s) => ({ 'data-testid': `silence-row-${s.id}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('silences.empty') }}
        />
      </Card>
      <SilenceModal target={target} onClose={() => setTarget(null)} onSaved={q.reload} />
    </div>
  );
}
