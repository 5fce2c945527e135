// `make screenshots` (second part): the incident desk's pages — the back office's queue and an
// incident at desktop size, the MSS report form and a report's conversation on a 390x844 phone —
// written to docs/screenshots/desk-*.png. A few incidents are made through the API first, as
// people would: reports by a field agent, one accepted and answered by a handler with a script.
//
//   node tests/e2e/desk_screenshots.js [out-dir]      (VIGIL_BINARY / VIGIL_WEB_ROOT as for the tests)
import fs from 'node:fs';
import path from 'node:path';

import { PNG, apiSession, loginDesk, loginMss, startDesk } from './lib/desk.js';
import { REPO_DIR } from './lib/env.js';

const OUT = path.resolve(process.argv[2] || path.join(REPO_DIR, 'docs', 'screenshots'));
const USERS = [{ name: 'li', role: 'reporter' }, { name: 'zhang', role: 'handler' }, { name: 'admin', role: 'admin' }];

async function seed(d) {
  const admin = await apiSession(d.server, 'admin');
  const meta = await admin('GET', '/api/v1/incidents/meta');
  if (!meta.systems?.length) await admin('PUT', '/api/v1/incidents/settings', { systems: ['交易', '开户', '账户'] });
  const li = await apiSession(d.server, 'li');
  const zhang = await apiSession(d.server, 'zhang');
  const made = [];
  for (const [title, system, description] of [
    ['股票交易不了', '交易', '客户 C0012 下单后一直显示处理中，已等 10 分钟'],
    ['开户视频见证失败', '开户', '视频见证进行到一半断开，重试三次都失败'],
    ['资金账户余额不对', '账户', '客户反映昨日卖出资金未到账'],
  ]) {
    made.push(await li('POST', '/api/v1/incidents', { title, system, description,
      customer: { customer_no: 'C0012', name: '张三', phone: '13812345678' } }));
  }
  const first = made[0];
  await fetch(d.server.url(`/api/v1/incidents/${first.id}/attachments?filename=screen.png`), { method: 'POST', body: PNG,
    headers: { Cookie: li.cookie, 'X-CSRF-Token': li.csrf, 'Content-Type': 'image/png' } }).catch(() => undefined);
  await zhang('POST', `/api/v1/incidents/${first.id}/accept`, {});
  await zhang('POST', `/api/v1/incidents/${first.id}/messages`, { body: '收到，正在查看委托状态' });
  await li('POST', `/api/v1/incidents/${first.id}/messages`, { body: '好的，客户在柜台等' });
  await zhang('POST', `/api/v1/incidents/${first.id}/messages`, { body: '撮合回报延迟，准备数据修复', internal: true });
  await zhang('POST', `/api/v1/incidents/${first.id}/scripts`, { description: '回写委托状态', content: "UPDATE orders SET status = 'done' WHERE id = 42;" });
  return first;
}

async function main() {
  const d = await startDesk({ name: 'desk-screenshots', users: USERS });
  try {
    const incident = await seed(d);
    fs.mkdirSync(OUT, { recursive: true });
    const shot = async (page, name) => {
      await page.evaluate(() => document.fonts.ready);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      const file = path.join(OUT, `${name}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`  ${path.relative(REPO_DIR, file)}\n`);
    };
    const desktop = await d.newContext();
    const { page } = await d.open(desktop, '/login?next=/desk', 'page-login');
    await loginDesk(page, 'zhang');
    await page.locator('[data-testid^=queue-row-]').first().waitFor();
    await shot(page, 'desk-queue');
    await page.goto(d.server.url(`/desk/incidents/${incident.id}`));
    await page.locator('[data-testid^=message-]').first().waitFor();
    await shot(page, 'desk-incident');
    const phone = await d.newContext('phone');
    const { page: m } = await d.open(phone, '/m/', 'mss-login');
    await loginMss(m, 'li');
    await m.getByTestId('mss-report').waitFor();
    await shot(m, 'mss-report');
    await m.goto(d.server.url(`/m/incidents/${incident.id}`));
    await m.locator('[data-testid^=mss-message-]').first().waitFor();
    await shot(m, 'mss-incident');
    const problems = d.problems();
    if (problems.length) throw new Error(`the browser saw problems:\n${problems.join('\n')}`);
  } finally {
    await d.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
