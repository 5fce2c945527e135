// Every page of the console opens on a server fed with a simulated bank, and shows the numbers
// the API gives for the same thing; an API error is shown as a message; the language switch
// turns the Chinese UI into English and back. The clock stands at 09:38 of the bank's last day,
// when the system_success fault on A002 (09:30-09:40) has fired.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';

import { startConsole } from '../lib/console.js';
import { fmtCount, fmtRate, inputOf, numberOf, textOf, waitForText } from '../lib/ui.js';

describe('console pages show the server\'s numbers', { timeout: 600_000 }, () => {
  let c;
  let abnormal;  // A002's abnormal_count alert (its events keep the failing records)
  before(async () => {
    c = await startConsole({ name: 'pages', until: '09:38' });
    const alerts = (await c.server.get('/api/v1/alerts?state=firing')).alerts;
    const firing = (rule) => alerts.find((a) => a.rule === rule && a.key.txn === 'A002');
    assert.ok(firing('system_success') && firing('abnormal_count'),
      `the system_success fault on A002 fired by 09:38; firing: ${JSON.stringify(alerts.map((a) => [a.rule, a.key]))}`);
    abnormal = firing('abnormal_count');
  });
  after(async () => c?.close());
  afterEach(async () => c.assertNoProblems());

  it('overview: firing alerts by severity, and a tile per system with its count and rate', async () => {
    const o = await c.server.get('/api/v1/overview');
    const { page } = await c.open('/', 'page-overview');
    for (const s of ['critical', 'warning', 'info']) {
      assert.equal(await numberOf(page.getByTestId(`overview-firing-${s}`)), o.alerts[s], `${s} alerts`);
    }
    assert.ok(o.alerts.critical + o.alerts.warning + o.alerts.info >= 1);
    for (const tile of [...o.systems, ...o.services]) {
      const el = page.getByTestId(`tile-${tile.kind}-${tile.name}`);
      await waitForText(el, `${fmtCount(tile.count)}`);
      await waitForText(el, fmtRate(tile.kind === 'sys' ? tile.system_success : tile.success));
    }
    const mbnk = page.getByTestId('tile-sys-MBNK');
    assert.equal(await mbnk.getAttribute('data-severity'), o.systems.find((s) => s.name === 'MBNK').worst_severity);
  });

  it('success rates: a row per code; the searched code shows the API\'s count and rates', async () => {
    const codes = (await c.server.get('/api/v1/codes')).codes;
    const a002 = codes.find((x) => x.txn === 'A002');
    const { page } = await c.open('/codes', 'page-codes');
    await waitForText(page.getByTestId('codes-count'), fmtCount(codes.length));
    await inputOf(page.getByTestId('codes-search')).fill('A002');
    const row = page.getByTestId('code-row-A002');
    await row.waitFor();
    const cells = row.locator('.ant-table-cell');
    assert.equal(await textOf(cells.nth(1)), a002.name);
    assert.equal(await numberOf(cells.nth(4)), a002.count);
    assert.equal(await textOf(cells.nth(5)), fmtRate(a002.system_success));
    assert.equal(await textOf(cells.nth(6)), fmtRate(a002.business_success));
    // Only the codes with firing alerts.
    await inputOf(page.getByTestId('codes-search')).fill('');
    await page.getByTestId('codes-only-firing').click();
    const withAlerts = codes.filter((x) => x.firing_alerts > 0).length;
    await waitForText(page.getByTestId('codes-count'), new RegExp(`^\\D*${withAlerts}\\D`));
  });

  it('code detail: title, rates, charts, parameters and the rules that are on', async () => {
    const series = await c.server.get('/api/v1/codes/A002/series');
    const { page } = await c.open('/codes/A002', 'page-code-detail');
    await waitForText(page.getByTestId('code-title'), 'A002');
    await waitForText(page.getByTestId('page-code-detail'), series.name);
    for (const chart of ['chart-volume', 'chart-success', 'chart-latency', 'chart-hourly', 'chart-returns']) {
      await page.getByTestId(chart).locator('canvas').first().waitFor();
    }
    await page.getByTestId('rule-on-system_success').waitFor();
    await page.getByTestId('code-firing-list').getByText(/system_success|系统成功率/).first().waitFor();
    // The last hour's total, as the series endpoint counts it (both default to 60 minutes).
    const total = series.minutes.reduce((n, m) => n + m.count, 0);
    assert.ok(total > 0, 'A002 had records in the last hour');
    assert.equal(await numberOf(page.getByTestId('code-count')), total);
  });

  it('real-time records: the newest records the API has are on screen, up to their duration at 1440 px', async () => {
    const recent = (await c.server.get('/api/v1/records/recent?limit=5')).records;
    const { page } = await c.open('/records', 'page-records');
    for (const r of recent) await page.getByTestId(`record-row-${r.serial}`).waitFor();
    const duration = page.getByTestId('records-table').locator('th', { hasText: '耗时' });
    const box = await duration.boundingBox();
    const table = await page.getByTestId('records-table').boundingBox();
    assert.ok(box && box.x + box.width <= table.x + table.width, `the duration column is in view: ${JSON.stringify({ box, table })}`);
  });

  it('abnormal records of the alert\'s event: every stored record, with its serial', async () => {
    const event = await c.server.get(`/api/v1/alerts/events/${abnormal.last_event_id}`);
    assert.ok(event.records.length > 0, 'the firing event kept its abnormal records');
    const { page } = await c.open(`/abnormal?event=${abnormal.last_event_id}`, 'page-abnormal');
    await waitForText(page.getByTestId('abnormal-count'), fmtCount(event.records.length));
    await page.getByTestId(`record-row-${event.records[0].serial}`).waitFor();
    // Without an event: the recent abnormal_count events, this one among them.
    const { page: recent } = await c.open('/abnormal', 'page-abnormal');
    await waitForText(recent.getByTestId(`abnormal-event-${abnormal.last_event_id}`), fmtCount(event.records.length));
  });

  it('service systems: a row per service system with the API\'s count and success rate', async () => {
    const services = (await c.server.get('/api/v1/services')).services;
    const { page } = await c.open('/services', 'page-services');
    for (const s of services.filter((x) => x.count > 0)) {
      const row = page.getByTestId(`service-row-${s.svc_sys}`);
      await waitForText(row, fmtCount(s.count));
      await waitForText(page.getByTestId(`service-success-${s.svc_sys}`), fmtRate(s.success));
    }
  });

  it('alerts: every firing alert has a row, its summary in Chinese, its actions in view at 1440 px', async () => {
    const alerts = (await c.server.get('/api/v1/alerts?state=firing')).alerts;
    const { page } = await c.open('/alerts', 'page-alerts');
    for (const a of alerts) await page.getByTestId(`alert-row-${a.fingerprint}`).waitFor();
    assert.equal(await page.locator('[data-testid^="alert-row-"]').count(), alerts.length);
    // A002's system_success alert, said from its fields in the UI's language (the engine's
    // English summary is only the hover text).
    const rate = alerts.find((a) => a.rule === 'system_success' && a.key.txn === 'A002');
    const summary = page.getByTestId(`alert-row-${rate.fingerprint}`).getByTestId('alert-summary');
    await waitForText(summary, `A002 ${rate.labels?.name ?? ''}`.trim());
    await waitForText(summary, `系统成功率 ${fmtRate(rate.event.value)}，低于 ${fmtRate(rate.event.threshold)}`);
    assert.equal(await summary.getAttribute('title'), rate.event.summary);
    const viewport = page.viewportSize();
    assert.equal(viewport.width, 1440);
    for (const id of ['ack-button', 'silence-button', 'alert-to-code']) {
      const box = await page.getByTestId(`alert-row-${rate.fingerprint}`).getByTestId(id).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width, `${id} is in view at 1440 px: ${JSON.stringify(box)}`);
    }
  });

  it('an unknown code is a message naming it, not empty charts', async () => {
    const answer = await c.server.request('GET', '/api/v1/codes/NOPE/series', { okStatus: [404] });
    const { page } = await c.open('/codes/NOPE', 'page-code-detail', { expectHttpErrors: [/\/api\/v1\/codes\/NOPE\//] });
    await waitForText(page.getByTestId('code-unknown'), 'NOPE');
    await waitForText(page.getByTestId('code-unknown'), JSON.parse(answer.text).error.message);
    assert.equal(await page.getByTestId('chart-volume').count(), 0);
  });

  it('silences: the page opens with its table', async () => {
    const { page } = await c.open('/silences', 'page-silences');
    await page.getByTestId('silences-table').waitFor();
  });

  it('configuration: the codes and the return codes no list classifies, with their counts', async () => {
    const config = await c.server.get('/api/v1/config');
    const { page } = await c.open('/config', 'page-config');
    // The file's name, not the temporary directory the test started the server in.
    assert.equal(await textOf(page.getByTestId('config-file')), path.basename(config.path));
    assert.equal(await page.getByTestId('config-file').getAttribute('title'), config.path);
    await page.getByTestId('config-codes-table').waitFor();
    await inputOf(page.getByTestId('config-codes-search')).fill('A002');
    await page.getByTestId('config-code-row-A002').waitFor();
    await page.getByTestId('config-tab-unclassified').click();
    for (const u of config.unclassified_returns) {
      await waitForText(page.getByTestId(`unclassified-row-${u.txn}-${u.ret}`), fmtCount(u.count));
    }
  });

  it('an API error is a message on the page, not a blank page', async () => {
    const missing = 987654321;
    const answer = await c.server.request('GET', `/api/v1/alerts/events/${missing}`, { okStatus: [404] });
    const { page } = await c.open(`/abnormal?event=${missing}`, 'page-abnormal',
      { expectHttpErrors: [new RegExp(`/api/v1/alerts/events/${missing}`)] });
    const error = JSON.parse(answer.text).error;
    await waitForText(page.getByTestId('load-error'), error.message ?? error);
    await page.getByTestId('side-menu').waitFor();
  });

  // Last: moves the clock on. By 11:18 the core accounting system ACCT has been failing since
  // 11:10, and its service_success alert holds back its callers' alerts.
  it('inhibited alerts say so (已抑制) and name the alert holding them back', async () => {
    await c.feedTo('11:18');
    const alerts = (await c.server.get('/api/v1/alerts?state=firing')).alerts;
    const inhibited = alerts.filter((a) => (a.inhibited_by ?? []).length > 0 && (a.silenced_by ?? []).length === 0);
    assert.ok(inhibited.length > 0, `some alert is inhibited at 11:18: ${JSON.stringify(alerts.map((a) => [a.rule, a.key, a.inhibited_by]))}`);
    const { page } = await c.open('/alerts', 'page-alerts');
    for (const a of inhibited.slice(0, 3)) {
      const row = page.getByTestId(`alert-row-${a.fingerprint}`);
      await waitForText(row.getByTestId('alert-inhibited'), '已抑制');
      assert.equal(await row.getByTestId('alert-silenced').count(), 0, 'inhibited, not silenced');
      const source = alerts.find((x) => x.fingerprint === a.inhibited_by[0]);
      assert.ok(source, 'the inhibiting alert fires');
      for (const [k, v] of Object.entries(source.key)) await waitForText(row.getByTestId('alert-inhibited-by'), `${k}=${v}`);
    }
  });

  it('language: the Chinese UI switches to English, stays English after a reload, and back', async () => {
    const { page } = await c.open('/codes', 'page-codes');
    const nav = page.getByTestId('nav-codes');
    await waitForText(nav, '交易成功率');
    await page.getByTestId('lang-switch').getByText('EN').click();
    await waitForText(nav, 'Success rates');
    await page.reload();
    await waitForText(page.getByTestId('nav-codes'), 'Success rates');
    await page.getByTestId('lang-switch').getByText('中文').click();
    await waitForText(page.getByTestId('nav-codes'), '交易成功率');
  });
});
