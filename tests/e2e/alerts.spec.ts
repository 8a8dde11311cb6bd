import { alertPixelsOnMap } from './map-pixels';
import { alertQueue, expect, queueRows, test } from './fixtures';

test('alerts from the hub appear in the queue and on the map', async ({ hub, openConsole, snap }) => {
  // Some history before the console starts (caught up by pull), more while it runs (live).
  await hub.simulate(400);
  const console_ = await openConsole('a');
  const { page } = console_;

  await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });
  const queue = alertQueue(page);
  await expect(queue).toBeVisible();
  await expect(queueRows(page).first()).toBeVisible();
  const before = await queueRows(page).count();
  expect(before).toBeGreaterThan(0);

  const map = page.getByRole('region', { name: 'Map' });
  await expect(map).toBeVisible();
  await expect
    .poll(() => alertPixelsOnMap(map), { message: 'alert markers drawn on the map canvas' })
    .toBeGreaterThan(30);
  await snap(page, 'caught-up');

  // Live: new events reach the open console without a reload.
  const countText = page.getByText(/^\d+ of \d+ alerts$/);
  const totalOf = async (): Promise<number> =>
    Number(/of (\d+) alerts/.exec((await countText.textContent()) ?? '')?.[1] ?? 0);
  const totalBefore = await totalOf();
  await hub.simulate(400);
  await expect.poll(totalOf, { message: 'alerts that arrived live' }).toBeGreaterThan(totalBefore);

  // Choosing an alert in the queue opens its detail, with its CAP fields.
  await queueRows(page).first().click();
  const detail = page.getByRole('region', { name: 'Alert detail' });
  await expect(detail.getByText('Severity', { exact: true }).first()).toBeVisible();
  await snap(page, 'alert-opened');

  // The production bundle runs under the shell's CSP (served here as in Electron) without a violation.
  expect(console_.diagnostics.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
});
