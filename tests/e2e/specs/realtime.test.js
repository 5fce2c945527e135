// Live updates: records the server takes after 实时交易明细 opened appear on it as the clock
// moves; while paused they are held back (the resume button counts them) and shown on resume.
// An alert that fires while the alerts page and the overview are open appears on both without
// a reload (the stream's alerts event).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { startConsole } from '../lib/console.js';
import { numberOf } from '../lib/ui.js';

describe('real-time records', { timeout: 600_000 }, () => {
  let c;
  before(async () => {
    c = await startConsole({ name: 'realtime', until: '09:20' });
  });
  after(async () => c?.close());
  afterEach(async () => c.assertNoProblems());

  const newestSerial = async () => (await c.server.get('/api/v1/records/recent?limit=1')).records[0].serial;

  it('shows new records after the clock advances, holds them while paused', async () => {
    const { page } = await c.open('/records', 'page-records');
    const first = await newestSerial();
    await page.getByTestId(`record-row-${first}`).waitFor();

    await c.feedTo('09:22');
    const second = await newestSerial();
    assert.notEqual(second, first);
    await page.getByTestId(`record-row-${second}`).waitFor();

    await page.getByTestId('pause-button').click();
    await page.locator('[data-testid="pause-button"][data-paused="true"]').waitFor();
    await c.feedTo('09:24');
    const third = await newestSerial();
    // The records arrive (the resume button counts them) but the table stays as it was.
    await page.locator('[data-testid="pause-button"][data-paused="true"]')
      .filter({ hasText: /[1-9]/ }).waitFor();
    assert.equal(await page.getByTestId(`record-row-${third}`).count(), 0, 'no new row while paused');
    assert.ok(await numberOf(page.getByTestId('pause-button')) > 0);

    await page.getByTestId('pause-button').click();
    await page.getByTestId(`record-row-${third}`).waitFor();
    await page.locator('[data-testid="pause-button"][data-paused="false"]').waitFor();
  });

  it('a fault that fires while the pages are open appears on them without a reload', async () => {
    const { page: alerts } = await c.open('/alerts', 'page-alerts');
    const { page: overview } = await c.open('/', 'page-overview');
    await overview.getByTestId('tile-sys-MBNK').waitFor();
    assert.equal(await alerts.locator('[data-testid^="alert-row-"]').count(), 0, 'nothing fires before 09:30');
    await c.feedTo('09:38');  // A002's system_success fault started at 09:30
    const fired = (await c.server.get('/api/v1/alerts?state=firing')).alerts
      .find((a) => a.rule === 'system_success' && a.key.txn === 'A002');
    assert.ok(fired, 'the fault fired on the server');
    await alerts.getByTestId(`alert-row-${fired.fingerprint}`).waitFor();
    await overview.getByTestId(`firing-item-${fired.fingerprint}`).waitFor();
    const mbnk = (await c.server.get('/api/v1/overview')).systems.find((x) => x.name === 'MBNK');
    assert.ok(mbnk.worst_severity, 'A002 belongs to the mobile bank, whose tile now has a firing alert');
    await overview.locator(`[data-testid="tile-sys-MBNK"][data-severity="${mbnk.worst_severity}"]`).waitFor();
  });

  it('a filter by code shows only that code\'s records', async () => {
    const recent = (await c.server.get('/api/v1/records/recent?txn=A002&limit=3')).records;
    const { page } = await c.open('/records?txn=A002', 'page-records');
    for (const r of recent) await page.getByTestId(`record-row-${r.serial}`).waitFor();
    const rows = page.locator('[data-testid^="record-row-"]');
    const n = await rows.count();
    assert.ok(n > 0);
    for (let i = 0; i < Math.min(n, 20); i++) {
      assert.match(await rows.nth(i).textContent(), /A002/);
    }
  });
});
