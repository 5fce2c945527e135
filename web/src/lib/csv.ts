// CSV for Excel, the way the server writes it (GET .../records?format=csv): UTF-8 with a BOM,
// RFC 4180 quoting, cells a spreadsheet would run as a formula prefixed with an apostrophe.
const COLUMNS = ['ts', 'node', 'serial', 'sys', 'txn', 'svc_sys', 'ret', 'svc_ret', 'dur_ms'] as const;

export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Record<string, unknown>[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvCell(c === 'ts' ? (r.ts ?? r.time) : r[c])).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function downloadCsv(filename: string, rows: object[]): void {
  const blob = new Blob([toCsv(rows as Record<string, unknown>[])], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
