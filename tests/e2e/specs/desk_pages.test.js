// More of the incident desk in the browser: the back office in English (no Chinese left where a
// user reads, notifications included), a reporter reopening a resolved incident from the phone (the handler's queue gets
// it back live, the history shows the reopen, the page's code preloaded), and replies with images
// from the phone (the handler sees the image live; a non-image named .png and a broken PNG are
// refused with a message; offline an image reply waits in the box instead of vanishing), and the
// e-mail addresses: the reporter's own on the MSS "me" page, everyone's on the admin's users page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { PNG, apiSession, fillMss, loginDesk, loginMss, startDesk } from '../lib/desk.js';

const USERS = [
  { name: 'li', role: 'reporter' },
  { name: 'zhang', role: 'handler' },
  { name: 'admin', role: 'admin' },
];
// Chinese characters and full-width punctuation: none may remain in the English pages.
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

async function assertNoChinese(locator, where) {
  const lines = (await locator.innerText()).split('\n').filter((l) => CJK.test(l));
  assert.deepEqual(lines, [], `${where} in English still shows Chinese: ${lines.join(' | ')}`);
}

// Resolves once `page` has the desk's event stream open: the server registers the listener before
// its first bytes, so what happens after this reaches the page live (nothing slips in between).
function streamOpened(page) {
  return page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/incidents/stream' && r.status() === 200);
}

// The width an <img> (or the one inside `locator`) was decoded at: > 0 once the image loaded.
async function waitImageLoaded(page, locator) {
  const el = await locator.elementHandle();
  await page.waitForFunction((e) => {
    const img = e.tagName === 'IMG' ? e : e.querySelector('img');
    return img && img.complete && img.naturalWidth > 0;
  }, el);
}

