// What an operator does with a firing alert: click from the alert to its code and on to the
// failing records, export them as CSV, acknowledge an alert, silence one and see it muted.
// The clock stands at 09:38 of the bank's last day: A002's system_success fault (09:30-09:40)
// has fired, and so has abnormal_count on the same code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';

import { startConsole } from '../lib/console.js';
import { fmtCount, numberOf, waitForText } from '../lib/ui.js';

describe('alert workflows', { timeout: 600_000 }, () => {
  let c;
  const alertOf = async (rule) => {
    const alerts = (await c.server.get('/api/v1/alerts?state=firing')).alerts;
    const a = alerts.find((x) => x.rule === rule && x.key.txn === 'A002');
    assert.ok(a, `${rule} on A002 is firing; firing: ${JSON.stringify(alerts.map((x) => [x.rule, x.key]))}`);
    return a;
  };
  before(async () => {
    c = await startConsole({ name: 'flows', until: '09:38' });
  });
  after(async () => c?.close());
  afterEach(async () => c.assertNoProblems());

  it('alert -> code -> abnormal records: the clicks land on the failing records', async () => {
    const alert = await alertOf('system_success');
    // abnormal_count events keep the failing records (up to the contract's 100 at least).
    const counted = await alertOf('abnormal_count');
    const event = await c.server.get(`/api/v1/alerts/events/${counted.last_event_id}`);
    assert.ok(event.records.length > 0);
    const { page } = await c.open('/alerts', 'page-alerts');
    const row = page.getByTestId(`alert-row-${alert.fingerprint}`);
    await row.getByTestId('alert-to-code').click();
    await page.getByTestId('page-code-detail').waitFor();
    assert.match(new URL(page.url()).pathname, /\/codes\/A002$/);
    await page.getByTestId('code-to-abnormal').click();
    await page.getByTestId('page-abnormal').waitFor();
    // The code's recent alert events' records, the firing event's among them.
    for (const r of event.records.slice(0, 5)) await page.getByTestId(`record-row-${r.serial}`).waitFor();
    assert.ok(await numberOf(page.getByTestId('abnormal-count')) >= event.records.length);

    // From the abnormal_count alert straight to its event's records.
    await page.goBack();
    await page.goBack();
    await page.getByTestId(`alert-row-${counted.fingerprint}`).getByTestId('alert-to-abnormal').click();
    await page.getByTestId('page-abnormal').waitFor();
    assert.match(page.url(), new RegExp(`/abnormal\\?event=${counted.last_event_id}$`));
    await waitForText(page.getByTestId('abnormal-count'), fmtCount(event.records.length));
  });

  it('CSV export downloads the event\'s records with the expected header', async () => {
    const alert = await alertOf('abnormal_count');
    const event = await c.server.get(`/api/v1/alerts/events/${alert.last_event_id}`);
    const { page } = await c.open(`/abnormal?event=${alert.last_event_id}`, 'page-abnormal');
    await waitForText(page.getByTestId('abnormal-count'), fmtCount(event.records.length));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM, so that Excel reads UTF-8');
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'ts,node,serial,sys,txn,svc_sys,ret,svc_ret,dur_ms');
    assert.equal(lines.length, event.records.length + 1);
    assert.ok(lines.slice(1).some((l) => l.includes(event.records[0].serial)));
    assert.match(download.suggestedFilename(), /\.csv$/);
  });

  it('acknowledge: the alert keeps firing, marked with who took it; the server keeps it', async () => {
    const alert = await alertOf('abnormal_count');
    const { page } = await c.open('/alerts', 'page-alerts', { token: true });
    const row = page.getByTestId(`alert-row-${alert.fingerprint}`);
    await row.getByTestId('ack-button').click();
    await page.getByTestId('ack-comment').fill('looking at the database');
    await page.getByTestId('ack-by').fill('zhang');
    await page.getByTestId('ack-save').click();
    await waitForText(row.getByTestId('alert-acknowledged'), 'zhang');
    const after = await alertOf('abnormal_count');
    assert.equal(after.state, 'firing');
    assert.equal(after.acknowledged?.by, 'zhang');
    assert.equal(after.acknowledged?.comment, 'looking at the database');
    await page.reload();
    await waitForText(page.getByTestId(`alert-row-${alert.fingerprint}`).getByTestId('alert-acknowledged'), 'zhang');
  });

  it('silence from an alert: matchers prefilled, the alert shows muted, the silence is listed', async () => {
    const alert = await alertOf('system_success');
    const { page } = await c.open('/alerts', 'page-alerts', { token: true });
    const row = page.getByTestId(`alert-row-${alert.fingerprint}`);
    await row.getByTestId('silence-button').click();
    const matchers = page.getByTestId('silence-matchers');
    await waitForText(matchers, 'rule=system_success');
    await waitForText(matchers, 'txn=A002');
    await waitForText(page.getByTestId('silence-preview-count'), /(^|\D)1(\D|$)/);
    await page.getByTestId('silence-comment').fill('DBA restarting the database');
    await page.getByTestId('silence-save').click();
    await row.getByTestId('alert-suppressed').waitFor();

    const muted = await alertOf('system_success');
    assert.equal(muted.suppressed, true);
    assert.equal(muted.silenced_by.length, 1);
    const other = await alertOf('abnormal_count');
    assert.equal(other.suppressed, false, 'the matchers name only the silenced alert');

    const silences = await c.server.get('/api/v1/silences');
    const silence = (silences.silences ?? silences).find((s) => String(s.id) === String(muted.silenced_by[0]));
    assert.ok(silence, 'the silence is stored');
    assert.equal(silence.comment, 'DBA restarting the database');
    const { page: list } = await c.open('/silences', 'page-silences');
    await waitForText(list.getByTestId(`silence-row-${silence.id}`), 'DBA restarting the database');
    const { page: overview } = await c.open('/', 'page-overview');
    await waitForText(overview.getByTestId('overview-suppressed'), /^\s*1\s*$/);
  });
});
