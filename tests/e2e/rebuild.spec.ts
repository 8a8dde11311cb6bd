import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openConsole } from '../harness/console';
import { expect, queueRows, test } from './fixtures';

/**
 * Issue 5: a console that comes back after the hub compacted its log past it says it is
 * rebuilding from the hub's snapshot (StatusBar, en and zh-CN), keeps its pending action,
 * and ends online with the action confirmed.
 */
test('a console behind the hub’s retention shows the rebuild, keeps its pending action, ends online', async ({
  browser,
  hub,
  snap,
}) => {
  test.setTimeout(600_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-rebuild-'));
  try {
    await hub.simulate(400);
    const token = await hub.issueToken({ role: 'officer', name: 'Officer Bea', position: 'Duty Officer' });
    let c = await openConsole(browser, { dataDir, hubUrl: hub.url, token });
    const status = () => c.page.getByRole('status', { name: 'Connection status' });
    await expect(status()).toContainText('Online', { timeout: 120_000 });
    await expect(queueRows(c.page).first()).toBeVisible();
    await c.close();

    // Offline: one acknowledgement waits in the outbox.
    c = await openConsole(browser, { dataDir, hubUrl: 'http://127.0.0.1:9', token });
    const row = queueRows(c.page)
      .filter({ has: c.page.getByText('New', { exact: true }) })
      .first();
    const alertId = await row.getAttribute('data-alert-id');
    const headline = (await row.locator('.wf-row__headline').textContent())?.trim() ?? '';
    await row.click();
    await c.page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(c.page.getByText('1 action pending')).toBeVisible({ timeout: 30_000 });
    await c.close();

    // The hub moves on and keeps only its newest entries.
    await hub.simulate(6_000);
    hub.compact(hub.head() - 5);

    c = await openConsole(browser, { dataDir, hubUrl: hub.url, token });
    await expect(status()).toContainText("Rebuilding from the hub's snapshot", { timeout: 120_000 });
    await expect(c.page.getByText('1 action pending')).toBeVisible();
    await snap(c.page, 'rebuilding');
    await expect(status()).toContainText('Online', { timeout: 300_000 });
    await expect(c.page.getByText('No actions pending')).toBeVisible({ timeout: 60_000 });
    // the acknowledgement made offline is the hub's now
    await c.page.getByRole('searchbox', { name: 'Filter alerts' }).fill(headline);
    const rowAfter = c.page.locator(`[role="option"][data-alert-id="${alertId}"]`);
    await expect(rowAfter.getByText('Acknowledged', { exact: true })).toBeVisible({ timeout: 30_000 });
    await snap(c.page, 'rebuilt-online');
    await c.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