describe('the incident desk: English, reopen, images in replies', () => {
  let d;
  let li;
  let zhang;
  before(async () => {
    d = await startDesk({ name: 'desk-pages', users: USERS });
    // English data (systems are the admin's), so any Chinese on an English page is the page's.
    const admin = await apiSession(d.server, 'admin');
    await admin('PUT', '/api/v1/incidents/settings', { systems: ['Trading', 'Accounts'] });
    li = await apiSession(d.server, 'li');
    zhang = await apiSession(d.server, 'zhang');
  });
  after(async () => {
    await d?.close();
  });

  const report = (title) => li('POST', '/api/v1/incidents', { title, description: `${title}: details`, system: 'Trading' });

  test('the back office in English: queue, incident page, actions and history', async () => {
    const incident = await report('Order stuck in processing');
    const ctx = await d.newContext();
    const { page } = await d.open(ctx, '/login?next=/desk', 'page-login');
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByTestId('login-submit').getByText('Log in').waitFor();
    await loginDesk(page, 'zhang');
    const queue = page.getByTestId('page-desk-queue');
    await queue.waitFor();
    await page.getByTestId(`queue-row-${incident.id}`).waitFor();
    await queue.getByText('Incident queue').waitFor();
    await page.getByTestId(`queue-row-${incident.id}`).getByText('New', { exact: true }).waitFor();
    await assertNoChinese(queue, 'the queue');
    await assertNoChinese(page.getByTestId('side-menu'), 'the side menu');

    await page.getByTestId(`queue-link-${incident.id}`).click();
    const view = page.getByTestId('page-desk-incident');
    await view.waitFor();
    await page.getByTestId('action-accept').getByText('Accept').waitFor();
    await assertNoChinese(view, 'the incident page');
    await page.getByTestId('action-accept').click();
    await page.locator('.ant-message').getByText('Done: Accept').waitFor();
    await page.locator('[data-testid=page-desk-incident][data-status=accepted]').waitFor();
    await page.getByTestId('history-accept').getByText('accepted').waitFor();
    // A form of an action: its title, labels and the group names in English.
    await page.getByTestId('action-transfer').click();
    const modal = page.locator('.ant-modal-content');
    await modal.getByText('Transfer', { exact: true }).waitFor();
    await page.getByTestId('action-field-group').click();
    await page.locator('.ant-select-item-option', { hasText: 'Operations' }).waitFor();
    await assertNoChinese(modal, 'the transfer form');
    await assertNoChinese(page.locator('.ant-select-dropdown:visible'), 'the group list');
    await page.locator('.ant-select-item-option', { hasText: 'Operations' }).click();
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await modal.waitFor({ state: 'detached' });
    await assertNoChinese(view, 'the accepted incident page');
    // The in-app notifications too: the server keeps each in both languages.
    await page.goto(d.server.url('/desk/notifications'));
    const notes = page.getByTestId('page-desk-notifications');
    await notes.getByText(`li reported INC-${String(incident.id).padStart(6, '0')}`).first().waitFor();
    await assertNoChinese(notes, 'the notifications');
    d.assertNoProblems();
    await ctx.close();
  });

  test('reopen: the reporter reopens a resolved incident with a reason; the queue gets it back live', async () => {
    const open = await report('Still open elsewhere');
    const incident = await report('Balance not updated');
    await zhang('POST', `/api/v1/incidents/${incident.id}/accept`, {});
    await zhang('POST', `/api/v1/incidents/${incident.id}/resolve`, { cause: 'cache', solution: 'cache cleared' });

    // The handler watches the open incidents: the resolved one is not among them.
    const deskCtx = await d.newContext();
    const { page: desk } = await d.open(deskCtx, `/login?next=${encodeURIComponent('/desk?status=new,accepted,transferred')}`, 'page-login');
    const listening = streamOpened(desk);
    await loginDesk(desk, 'zhang');
    await desk.getByTestId(`queue-row-${open.id}`).waitFor();
    await listening;
    assert.equal(await desk.getByTestId(`queue-row-${incident.id}`).count(), 0, 'a resolved incident is not open');

    const phoneCtx = await d.newContext('phone');
    const { page: phone } = await d.open(phoneCtx, '/m/', 'mss-login');
    await loginMss(phone, 'li');
    await phone.getByTestId('mss-report').waitFor();
    await phone.goto(d.server.url(`/m/incidents/${incident.id}`));
    await phone.locator('[data-testid=mss-incident][data-status=resolved]').waitFor();
    await phone.getByTestId('mss-reopen').tap();
    await fillMss(phone, 'mss-reopen-reason', 'The balance is still wrong today');
    await phone.getByTestId('mss-reopen-ok').tap();
    await phone.locator('[data-testid=mss-incident][data-status=accepted]').waitFor();

    // Back in the handler's queue without a reload, in progress again.
    await desk.locator(`[data-testid=queue-row-${incident.id}][data-status=accepted]`).waitFor();
    // Opened by its address, the page's code comes with the main bundle (web/preloadRoutes.ts).
    await desk.goto(d.server.url(`/desk/incidents/${incident.id}`));
    await desk.getByTestId('page-desk-incident').waitFor();
    const preloaded = await desk.evaluate(() =>
      [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => new URL(l.href).pathname));
    assert.ok(preloaded.some((f) => /\/DeskRoutes-[^/]+\.js$/.test(f)), `DeskRoutes preloaded: ${preloaded}`);
    assert.ok(preloaded.some((f) => /\/IncidentPage-[^/]+\.js$/.test(f)), `IncidentPage preloaded: ${preloaded}`);
    const reopen = desk.getByTestId('history-reopen');
    await reopen.getByText('The balance is still wrong today', { exact: false }).waitFor();
    assert.match(await reopen.innerText(), /li/);
    d.assertNoProblems();
    await Promise.all([deskCtx.close(), phoneCtx.close()]);
  });

  test('a reply with images from the phone reaches the handler live; wrong files get a message', async () => {
    const incident = await report('Screen shows an error code');
    const deskCtx = await d.newContext();
    const { page: desk } = await d.open(deskCtx, `/login?next=/desk/incidents/${incident.id}`, 'page-login');
    const listening = streamOpened(desk);
    await loginDesk(desk, 'zhang');
    await desk.getByTestId('page-desk-incident').waitFor();
    await listening;

    const phoneCtx = await d.newContext('phone');
    const { page: phone, watcher } = await d.open(phoneCtx, '/m/', 'mss-login',
      { expectHttpErrors: [/POST .*\/api\/v1\/incidents\/\d+\/attachments\?filename=broken\.png$/] });
    await loginMss(phone, 'li');
    await phone.getByTestId('mss-report').waitFor();
    await phone.goto(d.server.url(`/m/incidents/${incident.id}`));
    await phone.getByTestId('mss-incident').waitFor();

    // A text file named .png is refused on the phone, before any upload.
    await phone.getByTestId('mss-reply-file-input').setInputFiles({ name: 'fake.png', mimeType: 'image/png',
      buffer: Buffer.from('this is a text file, not an image\n') });
    await phone.getByTestId('mss-incident-error').getByText('fake.png：只能上传图片').waitFor();
    assert.equal(await phone.getByTestId('mss-reply-screenshot').count(), 0);
    // A PNG signature with nothing behind it passes the phone's look at the first bytes; the
    // server reads it (415) and the page says so in its words.
    await phone.getByTestId('mss-reply-file-input').setInputFiles({ name: 'broken.png', mimeType: 'image/png',
      buffer: Buffer.concat([PNG.subarray(0, 8), Buffer.from('not really a png')]) });
    await phone.getByTestId('mss-reply-screenshot').waitFor();
    await phone.getByTestId('mss-message-send').tap();
    await phone.getByTestId('mss-incident-error').getByText('broken.png：服务器拒收，不是可接受的图片', { exact: false }).waitFor();
    assert.equal(await phone.getByTestId('mss-reply-screenshot').count(), 0, 'the refused image left the box');

    // Offline, a reply with an image is not queued silently: it says so and keeps the image.
    await phoneCtx.setOffline(true);
    await phone.getByTestId('mss-offline').waitFor();
    await phone.getByTestId('mss-reply-file-input').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
    await phone.getByTestId('mss-reply-screenshot').waitFor();
    await phone.getByTestId('mss-message-send').tap();
    await phone.getByTestId('mss-incident-error').getByText('带图片的回复需要网络连接', { exact: false }).waitFor();
    assert.equal(await phone.getByTestId('mss-reply-screenshot').count(), 1, 'the image is still in the box');
    assert.equal(await phone.getByTestId('mss-message-pending').count(), 0, 'nothing queued');

    // Back online: the same reply (images only, no text) goes, and the handler sees the image.
    await phoneCtx.setOffline(false);
    await phone.getByTestId('mss-offline').waitFor({ state: 'detached' });
    await phone.getByTestId('mss-message-send').tap();
    const mine = phone.locator('[data-testid^=mss-message-image-]');
    await mine.first().waitFor();
    await waitImageLoaded(phone, mine.first());
    assert.equal(await phone.getByTestId('mss-reply-screenshot').count(), 0, 'the box is empty after sending');
    assert.equal(await phone.locator('[data-testid^=mss-attachment-]').count(), 0, 'a reply image is not a report screenshot');
    const theirs = desk.getByTestId('message-list').locator('[data-testid^=message-image-]');
    await theirs.first().waitFor();
    await waitImageLoaded(desk, theirs.first());
    assert.equal(await desk.locator('[data-testid^=attachment-]').count(), 0, 'nor on the back office\'s report');

    const { messages } = await zhang('GET', `/api/v1/incidents/${incident.id}/messages`);
    const sent = messages.filter((m) => m.author === 'li');
    assert.equal(sent.length, 1, 'one reply: the refused and the offline tries sent nothing');
    assert.equal(sent[0].body, '');
    assert.equal(sent[0].attachments.length, 1);
    watcher.problems = watcher.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/.test(p));
    d.assertNoProblems();
    await Promise.all([deskCtx.close(), phoneCtx.close()]);
  });

  test('e-mail: the reporter sets their address on the phone; the admin sees and edits addresses', async () => {
    const phoneCtx = await d.newContext('phone');
    const { page: phone } = await d.open(phoneCtx, '/m/', 'mss-login',
      { expectHttpErrors: [/PATCH .*\/api\/v1\/auth\/me$/] });
    await loginMss(phone, 'li');
    await phone.getByTestId('mss-report').waitFor();
    await phone.getByTestId('mss-tab-me').tap();
    await phone.getByTestId('mss-me').waitFor();
    await phone.getByTestId('mss-me-explain').getByText('也会发邮件到这个地址', { exact: false }).waitFor();
    await phone.getByTestId('mss-me-current').getByText('未设置').waitFor();

    // Not an address: the server's own message, nothing stored.
    const [refused] = await Promise.all([
      phone.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH'),
      fillMss(phone, 'mss-me-email', 'not-an-address').then(() => phone.getByTestId('mss-me-save').tap()),
    ]);
    assert.equal(refused.status(), 400);
    const serverMessage = (await refused.json()).error.message;
    await phone.getByTestId('mss-me-error').getByText(serverMessage).waitFor();
    assert.equal((await li('GET', '/api/v1/auth/me')).email || '', '', 'nothing stored');

    await fillMss(phone, 'mss-me-email', 'li@bank.example');
    await phone.getByTestId('mss-me-save').tap();
    await phone.getByTestId('mss-me-current').getByText('li@bank.example').waitFor();
    await phone.getByTestId('mss-me-error').waitFor({ state: 'detached' });
    await phone.reload();
    await phone.getByTestId('mss-me-current').getByText('li@bank.example').waitFor();
    assert.equal(await phone.getByTestId('mss-me-email').evaluate((e) => (e.tagName === 'INPUT' ? e : e.querySelector('input')).value),
      'li@bank.example', 'the field holds the stored address after a reload');

    // The admin's users page shows it, creates a user with an address, and edits li's.
    const adminCtx = await d.newContext();
    const { page } = await d.open(adminCtx, '/login?next=/desk/users', 'page-login');
    await loginDesk(page, 'admin');
    await page.getByTestId('page-desk-users').waitFor();
    await page.getByTestId('user-row-li').getByTestId('user-email').getByText('li@bank.example').waitFor();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-form-name').fill('chen');
    await page.getByTestId('user-form-email').fill('chen@bank.example');
    await page.getByTestId('user-form-ok').click();
    await page.getByTestId('user-row-chen').getByTestId('user-email').getByText('chen@bank.example').waitFor();
    assert.ok((await page.getByTestId('user-generated-password').innerText()).length >= 10, 'the generated password is shown');
    await page.getByTestId('user-edit-li').click();
    await page.getByTestId('user-form-email').fill('li.wang@bank.example');
    await page.getByTestId('user-form-ok').click();
    await page.getByTestId('user-row-li').getByTestId('user-email').getByText('li.wang@bank.example').waitFor();
    const admin = await apiSession(d.server, 'admin');
    const listed = Object.fromEntries((await admin('GET', '/api/v1/users')).users.map((u) => [u.name, u]));
    assert.equal(listed.li.email, 'li.wang@bank.example');
    assert.equal(listed.chen.email, 'chen@bank.example');
    assert.equal(listed.chen.role, 'reporter');
    d.assertNoProblems();
    await Promise.all([phoneCtx.close(), adminCtx.close()]);
  });
});
