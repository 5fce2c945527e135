// /desk: the incident queue. Filters (status, system, class, priority, assignee incl. mine,
// group, SLA at risk / breached, text) live in the URL; new and changed incidents arrive over
// the desk's stream and take their place without a reload.
import { Badge, Button, Input, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { LoadError } from '../../components/PageState';
import { PriorityTag, SlaTag, StatusTag } from '../../components/desk/DeskTags';
import { desk } from '../../desk/api';
import { useAccount, useDeskT, useLoad } from '../../desk/hooks';
import { CLASSES, GROUPS, PRIORITIES, STATUSES } from '../../desk/status';
import type { Incident } from '../../desk/types';
import { useDeskStream } from '../../desk/useDeskStream';
import { fmtTime } from '../../lib/format';
import { filtersFrom, mergeLive } from './queueFilter';
import type { Filters } from './queueFilter';

export default function Queue() {
  const t = useDeskT();
  const { account } = useAccount();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const key = params.toString();
  const meta = useLoad(() => desk.meta(), []);
  const list = useLoad(() => desk.list({ ...filters, limit: 50 }), [key]);
  const [more, setMore] = useState(false);

  useDeskStream(!!account, {
    onIncident: (i) => list.setData((d) => d && { ...d, items: mergeLive(d.items, i, filters, account) }),
    onMessage: (id) =>
      list.setData((d) => d && { ...d, items: d.items.map((x) => (x.id === id ? { ...x, unread: (x.unread ?? 0) + 1 } : x)) }),
    onReconnect: list.reload,
  });

  const set = (k: keyof Filters, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const loadMore = async () => {
    const before = list.data?.next_before_id;
    if (!before) return;
    setMore(true);
    try {
      const page = await desk.list({ ...filters, limit: 50, before_id: before });
      list.setData((d) => d && { items: [...d.items, ...page.items], next_before_id: page.next_before_id });
    } finally {
      setMore(false);
    }
  };

  const opt = (values: readonly string[], label: (v: string) => string) => values.map((v) => ({ value: v, label: label(v) }));
  const columns: ColumnsType<Incident> = [
    { title: t('field.ref'), dataIndex: 'ref', width: 120, render: (ref: string, i) => <Link to={`/desk/incidents/${i.id}`} data-testid={`queue-link-${i.id}`}>{ref}</Link> },
    { title: t('field.title'), dataIndex: 'title', ellipsis: true },
    { title: t('field.system'), dataIndex: 'system', width: 90 },
    { title: t('field.status'), dataIndex: 'status', width: 100, render: (s) => <StatusTag status={s} /> },
    { title: t('field.priority'), dataIndex: 'priority', width: 80, render: (p) => <PriorityTag priority={p} /> },
    { title: t('field.class'), dataIndex: 'class', width: 90, render: (c) => (c ? t(`class.${c}`) : '—') },
    { title: t('field.assignee'), dataIndex: 'assignee', width: 100, render: (a) => a ?? '—' },
    { title: t('field.group'), dataIndex: 'group', width: 90, render: (g) => (g ? t(`group.${g}`) : '—') },
    { title: t('field.sla'), key: 'sla', width: 170, render: (_, i) => <SlaTag incident={i} /> },
    { title: t('field.unread'), dataIndex: 'unread', width: 70, render: (n) => <Badge count={n ?? 0} data-testid="queue-unread" /> },
    { title: t('field.created'), dataIndex: 'created_at', width: 150, render: (ms) => fmtTime(ms, 'MM-DD HH:mm:ss') },
  ];

  return (
    <div data-testid="page-desk-queue">
      <Typography.Title level={4}>{t('queue.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select mode="multiple" allowClear placeholder={t('field.status')} style={{ minWidth: 160 }} data-testid="queue-filter-status"
          value={filters.status?.split(',') ?? []} onChange={(v: string[]) => set('status', v.join(','))}
          options={opt(STATUSES, (s) => t(`status.${s}`))} />
        <Select allowClear placeholder={t('field.system')} style={{ width: 120 }} data-testid="queue-filter-system"
          value={filters.system} onChange={(v) => set('system', v)} options={opt(meta.data?.systems ?? [], (s) => s)} />
        <Select allowClear placeholder={t('field.class')} style={{ width: 110 }} data-testid="queue-filter-class"
          value={filters.class} onChange={(v) => set('class', v)} options={opt(CLASSES, (c) => t(`class.${c}`))} />
        <Select allowClear placeholder={t('field.priority')} style={{ width: 100 }} data-testid="queue-filter-priority"
          value={filters.priority} onChange={(v) => set('priority', v)} options={opt(PRIORITIES, (p) => p)} />
        <Select allowClear placeholder={t('queue.anyAssignee')} style={{ width: 120 }} data-testid="queue-filter-assignee"
          value={filters.assignee} onChange={(v) => set('assignee', v)} options={[{ value: 'me', label: t('queue.mine') }]} />
        <Select allowClear placeholder={t('field.group')} style={{ width: 110 }} data-testid="queue-filter-group"
          value={filters.group} onChange={(v) => set('group', v)} options={opt(GROUPS, (g) => t(`group.${g}`))} />
        <Select allowClear placeholder={t('queue.slaFilter')} style={{ width: 120 }} data-testid="queue-filter-sla"
          value={filters.sla} onChange={(v) => set('sla', v)} options={opt(['at_risk', 'breached'], (s) => t(`sla.${s}`))} />
        <Input.Search allowClear placeholder={t('queue.search')} style={{ width: 240 }} data-testid="queue-search"
          defaultValue={filters.q} onSearch={(v) => set('q', v)} />
        <Button onClick={list.reload}>{t('queue.refresh')}</Button>
      </Space>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      <Table<Incident>
        rowKey="id"
        size="small"
        data-testid="queue-table"
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={false}
        onRow={(i) => ({ 'data-testid': `queue-row-${i.id}`, 'data-status': i.status } as React.HTMLAttributes<HTMLElement>)}
        locale={{ emptyText: t('queue.empty') }}
      />
      {list.data?.next_before_id ? (
        <Button style={{ marginTop: 12 }} loading={more} onClick={loadMore} data-testid="queue-more">
          {t('queue.more')}
        </Button>
      ) : null}
    </div>
  );
}
