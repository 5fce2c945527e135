// Debian's Chromium driven by playwright-core (no downloaded browser), and a watch on every
// page: console errors, uncaught exceptions, failed requests and HTTP errors are collected so
// a test can fail on any of them, and each API call's duration is kept for the timings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM } from './env.js';

// As root, on a machine without outside network: no sandbox, no GPU, and none of Chromium's
// own background connections (they would be refused, many at a time, and logged).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const DESKTOP = { width: 1440, height: 900 };

/**
 * A fresh Chromium with its own new user-data-dir, and one browser context at desktop size.
 * Resolves to {context, close()}.
 */
export async function launch({ locale = 'zh-CN', viewport = DESKTOP } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, locale,
    timezoneId: 'Asia/Shanghai', acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Watches a page. `problems` lists what went wrong (console errors, page errors, failed
 * requests, HTTP answers >= 400) except the HTTP errors a test said it expects
 * (`expectHttpError(regexp)`); `apiCalls` lists {url, ms} of finished /api/ requests (the
 * event stream excepted).
 */
export function watch(page) {
  const w = { problems: [], apiCalls: [], expected: [] };
  w.expectHttpError = (re) => w.expected.push(re);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // The browser logs an HTTP error answer as a console error too; those are judged below.
    if (/Failed to load resource: the server responded with a status of/.test(msg.text())) return;
    w.problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => w.problems.push(`uncaught exception: ${err.stack || err}`));
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText || '';
    // Requests cut off by a navigation or an unmounted component (EventSource closed,
    // fetch aborted) are not failures of the server or the page.
    if (reason === 'net::ERR_ABORTED') return;
    w.problems.push(`request failed: ${req.method()} ${req.url()}: ${reason}`);
  });
  page.on('response', (res) => {
    if (res.status() < 400) return;
    const what = `${res.request().method()} ${res.url()}`;
    if (w.expected.some((re) => re.test(what))) return;
    w.problems.push(`HTTP ${res.status()}: ${what}`);
  });
  page.on('requestfinished', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith('/api/') || url.pathname === '/api/v1/stream') return;
    const t = req.timing();
    if (t.responseEnd > 0) w.apiCalls.push({ url: url.pathname + url.search, ms: t.responseEnd });
  });
  return w;
}
