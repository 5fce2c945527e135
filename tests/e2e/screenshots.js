// `make screenshots`: every page of the console at desktop size (1440x900), in Chinese (and the
// overview once in English), written to docs/screenshots/<page>.png for the README.
//
// The data is the e2e tests' simulated bank (300 codes, four days of history) fed up to 11:18
// of its last workday: the core accounting system's failure (11:10-11:20) is firing on ACCT
// and its callers, the morning's faults have fired and resolved. One alert is acknowledged and
// one silenced (through the API, as an operator would), so those states show too.
//
//   node tests/e2e/screenshots.js [out-dir]      (VIGIL_BINARY / VIGIL_WEB_ROOT as for the tests)
import fs from 'node:fs';
import path from 'node:path';

import { watch } from './lib/browser.js';
import { startConsole } from './lib/console.js';
import { REPO_DIR } from './lib/env.js';

const OUT = path.resolve(process.argv[2] || path.join(REPO_DIR, 'docs', 'screenshots'));

// Waits until two screenshots in a row are the same: charts have finished animating, fonts
// and late answers are in. Resolves to the last one.
async function stillShot(page, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await page.screenshot();
  for (;;) {
    await page.waitForTimeout(400);
    const next = await page.screenshot();
    if (next.equals(last) || Date.now() > deadline) return next;
    last = next;
  }
}

async function prepare(c) {
  const alerts = (await c.server.get('/api/v1/alerts?state=firing')).alerts;
  const byKey = (rule, key) => alerts.find((a) => a.rule === rule && Object.entries(key).every(([k, v]) => a.key[k] === v));
  const acct = byKey('service_success', { svc_sys: 'ACCT' });
  if (acct?.fingerprint) {
    await c.server.write('POST', `/api/v1/alerts/${acct.fingerprint}/ack`, { comment: '核心账务排查中', by: '张伟' });
  }
  const caller = alerts.find((a) => a.rule === 'service_success' && a.key.txn);
  if (caller) {
    await c.server.write('POST', '/api/v1/silences', {
      matchers: [`rule=${caller.rule}`, `txn=${caller.key.txn}`, `svc_sys=${caller.key.svc_sys}`],
      duration_ms: 2 * 3600_000, comment: '已知问题: 随核心账务恢复', created_by: '李娜',
    });
  }
  const events = (await c.server.get('/api/v1/alerts/events?limit=100')).events;
  const withRecords = events.find((e) => e.event.key?.txn && Number(e.event.records_stored ?? 0) > 0);
  return { event: withRecords?.id };
}

async function main() {
  const c = await startConsole({ name: 'screenshots', until: '11:18' });
  try {
    const { event } = await prepare(c);
    const shots = [
      ['overview', '/', '[data-testid^="tile-sys-"]'],
      ['codes', '/codes', '[data-testid^="code-row-"]'],
      ['code-detail', '/codes/A002?range=360', '[data-testid="chart-hourly"] canvas'],
      ['records', '/records', '[data-testid^="record-row-"]'],
      ['abnormal', event ? `/abnormal?event=${event}` : '/abnormal', event ? '[data-testid^="record-row-"]' : '[data-testid="page-abnormal"]'],
      ['services', '/services', '[data-testid^="service-row-"]'],
      ['alerts', '/alerts', '[data-testid^="alert-row-"]'],
      ['silences', '/silences', '[data-testid^="silence-row-"]'],
      ['config', '/config', '[data-testid^="config-code-row-"]'],
    ];
    fs.mkdirSync(OUT, { recursive: true });
    const problems = [];
    const take = async (name, urlPath, selector) => {
      const page = await c.browser.context.newPage();
      const w = watch(page);
      await page.goto(c.server.url(urlPath));
      await page.locator(selector).first().waitFor({ timeout: 30_000 });
      await page.evaluate(() => document.fonts.ready);
      const png = await stillShot(page);
      fs.writeFileSync(path.join(OUT, `${name}.png`), png);
      problems.push(...w.problems);
      await page.close();
      process.stdout.write(`  ${path.relative(REPO_DIR, path.join(OUT, `${name}.png`))} (${Math.round(png.length / 1024)} KB)\n`);
    };
    for (const [name, urlPath, selector] of shots) await take(name, urlPath, selector);
    // Once in English: the switch persists in localStorage.
    const page = await c.browser.context.newPage();
    await page.goto(c.server.url('/'));
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.close();
    await take('overview-en', '/', '[data-testid^="tile-sys-"]');
    if (problems.length) throw new Error(`the browser saw problems:\n${problems.join('\n')}`);
  } finally {
    await c.close();
  }
}

main().catch((e) => {
  process.stderr.write(`screenshots: ${e.stack || e}\n`);
  process.exit(1);
});
