import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startHub, type Hub } from '../../hub/server';
import { openConsole, type HarnessConsole } from '../harness/console';
import { expect, test } from './fixtures';

/**
 * Issue 7, sounds and notifications end to end (decision 0027): a hub without the live
 * simulator (so nothing else makes a sound), CAP alerts posted to its POST /cap, the
 * production bundle in Chromium. The generated WAV must load under the CSP and start
 * playing (the indicator's data-sound-plays counts what the player actually started).
 * A Test alert is silent; mute shows and silences; a new Extreme alert sounds once and
 * asks the shell for a notification, whose click selects the alert.
 */

const SENDER = 'warnings@porthalden.example';
const run = Date.now().toString(36);
const capTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

function capXml(identifier: string, status: 'Actual' | 'Test', severity: string, headline: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier>
  <sender>${SENDER}</sender>
  <sent>${capTime(Date.now())}</sent>
  <status>${status}</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Infra</category>
    <event>Bridge strain</event>
    <urgency>Immediate</urgency>
    <severity>${severity}</severity>
    <certainty>Observed</certainty>
    <headline>${headline}</headline>
    <area><areaDesc>Harbour Bridge</areaDesc><circle>51.5,-0.1 0.5</circle></area>
  </info>
</alert>`;
}

async function post(hub: Hub, xml: string): Promise<void> {
  const token = await hub.issueToken({ role: 'feed', name: 'Bridge sensors' });
  const res = await fetch(`${hub.url}/cap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    body: xml,
  });
  expect(res.status, await res.text()).toBe(202);
}

const indicator = (page: Page) => page.getByTestId('sound-indicator');
const row = (page: Page, identifier: string) =>
  page.locator(`[role="option"][data-alert-id="${SENDER},${identifier}"]`);

test('a new Extreme alert sounds and notifies; a Test alert does not; mute shows and silences', async ({
  browser,
  snap,
}, testInfo) => {
  const hubDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-sound-hub-'));
  const consoleDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-sound-console-'));
  const hub = await startHub({ dataDir: hubDir, port: 0, simulate: null });
  let c: HarnessConsole | null = null;
  try {
    const token = await hub.issueToken({ role: 'officer', name: 'Officer S', position: 'Duty Officer' });
    c = await openConsole(browser, { dataDir: consoleDir, hubUrl: hub.url, token });
    const page = c.page;
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });
    await expect(indicator(page)).toHaveAttribute('data-muted', 'false');
    await expect(indicator(page)).toContainText('Sound on');

    // A Test message, however severe: in the queue, not in the room's ears.
    await post(hub, capXml(`TEST-${run}`, 'Test', 'Extreme', `Drill: bridge strain (${run})`));
    await expect(row(page, `TEST-${run}`)).toBeVisible({ timeout: 30_000 });
    // Muting now (the m key) shows at once, and the next real alert stays silent.
    await page.keyboard.press('m');
    await expect(indicator(page)).toHaveAttribute('data-muted', 'true');
    await expect(indicator(page)).toContainText('Sound muted');
    await post(hub, capXml(`MUTED-${run}`, 'Actual', 'Extreme', `Bridge strain while muted (${run})`));
    await expect(row(page, `MUTED-${run}`)).toBeVisible({ timeout: 30_000 });
    await snap(page, 'muted');
    await expect(indicator(page)).toHaveAttribute('data-sound-plays', '0');
    await expect(indicator(page)).toHaveAttribute('data-last-sound', '');
    // Muted is the sound only: the notification for the real Extreme alert was still asked for.
    await expect.poll(() => c!.notifications.map((n) => n.alertId)).toEqual([`${SENDER},MUTED-${run}`]);

    // Unmuted (a click on the indicator), the next Extreme alert is heard, once.
    await indicator(page).click();
    await expect(indicator(page)).toHaveAttribute('data-muted', 'false');
    const headline = `Bridge strain on span 3 (${run})`;
    await post(hub, capXml(`LOUD-${run}`, 'Actual', 'Extreme', headline));
    await expect(row(page, `LOUD-${run}`)).toBeVisible({ timeout: 30_000 });
    await expect(indicator(page)).toHaveAttribute('data-sound-plays', '1');
    await expect(indicator(page)).toHaveAttribute('data-last-sound', 'extreme');
    await expect(indicator(page)).toHaveAttribute('data-sound-failures', '0');
    await expect
      .poll(() => c!.notifications.at(-1))
      .toEqual({
        alertId: `${SENDER},LOUD-${run}`,
        title: 'Extreme: Bridge strain',
        body: headline,
        severity: 'Extreme',
      });

    // The tray hears of the count to acknowledge (all three are open).
    await expect.poll(() => c!.desktopStatus()?.unacknowledged).toBe(3);
    expect(c.desktopStatus()?.labels.tooltip).toBe('Watchfloor: online, 3 to acknowledge');

    // Clicking the notification (the shell's push) opens that alert.
    await c.sendDesktopEvent({ kind: 'focusAlert', alertId: `${SENDER},MUTED-${run}` });
    await expect(row(page, `MUTED-${run}`)).toHaveAttribute('aria-selected', 'true');
    await snap(page, 'after-notification-click');

    // The mute is remembered on this workstation: a reload comes back muted.
    await page.keyboard.press('m');
    await expect(indicator(page)).toHaveAttribute('data-muted', 'true');
    await page.reload();
    await expect(indicator(page)).toHaveAttribute('data-muted', 'true');
  } finally {
    if (c && c.diagnostics.length > 0)
      await testInfo.attach('console-diagnostics.txt', { body: c.diagnostics.join('\n'), contentType: 'text/plain' });
    await c?.close();
    await hub.close();
    rmSync(hubDir, { recursive: true, force: true });
    rmSync(consoleDir, { recursive: true, force: true });
  }
});
