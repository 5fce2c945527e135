// /desk/import (admin): historical ITSM tickets from a CSV file. The file's header gives the
// columns; each incident field is mapped to one; a dry run lists the errors per row; the import
// then takes the valid rows (rows with errors are never imported).
import { Alert, Button, Form, Select, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { desk } from '../../desk/api';
import { useDeskT } from '../../desk/hooks';
import type { ImportAnswer } from '../../desk/types';

const FIELDS = ['ref', 'title', 'description', 'system', 'priority', 'class', 'subcategory', 'status', 'reporter', 'assignee',
  'created_at', 'resolved_at', 'closed_at', 'cause', 'solution', 'customer_no', 'account', 'customer_name', 'phone'] as const;

// The header's cells (quoted cells allowed), to offer as columns.
export function csvHeader(csv: string): string[] {
  const line = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      cells.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  cells.push(cur.trim());
  return cells.filter(Boolean);
}

export default function Import() {
  const t = useDeskT();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState('');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [dryDone, setDryDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const columns = csvHeader(csv);
  const pick = async (file: File) => {
    const text = await file.text();
    const header = csvHeader(text);
    setCsv(text);
    setFileName(file.name);
    setAnswer(null);
    setDryDone(false);
    // Columns named like a field are mapped to it at once.
    setMapping(Object.fromEntries(FIELDS.filter((f) => header.includes(f)).map((f) => [f, f])));
    return false;
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const used = Object.fromEntries(Object.entries(mapping).filter(([, c]) => c));
      setAnswer(await desk.importCsv(csv, used, dryRun));
      setDryDone(dryRun);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="page-desk-import">
      <Typography.Title level={4}>{t('import.title')}</Typography.Title>
      <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={pick}>
        <Button data-testid="import-file">{t('import.file')}</Button>
      </Upload>
      {fileName && <Typography.Text style={{ marginLeft: 12 }}>{fileName}</Typography.Text>}
      {columns.length > 0 && (
        <Form layout="inline" style={{ margin: '16px 0', rowGap: 8 }} data-testid="import-mapping">
          {FIELDS.map((f) => (
            <Form.Item key={f} label={f}>
              <Select style={{ width: 150 }} allowClear placeholder={t('import.ignore')} value={mapping[f]} data-testid={`import-map-${f}`}
                onChange={(c: string) => setMapping({ ...mapping, [f]: c })} options={columns.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          ))}
        </Form>
      )}
      <Space style={{ marginBottom: 12 }}>
        <Button disabled={!csv} loading={busy} onClick={() => run(true)} data-testid="import-dry-run">{t('import.dryRun')}</Button>
        <Button type="primary" disabled={!dryDone || !answer?.valid} loading={busy} onClick={() => run(false)} data-testid="import-run">
          {t('import.run')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} data-testid="import-error" />}
      {answer && (
        <>
          <Alert type={answer.errors.length ? 'warning' : 'success'} style={{ marginBottom: 12 }} data-testid="import-summary"
            message={`${t('import.rows', { rows: answer.rows, valid: answer.valid })}${answer.imported ? ' · ' + t('import.imported', { n: answer.imported }) : ''}`} />
          <Table size="small" rowKey={(e) => `${e.row}-${e.field}`} dataSource={answer.errors} data-testid="import-errors"
            locale={{ emptyText: t('import.noErrors') }} pagination={{ pageSize: 50 }}
            columns={[{ title: t('import.row'), dataIndex: 'row', width: 80 }, { title: t('import.field'), dataIndex: 'field', width: 140 }, { title: t('import.message'), dataIndex: 'message' }]} />
        </>
      )}
    </div>
  );
}
