// How fast each page is interactive with 5,000 codes and a day of data: the server has three
// earlier days as stored history (baselines) and 24 hours fed live over HTTP, from 20:00 the day
// before to 20:00 of the bank's last workday. Each page is opened three times (the first with a
// cold cache); the time is from navigation start until its main content (table rows, chart) is
// in the DOM, read with the Performance API inside the page. One line per page is printed, and
// the p95 of the API calls the pages made. The goal is 1 s; the test fails only above 3 s, so
// a loaded machine does not make it flaky. VIGIL_E2E_PERF_RECORDS changes the volume.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';

import { watch } from '../lib/browser.js';
import { startConsole } from '../lib/console.js';
import { median, observeReady, percentile, readTimings } from '../lib/timing.js';

const CODES = Number(process.env.VIGIL_E2E_PERF_CODES || 5000);
const RECORDS = Number(process.env.VIGIL_E2E_PERF_RECORDS || 10_000_000);  // over 5 days
const ROUNDS = 3;
const LIMIT_MS = 3000;
const GOAL_MS = 1000;

// Printed (ctest -V shows it), and kept in VIGIL_E2E_REPORT when set (CTest sets
// <build>/e2e-page-timings.txt), since a passing test's output is not shown.
const report = [];
const log = (line) => {
  process.stdout.write(`${line}\n`);
  report.push(line);
  if (process.env.VIGIL_E2E_REPORT) fs.writeFileSync(process.env.VIGIL_E2E_REPORT, `${report.join('\n')}\n`);
};
// Two GB of simulated records: in memory when the machine has a tmpfs, not on the shared disk.
const SHM = fs.existsSync('/dev/shm') && fs.statfsSync('/dev/shm').bavail * fs.statfsSync('/dev/shm').bsize > 8e9
  ? '/dev/shm' : os.tmpdir();

describe(`page timings, ${CODES} codes and a day of data`, { timeout: 1_800_000 }, () => {
  let c;
  before(async () => {
    c = await startConsole({
      name: 'perf', until: '20:00', tmpRoot: SHM,
      bank: { codes: CODES, records: RECORDS, faults: 'all', liveFrom: '2026-11-19T20:00:00' },
    });
    const t = c.timings;
    log(`data: ${CODES} codes; simulate + history ${(t.bank_ms / 1000).toFixed(1)} s; ` +
      `${c.feed.sent.toLocaleString('en-US')} records fed over HTTP in ${(t.feed_ms / 1000).toFixed(1)} s ` +
      `(${Math.round(c.feed.sent / (t.feed_ms / 1000)).toLocaleString('en-US')} records/s with the clock moves; ` +
      `POST p50 ${median(c.feed.postMs).toFixed(0)} ms for up to 20,000 records)`);
  });
  after(async () => c?.close());

  it('every page is interactive within the limit', async () => {
    const event = (await c.server.get('/api/v1/alerts/events?limit=50')).events
      .find((e) => Number(e.event.records_stored ?? 0) > 0);
    const busiest = (await c.server.get('/api/v1/codes')).codes.sort((a, b) => b.count - a.count)[0].txn;
    const pages = [
      ['overview', '/', '[data-testid^="tile-sys-"]'],
      ['codes (15 min)', '/codes', '[data-testid^="code-row-"]'],
      ['codes (24 h)', '/codes?range=1440', '[data-testid^="code-row-"]'],
      [`code detail ${busiest}`, `/codes/${busiest}`, '[data-testid="chart-volume"] canvas'],
      ['real-time records', '/records', '[data-testid^="record-row-"]'],
      ['abnormal records', event ? `/abnormal?event=${event.id}` : '/abnormal', event ? '[data-testid^="record-row-"]' : '[data-testid="page-abnormal"]'],
      ['service systems', '/services', '[data-testid^="service-row-"]'],
      ['alerts', '/alerts', '[data-testid^="alert-row-"], [data-testid="alerts-table"] .ant-empty'],
      ['silences', '/silences', '[data-testid="silences-table"] tbody tr'],
      ['configuration', '/config', '[data-testid^="config-code-row-"]'],
    ];
    const results = [];
    const apiCalls = [];
    const problems = [];
    for (const [name, path, selector] of pages) {
      const ready = [];
      const calls = [];
      let nav;
      for (let round = 0; round < ROUNDS; round++) {
        const page = await c.browser.context.newPage();
        const w = watch(page);
        await observeReady(page, selector);
        await page.goto(c.server.url(path));
        const t = await readTimings(page);
        ready.push(t.ready);
        nav ??= t;
        apiCalls.push(...w.apiCalls);
        calls.push(...w.apiCalls);
        problems.push(...w.problems);
        await page.close();
      }
      const slowest = calls.sort((a, b) => b.ms - a.ms)[0];
      results.push({ name, path, first: ready[0], median: median(ready), max: Math.max(...ready), nav, slowest });
    }
    log(`page timings (ms from navigation start until the main content is rendered; ${ROUNDS} visits, the first with a cold cache; goal ${GOAL_MS}):`);
    log(`  (ttfb, DOMready, scripts in, API in: of the first visit; "scripts in" and "API in" are when the last ` +
      'script chunk and the last API answer asked for before the content had arrived)');
    log(`  ${'page'.padEnd(28)} ${'first'.padStart(6)} ${'median'.padStart(7)} ${'max'.padStart(6)}  ${'ttfb'.padStart(5)} ${'DOMready'.padStart(8)} ` +
      `${'scripts in'.padStart(10)} ${'API in'.padStart(6)}  slowest API call`);
    for (const r of results) {
      const slowest = r.slowest ? `${r.slowest.url.split('?')[0]} ${r.slowest.ms.toFixed(0)} ms` : '-';
      log(`  ${r.name.padEnd(28)} ${r.first.toFixed(0).padStart(6)} ${r.median.toFixed(0).padStart(7)} ${r.max.toFixed(0).padStart(6)}  ` +
        `${r.nav.ttfb.toFixed(0).padStart(5)} ${r.nav.domContentLoaded.toFixed(0).padStart(8)} ${r.nav.scripts.toFixed(0).padStart(10)} ` +
        `${r.nav.api.toFixed(0).padStart(6)}  ${slowest}${r.median > GOAL_MS ? '  (over the 1 s goal)' : ''}`);
    }
    const byEndpoint = new Map();
    for (const call of apiCalls) {
      const key = call.url.split('?')[0].replace(/\/codes\/[^/]+/, '/codes/{txn}').replace(/\/events\/\d+/, '/events/{id}');
      if (!byEndpoint.has(key)) byEndpoint.set(key, []);
      byEndpoint.get(key).push(call.ms);
    }
    log(`API calls made by the pages: ${apiCalls.length}, p95 ${percentile(apiCalls.map((x) => x.ms), 95).toFixed(0)} ms`);
    for (const [key, ms] of [...byEndpoint].sort()) {
      log(`  ${key.padEnd(40)} n=${String(ms.length).padStart(3)} p50 ${median(ms).toFixed(0).padStart(4)} ms  p95 ${percentile(ms, 95).toFixed(0).padStart(4)} ms`);
    }
    assert.deepEqual(problems, [], `the browser saw problems:\n${problems.join('\n')}`);
    for (const r of results) assert.ok(r.median <= LIMIT_MS, `${r.name}: ${r.median.toFixed(0)} ms is over ${LIMIT_MS} ms`);
  });
});
