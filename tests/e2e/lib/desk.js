// The desk's world for a spec: a small bank's configuration (no records: the desk needs none),
// users created with `vigil user add` before `vigil serve` starts on a fake clock (a workday
// morning, inside business hours), and one Chromium with as many browser contexts as people:
// a phone-sized, touch one for a reporter, desktop ones for the back office.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { DESKTOP, watch } from './browser.js';
import { vigil } from './dataset.js';
import { CHROMIUM, VIGIL_BINARY, checkPrerequisites } from './env.js';
import { VigilServer } from './server.js';

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const PASSWORD = 'e2e-password-123';

// `vigil user add NAME --role ROLE [--group G]... --data DIR`, the password on stdin.
export function addUser(dataDir, { name, role, groups = [] }) {
  return new Promise((resolve, reject) => {
    const args = ['user', 'add', name, '--role', role, '--data', dataDir, ...groups.flatMap((g) => ['--group', g])];
    const child = spawn(VIGIL_BINARY, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vigil ${args.join(' ')}: ${code}\n${stderr}`))));
    child.stdin.end(`${PASSWORD}\n`);
  });
}

/**
 * users: [{name, role, groups}]; clock: the fake clock's start (RFC 3339).
 * Resolves to {server, browser, newContext(kind), open(context, url, testid), assertNoProblems(), close()}.
 */
export async function startDesk({ name, users, clock = '2026-11-20T10:00:00+08:00' }) {
  checkPrerequisites();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vigil-e2e-${name}-`));
  const config = path.join(dir, 'vigil.yaml');
  await vigil(['simulate', '--live', '--codes', '20', '--seed', '3', '--config-out', config]);
  const serverDir = path.join(dir, 'server');
  fs.mkdirSync(path.join(serverDir, 'data'), { recursive: true });
  for (const u of users) await addUser(path.join(serverDir, 'data'), u);
  const server = await new VigilServer({ dir: serverDir, config, clock }).start();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  const pages = [];
  return {
    dir, server, browser,
    async newContext(kind = 'desktop') {
      const opts = kind === 'phone' ? PHONE : { viewport: DESKTOP };
      return browser.newContext({ ...opts, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    },
    // A new tab of `context` at `url`, watched (console errors, failed requests, HTTP errors).
    async open(context, url, testid, { expectHttpErrors = [] } = {}) {
      const page = await context.newPage();
      const watcher = watch(page);
      for (const re of expectHttpErrors) watcher.expectHttpError(re);
      pages.push({ page, watcher });
      await page.goto(server.url(url));
      if (testid) await page.getByTestId(testid).waitFor({ state: 'visible', timeout: 30_000 });
      return { page, watcher };
    },
    problems() {
      return pages.flatMap((p) => p.watcher.problems);
    },
    // Fails with every problem seen on the pages opened since the last call, and forgets them.
    assertNoProblems() {
      const problems = this.problems();
      pages.length = 0;
      assert.deepEqual(problems, [], `the browser saw problems:\n${problems.join('\n')}`);
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.stop();
      if (!process.env.VIGIL_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An API session of `user` (login over HTTP): `call(method, path, body)` sends the cookie and the
 * CSRF token and resolves to the parsed answer (throws on an error status).
 */
export async function apiSession(server, user) {
  const res = await fetch(server.url('/api/v1/auth/login'), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, password: PASSWORD }) });
  const text = await res.text();
  assert.equal(res.status, 200, `login of ${user}: ${text}`);
  const { csrf_token: csrf } = JSON.parse(text);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const call = async (method, p, body) => {
    const r = await fetch(server.url(p), { method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' } });
    const t = await r.text();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${t}`);
    return t ? JSON.parse(t) : undefined;
  };
  return Object.assign(call, { cookie, csrf });
}

// Logs in through the back office's login page (`page` is at /login or was sent there).
export async function loginDesk(page, user) {
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
}

// Fills an antd-mobile field by test id, whether the id sits on the input or on its wrapper.
export async function fillMss(page, testid, value) {
  const el = page.getByTestId(testid);
  const tag = await el.evaluate((e) => e.tagName);
  await (tag === 'INPUT' || tag === 'TEXTAREA' ? el : el.locator('input, textarea').first()).fill(value);
}

// Logs in through the MSS login.
export async function loginMss(page, user) {
  await fillMss(page, 'mss-login-user', user);
  await fillMss(page, 'mss-login-password', PASSWORD);
  await page.getByTestId('mss-login-submit').click();
}

// A 1x1 PNG (a real image, checked by content on both sides).
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
