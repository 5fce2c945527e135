// From a monitoring alert to an incident in one click (issue 5, "From alert to incident"): the
// e2e bank at 09:38 of its last day, where A002's system_success alert is firing. A handler who
// is not logged in clicks "open incident" on the alert, logs in, and lands on the new incident
// (channel alert, the alert's fingerprint, its abnormal records as a system message); a second
// click finds the same incident instead of opening another.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startConsole } from '../lib/console.js';
import { addUser, loginDesk } from '../lib/desk.js';

describe('alert to incident', { timeout: 600_000 }, () => {
  let c;
  before(async () => {
    c = await startConsole({ name: 'desk-alert', until: '09:38' });
    // The CLI writes to the running server's store (SQLite in WAL mode allows both).
    await addUser(path.join(c.server.dir, 'data'), { name: 'zhang', role: 'handler' });
  });
  after(async () => c?.close());

  it('open incident on a firing alert: login first, then the incident linked to the alert', async () => {
    const alerts = (await c.server.get('/api/v1/alerts?state=firing')).alerts;
    const alert = alerts.find((a) => a.rule === 'system_success' && a.key.txn === 'A002');
    assert.ok(alert?.fingerprint, 'A002 system_success is firing');
    const { page } = await c.open('/alerts', 'page-alerts');
    await page.getByTestId(`alert-row-${alert.fingerprint}`).getByTestId('alert-open-incident').click();
    await page.getByTestId('page-login').waitFor();
    await loginDesk(page, 'zhang');
    const incidentPage = page.getByTestId('page-desk-incident');
    await incidentPage.waitFor();
    const id = await incidentPage.getAttribute('data-id');
    assert.equal(await incidentPage.getAttribute('data-status'), 'new');
    await page.getByTestId('incident-details').getByText(alert.fingerprint).waitFor();
    await page.locator('[data-testid^=message-][data-kind=system]').first().waitFor();

    // Once more from the alerts page: the incident already open for the alert, not a new one.
    await page.goto(c.server.url('/alerts'));
    await page.getByTestId(`alert-row-${alert.fingerprint}`).getByTestId('alert-open-incident').click();
    await incidentPage.waitFor();
    assert.equal(await incidentPage.getAttribute('data-id'), id);
    await c.assertNoProblems();
  });
});
