// The fixture of every spec: a simulated bank, `vigil serve` on a fake clock with that bank's
// history, the bank's last day fed up to a chosen time, and Chromium opening the console.
//
//   const c = await startConsole({ name: 'pages', until: '09:38' });
//   const { page } = await c.open('/codes', 'page-codes');
//   ...
//   c.assertNoProblems();   // console errors, failed requests, unexpected HTTP errors
//   await c.close();
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launch, watch } from './browser.js';
import { makeBank } from './dataset.js';
import { checkPrerequisites } from './env.js';
import { RecordFeed } from './feed.js';
import { API_TOKEN, VigilServer } from './server.js';

export const ZONE = '+08:00';  // the simulated bank's clock (Asia/Shanghai)

// Epoch ms of `hhmm` (local) on `day`.
export function at(day, hhmm) {
  return Date.parse(`${day}T${hhmm}:00${ZONE}`);
}

/**
 * Options: name (temp dir prefix), bank (makeBank options), until ("HH:MM" on the bank's last
 * day: the clock when the test starts), locale, webRoot, browser (false: no Chromium), tmpRoot
 * (where the temp dir goes).
 * `timings` says how long the bank, the server's start, indexing and feeding the records took;
 * VIGIL_E2E_KEEP=1 leaves the temp dir (server log, data) for a look after a failure.
 */
export async function startConsole({ name, bank = {}, until = '09:38', locale, webRoot, browser = true,
  tmpRoot = os.tmpdir() } = {}) {
  checkPrerequisites();
  const dir = fs.mkdtempSync(path.join(tmpRoot, `vigil-e2e-${name}-`));
  const c = Object.assign({ dir, pages: [], timings: {} }, methods);
  const timed = async (what, fn) => {
    const began = performance.now();
    const r = await fn();
    c.timings[what] = performance.now() - began;
    return r;
  };
  try {
    c.bank = await timed('bank_ms', () => makeBank(path.join(dir, 'bank'),
      { faults: 'system_success,ret_ratio,service_success,abnormal_count', ...bank }));
    const clock = `${c.bank.liveFrom}${ZONE}`;
    c.server = await timed('start_ms', () => new VigilServer({ dir: path.join(dir, 'server'),
      config: c.bank.config, clock, history: c.bank.history, webRoot }).start());
    c.feed = await timed('index_ms', () => new RecordFeed(c.bank.liveFile, Date.parse(clock)));
    await timed('feed_ms', () => c.feedTo(until));
    if (browser) c.browser = await launch({ locale });
  } catch (e) {
    await closeConsole(c);
    throw e;
  }
  return c;
}

async function closeConsole(c) {
  await c.browser?.close();
  await c.server?.stop();
  if (!process.env.VIGIL_E2E_KEEP) fs.rmSync(c.dir, { recursive: true, force: true });
}

const methods = {
  // Feeds the records up to "HH:MM" of the bank's last day and moves the clock there.
  async feedTo(hhmm) {
    await this.feed.feedTo(this.server, at(this.bank.day, hhmm));
  },

  /**
   * Opens `urlPath` in a new tab, waits for the element with test id `testid` (the page's root)
   * and resolves to {page, watcher}. With `token`, the console gets the API token the way
   * `vigil serve` hands it out (the #token= fragment). `expectHttpErrors`: RegExps of the
   * "METHOD url" of HTTP errors the test provokes on purpose.
   */
  async open(urlPath, testid, { token = false, expectHttpErrors = [] } = {}) {
    const page = await this.browser.context.newPage();
    const watcher = watch(page);
    for (const re of expectHttpErrors) watcher.expectHttpError(re);
    this.pages.push({ page, watcher });
    const url = this.server.url(urlPath) + (token ? `#token=${API_TOKEN}` : '');
    await page.goto(url);
    if (testid) await page.getByTestId(testid).waitFor({ state: 'visible', timeout: 30_000 });
    return { page, watcher };
  },

  // Fails with every problem seen on the pages opened since the last call, and closes them.
  async assertNoProblems() {
    const problems = this.pages.flatMap((p) => p.watcher.problems);
    await Promise.all(this.pages.map((p) => p.page.close()));
    this.pages = [];
    assert.deepEqual(problems, [], `the browser saw problems:\n${problems.join('\n')}`);
  },

  async close() {
    await closeConsole(this);
  },
};
