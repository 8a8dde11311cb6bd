import { expect, queueRows, test } from './fixtures';

test('an alert acknowledged on console A shows as acknowledged on console B', async ({ hub, openConsole, snap }) => {
  await hub.simulate(400);
  const a = await openConsole('a');
  const b = await openConsole('b');
  for (const { page } of [a, b]) {
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });
    await expect(queueRows(page).first()).toBeVisible();
  }

  // Console A: open an alert not yet acknowledged, acknowledge it.
  const row = queueRows(a.page)
    .filter({ has: a.page.getByText('New', { exact: true }) })
    .first();
  const alertId = await row.getAttribute('data-alert-id');
  expect(alertId).toBeTruthy();
  const headline = (await row.locator('.wf-row__headline').textContent())?.trim() ?? '';
  await row.click();
  await a.page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(a.page.getByText(/^Acknowledged by Officer a at /)).toBeVisible();
  await snap(a.page, 'console-a-acknowledged');

  // Console B: the same alert, found the way an officer would (the filter), is acknowledged.
  await b.page.getByRole('searchbox', { name: 'Filter alerts' }).fill(headline);
  const rowOnB = b.page.locator(`[role="option"][data-alert-id="${alertId}"]`);
  await expect(rowOnB.getByText('Acknowledged', { exact: true })).toBeVisible({ timeout: 30_000 });
  await rowOnB.click();
  await expect(b.page.getByText(/^Acknowledged by Officer a at /)).toBeVisible();
  await expect(b.page.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
  await snap(b.page, 'console-b-sees-acknowledgement');
});
