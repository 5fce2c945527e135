// The incident desk in the browser (issue 5): the login page (wrong password, throttling with the
// wait shown, logout), and the whole flow across three people — a reporter on a phone reports with
// a screenshot; a handler sees it arrive live, replies (the phone shows it without reload),
// accepts, adds a data-fix script and transfers to ops; an ops member approves it, records the
// result and returns it; the handler resolves; the reporter confirms and it is closed — every step
// in the history. Plus: markup in a description stays text, a non-image named .png is refused,
// a reply typed offline on the phone is sent on return (and one sent meanwhile shows up), and the
// admin's settings and ITSM import.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { PASSWORD, PNG, apiSession, fillMss, loginDesk, loginMss, startDesk } from '../lib/desk.js';

const USERS = [
  { name: 'li', role: 'reporter' },
  { name: 'zhang', role: 'handler' },
  { name: 'wang', role: 'member', groups: ['ops'] },
  { name: 'zhao', role: 'reporter' },
  { name: 'admin', role: 'admin' },
];

describe('the incident desk', () => {
  let d;
  before(async () => {
    d = await startDesk({ name: 'desk', users: USERS });
    // The systems people report against are the admin's (a fresh store may have none).
    const admin = await apiSession(d.server, 'admin');
    const meta = await admin('GET', '/api/v1/incidents/meta');
    if (!meta.systems?.length) await admin('PUT', '/api/v1/incidents/settings', { systems: ['交易', '开户', '账户'] });
  });
  after(async () => {
    await d?.close();
  });

  test('login: a wrong password is refused, throttling shows the wait, logout ends the session', async () => {
    const ctx = await d.newContext();
    const { page } = await d.open(ctx, '/desk', 'page-login',
      { expectHttpErrors: [/POST .*\/api\/v1\/auth\/login$/, /GET .*\/api\/v1\/auth\/me$/] });
    // Five failures are free (401 each); the sixth attempt is answered 429 with Retry-After, and
    // so is the right password while the wait lasts.
    const attempt = async (password) => {
      await page.getByTestId('login-user').fill('zhao');
      await page.getByTestId('login-password').fill(password);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
        page.getByTestId('login-submit').click(),
      ]);
      await page.getByTestId('login-submit').and(page.locator(':not(.ant-btn-loading)')).waitFor();
      return res.status();
    };
    for (let i = 1; i <= 5; i++) assert.equal(await attempt(`wrong-password-${i}`), 401);
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor();
    assert.equal(await attempt('wrong-password-6'), 429);
    assert.equal(await attempt(PASSWORD), 429);
    await page.getByTestId('login-error').getByText(/登录失败次数过多，请 \d+ 秒后再试/).waitFor();
    // The server's clock moves past the wait; the right password then works and the page goes
    // where it was asked for (/desk).
    await d.server.advanceClock(20 * 60 * 1000);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('page-desk-queue').waitFor();
    assert.equal(await page.getByTestId('user-menu').getAttribute('data-user'), 'zhao');
    // A reload keeps the session (the CSRF token comes back from /auth/me).
    await page.reload();
    await page.getByTestId('page-desk-queue').waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('page-login').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(me, 401, 'the session ended with the logout');
    d.assertNoProblems();
    await ctx.close();
  });

  test('report on a phone → live in the queue → reply → script approved by ops → resolved → confirmed', async () => {
    const handlerCtx = await d.newContext();
    const { page: desk } = await d.open(handlerCtx, '/login?next=/desk', 'page-login');
    await loginDesk(desk, 'zhang');
    await desk.getByTestId('page-desk-queue').waitFor();

    // The reporter, on a phone.
    const phoneCtx = await d.newContext('phone');
    const { page: phone } = await d.open(phoneCtx, '/m/', 'mss-login');
    await loginMss(phone, 'li');
    await phone.getByTestId('mss-report').waitFor();
    const title = '股票交易不了 E2E';
    await phone.getByTestId('mss-system').locator('.adm-selector-item').first().tap();
    await fillMss(phone, 'mss-title', title);
    await fillMss(phone, 'mss-description', '客户下单后一直显示处理中');
    await fillMss(phone, 'mss-customer-no', 'C0012');
    await fillMss(phone, 'mss-phone', '13812345678');
    await phone.getByTestId('mss-file-input').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
    await phone.getByTestId('mss-screenshot').waitFor();
    await phone.getByTestId('mss-submit').tap();
    await phone.getByTestId('mss-incident').waitFor();
    const ref = (await phone.getByTestId('mss-incident-ref').textContent()).split(' ')[0];
    assert.match(ref, /^INC-\d+$/);
    await phone.locator('[data-testid^=mss-attachment-]').first().waitFor();

    // The handler's queue shows it without a reload.
    const row = desk.locator('[data-testid^=queue-row-]', { hasText: title });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'new');
    assert.equal(await row.getByTestId('incident-sla').getAttribute('data-sla'), 'ok');
    // The new incident's notification reached the handler's bell, live.
    await desk.waitForFunction(() => Number(document.querySelector('[data-testid=notify-count]')?.dataset.count) > 0);
    await row.getByRole('link', { name: ref }).click();
    await desk.getByTestId('page-desk-incident').waitFor();
    await desk.locator('[data-testid^=attachment-]').first().waitFor();
    await desk.getByTestId('message-input').fill('收到，正在查看');
    await desk.getByTestId('message-send').click();
    // The phone shows the reply without a reload.
    await phone.getByTestId('mss-messages').getByText('收到，正在查看').waitFor();

    // An internal note never reaches the reporter.
    await desk.getByTestId('message-internal').check();
    await desk.getByTestId('message-input').fill('内部：可能是撮合延迟');
    await desk.getByTestId('message-send').click();
    await desk.getByTestId('message-list').getByText('内部：可能是撮合延迟').waitFor();

    await desk.getByTestId('action-accept').click();
    await desk.locator('[data-testid=page-desk-incident][data-status=accepted]').waitFor();
    await desk.getByTestId('script-add').click();
    await desk.getByTestId('script-description').fill('修复委托状态');
    await desk.getByTestId('script-content').fill("UPDATE orders SET status = 'done' WHERE id = 42;");
    await desk.getByTestId('script-ok').click();
    await desk.locator('[data-testid^=script-][data-status=pending]').waitFor();
    await desk.getByTestId('action-transfer').click();
    await desk.getByTestId('action-field-group').click();
    await desk.locator('.ant-select-item-option', { hasText: '运维组' }).click();
    await desk.getByTestId('action-field-note').fill('请运维执行修复脚本');
    await desk.getByTestId('action-ok').click();
    await desk.locator('[data-testid=page-desk-incident][data-status=transferred]').waitFor();

    // The ops member approves (not their own script), records the result, hands it back.
    const opsCtx = await d.newContext();
    const incidentPath = new URL(desk.url()).pathname;
    const { page: ops } = await d.open(opsCtx, `/login?next=${encodeURIComponent(incidentPath)}`, 'page-login');
    await loginDesk(ops, 'wang');
    await ops.getByTestId('page-desk-incident').waitFor();
    await ops.getByTestId('script-approve').click();
    await ops.getByTestId('script-comment').fill('已核对，可以执行');
    await ops.getByTestId('script-ok').click();
    await ops.locator('[data-testid^=script-][data-status=approved]').waitFor();
    await ops.getByTestId('script-result').click();
    await ops.getByTestId('script-output').fill('1 row updated');
    await ops.getByTestId('script-succeeded').click();
    await ops.locator('[data-testid^=script-][data-status=executed]').waitFor();
    assert.equal(await ops.getByTestId('message-list').getByText('内部：可能是撮合延迟').count(), 1, 'members see internal notes');
    await ops.getByTestId('action-return').click();
    await ops.getByTestId('action-field-note').fill('已执行');
    await ops.getByTestId('action-ok').click();
    // Handed back, it is no longer the group's: the member's page goes back to the queue.
    await ops.getByTestId('page-desk-queue').waitFor();

    // The handler's page followed live; resolve with cause and solution.
    await desk.locator('[data-testid=page-desk-incident][data-status=accepted]').waitFor();
    await desk.getByTestId('action-resolve').click();
    await desk.getByTestId('action-field-cause').fill('撮合状态未回写');
    await desk.getByTestId('action-field-solution').fill('执行修复脚本回写状态');
    await desk.getByTestId('action-ok').click();
    await desk.locator('[data-testid=page-desk-incident][data-status=resolved]').waitFor();

    // The reporter sees it resolved, without the internal note, and confirms.
    await phone.locator('[data-testid=mss-incident][data-status=resolved]').waitFor();
    assert.equal(await phone.getByText('内部：可能是撮合延迟').count(), 0, 'no internal note on the phone');
    await phone.getByTestId('mss-confirm').tap();
    await phone.locator('[data-testid=mss-incident][data-status=closed]').waitFor();
    await desk.locator('[data-testid=page-desk-incident][data-status=closed]').waitFor();

    // Every step is in the history.
    for (const action of ['create', 'accept', 'script_add', 'transfer', 'script_approve', 'script_result', 'return',
      'resolve', 'confirm']) {
      assert.ok(await desk.getByTestId(`history-${action}`).count() >= 1, `history has ${action}`);
    }
    // My reports on the phone show it closed.
    await phone.getByTestId('mss-tab-mine').tap();
    await phone.locator('[data-testid^=mss-report-][data-status=closed]', { hasText: title }).waitFor();
    d.assertNoProblems();
    await Promise.all([handlerCtx.close(), phoneCtx.close(), opsCtx.close()]);
  });

  test('markup in a report stays text; a non-image named .png is refused with a message', async () => {
    const phoneCtx = await d.newContext('phone');
    const { page } = await d.open(phoneCtx, '/m/', 'mss-login');
    let dialogs = 0;
    page.on('dialog', (dlg) => { dialogs += 1; void dlg.dismiss(); });
    await loginMss(page, 'li');
    await page.getByTestId('mss-report').waitFor();
    await page.getByTestId('mss-file-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png',
      buffer: Buffer.from('this is a text file, not an image\n') });
    await page.getByTestId('mss-report-error').getByText('photo.png：只能上传图片').waitFor();
    assert.equal(await page.getByTestId('mss-screenshot').count(), 0, 'the file was not taken');

    const markup = `<script>window.__xss = 1; alert(1)</script><img src=x onerror="window.__xss = 2; alert(2)">`;
    await page.getByTestId('mss-system').locator('.adm-selector-item').first().tap();
    await fillMss(page, 'mss-title', '<b>bold?</b>');
    await fillMss(page, 'mss-description', markup);
    await page.getByTestId('mss-submit').tap();
    await page.getByTestId('mss-incident').waitFor();
    assert.equal(await page.getByTestId('mss-incident-description').textContent(), markup);

    const deskCtx = await d.newContext();
    const { page: desk } = await d.open(deskCtx, '/login?next=/desk', 'page-login');
    desk.on('dialog', (dlg) => { dialogs += 1; void dlg.dismiss(); });
    await loginDesk(desk, 'zhang');
    const row = desk.locator('[data-testid^=queue-row-]', { hasText: '<b>bold?</b>' });
    await row.waitFor();
    await row.locator('a').first().click();
    await desk.getByTestId('page-desk-incident').waitFor();
    assert.equal(await desk.getByTestId('incident-description').textContent(), markup);
    assert.equal(await desk.getByTestId('incident-title').textContent(), '<b>bold?</b>');
    assert.equal(await desk.locator('[data-testid=incident-description] img, [data-testid=incident-description] script').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await desk.evaluate(() => window.__xss), undefined);
    assert.equal(dialogs, 0, 'no dialog opened');
    d.assertNoProblems();
    await Promise.all([phoneCtx.close(), deskCtx.close()]);
  });

  test('offline on the phone: a reply typed offline waits, then goes; a reply sent meanwhile appears on return', async () => {
    const li = await apiSession(d.server, 'li');
    const zhang = await apiSession(d.server, 'zhang');
    const meta = await li('GET', '/api/v1/incidents/meta');
    const incident = await li('POST', '/api/v1/incidents', { title: '离线测试', description: '网点网络不稳', system: meta.systems[0] });
    const phoneCtx = await d.newContext('phone');
    const { page, watcher } = await d.open(phoneCtx, '/m/', 'mss-login');
    await loginMss(page, 'li');
    await page.getByTestId('mss-report').waitFor();
    await page.goto(d.server.url(`/m/incidents/${incident.id}`));
    await page.getByTestId('mss-incident').waitFor();

    await phoneCtx.setOffline(true);
    await page.getByTestId('mss-offline').waitFor();
    await fillMss(page, 'mss-message-input', '客户还在等，请尽快');
    await page.getByTestId('mss-message-send').tap();
    await page.getByTestId('mss-message-pending').getByText('客户还在等，请尽快', { exact: false }).waitFor();
    await zhang('POST', `/api/v1/incidents/${incident.id}/messages`, { body: '已联系交易所，稍等' });

    await phoneCtx.setOffline(false);
    await page.getByTestId('mss-messages').getByText('已联系交易所，稍等').waitFor();
    await page.getByTestId('mss-message-pending').waitFor({ state: 'detached' });
    const { messages } = await zhang('GET', `/api/v1/incidents/${incident.id}/messages`);
    assert.deepEqual(messages.filter((m) => m.kind === 'public').map((m) => [m.author, m.body]),
      [['zhang', '已联系交易所，稍等'], ['li', '客户还在等，请尽快']], 'the offline reply reached the server after the handler\'s');
    // English on request.
    await page.getByTestId('mss-lang').tap();
    await page.getByTestId('mss-tab-mine').getByText('My reports').waitFor();
    // Only the failures the test caused by going offline are excused.
    watcher.problems = watcher.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/.test(p));
    d.assertNoProblems();
    await phoneCtx.close();
  });

  test('admin: a system added in the settings; ITSM CSV dry run lists a bad row, the import takes the good ones', async () => {
    const ctx = await d.newContext();
    const { page } = await d.open(ctx, '/login?next=/desk/settings', 'page-login');
    await loginDesk(page, 'admin');
    await page.getByTestId('page-desk-settings').waitFor();
    const systems = page.getByTestId('settings-systems');
    await systems.click();
    await page.keyboard.type('基金');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByTestId('settings-save').click();
    await page.getByText('已保存').waitFor();
    const admin = await apiSession(d.server, 'admin');
    assert.ok((await admin('GET', '/api/v1/incidents/meta')).systems.includes('基金'), 'the new system is saved');

    await page.getByTestId('nav-desk-import').click();
    await page.getByTestId('page-desk-import').waitFor();
    const csv = 'ref,title,description,system,created_at,status\n'
      + 'ITSM-1,柜台打印机故障,打印不出回单,交易,2026-10-08 09:15,closed\n'
      + 'ITSM-2,,无标题的工单,交易,2026-10-09 10:00,closed\n'
      + 'ITSM-3,转账限额咨询,客户问限额,账户,not-a-time,closed\n';
    await page.locator('[data-testid=page-desk-import] input[type=file]').setInputFiles(
      { name: 'itsm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-mapping').waitFor();
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-summary').getByText('共 3 行，有效 1 行').waitFor();
    const errors = page.getByTestId('import-errors');
    await errors.getByText('title', { exact: true }).waitFor();
    await errors.getByText('created_at', { exact: true }).waitFor();
    assert.equal((await admin('GET', '/api/v1/incidents?q=柜台打印机')).items.length, 0, 'a dry run imports nothing');
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-summary').getByText('已导入 1 条').waitFor();
    const imported = (await admin('GET', '/api/v1/incidents?q=柜台打印机')).items;
    assert.equal(imported.length, 1);
    assert.equal(imported[0].channel, 'itsm');
    d.assertNoProblems();
    await ctx.close();
  });
});
