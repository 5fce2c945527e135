// The table of transaction records shared by 实时交易明细 (recent records) and 异常交易明细
// (an alert's abnormal records): virtualised, every column sortable.
import { Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { fmtCount, fmtIsoTime, fmtTime } from '../lib/format';
import { codeLink } from '../lib/links';

export interface RecordRow {
  key: string;
  time_ms: number | null;
  time?: string;
  txn: string;
  ret: string;
  class?: string;
  dur_ms: number | null;
  sys: string;
  svc_sys: string;
  svc_ret: string;
  node: string;
  serial: string;
  msg?: string;
}

export function ClassTag({ cls }: { cls?: string }) {
  const { t } = useTranslation();
  if (!cls) return null;
  const color = cls === 'system' ? 'red' : cls === 'business' ? 'orange' : 'green';
  const label = cls === 'system' || cls === 'business' || cls === 'success' ? t(`retClass.${cls}`) : cls;
  return <Tag color={color}>{label}</Tag>;
}

const str = (a: string | undefined, b: string | undefined) => (a ?? '').localeCompare(b ?? '');

export default function RecordTable({
  rows,
  height,
  loading,
  withClass = true,
  withMsg = true,
  testId,
  emptyText,
  names,
}: {
  rows: RecordRow[];
  height: number;
  loading?: boolean;
  withClass?: boolean;
  withMsg?: boolean;
  testId: string;
  emptyText?: string;
  names?: Map<string, string>;
}) {
  const { t } = useTranslation();
  const columns = useMemo<ColumnsType<RecordRow>>(() => {
    const cols: ColumnsType<RecordRow> = [
      {
        title: t('records.time'),
        dataIndex: 'time_ms',
        width: 180,
        sorter: (a, b) => (a.time_ms ?? 0) - (b.time_ms ?? 0),
        render: (ms: number | null, r) => (
          <span className="vigil-num">{ms !== null ? fmtTime(ms, 'YYYY-MM-DD HH:mm:ss.SSS') : fmtIsoTime(r.time)}</span>
        ),
      },
      { title: t('records.node'), dataIndex: 'node', width: 110, ellipsis: true, sorter: (a, b) => str(a.node, b.node) },
      {
        title: t('records.serial'),
        dataIndex: 'serial',
        width: 170,
        ellipsis: true,
        sorter: (a, b) => str(a.serial, b.serial),
        render: (s: string) => <Typography.Text className="vigil-mono" copyable={!!s}>{s}</Typography.Text>,
      },
      { title: t('records.sys'), dataIndex: 'sys', width: 70, sorter: (a, b) => str(a.sys, b.sys) },
      {
        title: t('records.txn'),
        dataIndex: 'txn',
        width: 150,
        sorter: (a, b) => str(a.txn, b.txn),
        render: (txn: string) => (
          <Tooltip title={names?.get(txn)}>
            <Link to={codeLink(txn)} className="vigil-mono">
              {txn}
            </Link>
            {names?.get(txn) && (
              <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
                {names.get(txn)}
              </Typography.Text>
            )}
          </Tooltip>
        ),
      },
      { title: t('records.svcSys'), dataIndex: 'svc_sys', width: 80, sorter: (a, b) => str(a.svc_sys, b.svc_sys) },
      {
        title: t('records.ret'),
        dataIndex: 'ret',
        width: 80,
        sorter: (a, b) => str(a.ret, b.ret),
        render: (r: string) => <span className="vigil-mono">{r}</span>,
      },
    ];
    if (withClass) {
      cols.push({
        title: t('records.class'),
        dataIndex: 'class',
        width: 80,
        sorter: (a, b) => str(a.class, b.class),
        render: (c: string) => <ClassTag cls={c} />,
      });
    }
    cols.push(
      {
        title: t('records.svcRet'),
        dataIndex: 'svc_ret',
        width: 90,
        sorter: (a, b) => str(a.svc_ret, b.svc_ret),
        render: (r: string) => <span className="vigil-mono">{r}</span>,
      },
      {
        title: t('records.duration'),
        dataIndex: 'dur_ms',
        width: 90,
        align: 'right',
        sorter: (a, b) => (a.dur_ms ?? -1) - (b.dur_ms ?? -1),
        render: (d: number | null) => <span className="vigil-num">{d === null ? '—' : `${fmtCount(d)} ms`}</span>,
      },
    );
    if (withMsg) {
      cols.push({ title: t('records.msg'), dataIndex: 'msg', width: 200, ellipsis: true });
    }
    return cols;
  }, [t, withClass, withMsg, names]);

  return (
    <Table<RecordRow>
      virtual
      size="small"
      rowKey="key"
      data-testid={testId}
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      // As wide as its columns: at 1440 px every column up to the duration is in view.
      scroll={{ x: columns.reduce((w, c) => w + Number(c.width ?? 100), 0), y: height }}
      onRow={(r) => ({ 'data-testid': `record-row-${r.serial || r.key}` }) as React.HTMLAttributes<HTMLElement>}
      locale={{ emptyText: emptyText ?? t('common.noData') }}
    />
  );
}
