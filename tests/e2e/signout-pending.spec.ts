import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { systemClock } from '../../shared/clock';
import { startHub, type Hub } from '../../hub/server';
import { HubStore } from '../../hub/store/hubStore';
import { openConsole, type HarnessConsole } from '../harness/console';
import { expect, test } from './fixtures';

/**
 * Signing out with actions still waiting for the hub (issue 6, decision 0036), in Chromium with
 * a real hub and worker: Ada acts while the hub is down; the sign-out dialog tells her the action
 * is waiting and will be sent in her name; Ben signs in from the cache; the hub comes back and
 * records the action as Ada's, not Ben's.
 */

const ADA = { name: 'Ada Okafor', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const BEN = { name: 'Ben Ito', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
}

async function signOut(page: Page, note: string): Promise<void> {
  await page.getByLabel('Signed-in officer').getByRole('button', { name: 'Sign out' }).click();
  await page.keyboard.type(note);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
}

function openedBy(hubDir: string, title: string): string | undefined {
  const store = HubStore.open(path.join(hubDir, 'hub.sqlite'), systemClock);
  try {
    return store
      .read(0, 100_000)
      .flatMap((e) => (e.type === 'incident.opened' ? [e.payload.incident] : []))
      .find((i) => i.title === title)?.openedBy.name;
  } finally {
    store.close();
  }
}

test('an action left waiting at sign-out is announced, and reaches the hub in its maker’s name after the next officer signs in', async ({
  browser,
  snap,
}) => {
  test.setTimeout(300_000);
  const hubDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-pending-hub-'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-pending-'));
  let hub: Hub | null = await startHub({ dataDir: hubDir, port: 0, simulate: null });
  const port = hub.port;
  hub.roster.put(ADA, 'ada-password-1');
  hub.roster.put(BEN, 'ben-password-1');
  let console_: HarnessConsole | null = null;
  try {
    console_ = await openConsole(browser, { dataDir, hubUrl: hub.url, recheckMs: 1_000 });
    const { page, host } = console_;
    const status = page.getByRole('status', { name: 'Connection status' });
    await signIn(page, 'Ben Ito', 'ben-password-1'); // Ben has signed in at this console before
    await expect(status).toContainText('Online', { timeout: 60_000 });
    await signOut(page, 'Nothing open.');
    await signIn(page, 'Ada Okafor', 'ada-password-1');
    await page
      .getByRole('dialog', { name: 'Handover note' })
      .getByRole('button', { name: 'Read — start the shift' })
      .click({ timeout: 60_000 }); // Ben's note
    await expect(status).toContainText('Online', { timeout: 60_000 });

    // The hub goes away; Ada opens an incident, which waits in the outbox.
    await hub.close();
    hub = null;
    await expect(status).toContainText('Offline', { timeout: 60_000 });
    const opened = await host.invoke('watchfloor:openIncident', {
      title: 'Culvert blocked at Hald Lane',
      incidentType: 'flooding',
      priority: 2,
    });
    expect(opened.ok).toBe(true);

    // Signing out tells her it is waiting, and in whose name it will be sent.
    await page.getByLabel('Signed-in officer').getByRole('button', { name: 'Sign out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out and hand over' });
    const pending = dialog.getByRole('note');
    await expect(pending).toContainText('1 action made at this console has not reached the hub yet.');
    await expect(pending).toContainText(
      "When the hub is back it is sent in the name of the officer who made it, while that officer's sign-in is valid (yours until",
    );
    await expect(pending).toContainText("it is never sent in another officer's name.");
    await expect(dialog.getByLabel('Handover note')).toHaveValue(/Pending actions: 1 waiting for the hub\./);
    await snap(page, '1-signout-with-pending-action');
    await page.keyboard.type('Culvert incident not yet on the hub.');
    await page.keyboard.press('Control+Enter');

    // Ben signs in from the cache; then the hub comes back.
    await signIn(page, 'Ben Ito', 'ben-password-1');
    const notice = page.getByRole('dialog', { name: 'Handover note' });
    await expect(notice).toContainText('Culvert incident not yet on the hub.', { timeout: 60_000 });
    await notice.getByRole('button', { name: 'Read — start the shift' }).click();
    await expect(page.getByLabel('Signed-in officer')).toContainText('Offline sign-in');

    hub = await startHub({ dataDir: hubDir, port, simulate: null });
    await expect(status).toContainText('Online', { timeout: 90_000 });
    await expect(page.getByText('No actions pending')).toBeVisible({ timeout: 60_000 });
    expect(openedBy(hubDir, 'Culvert blocked at Hald Lane')).toBe('Ada Okafor');
    await snap(page, '2-delivered-as-ada');
  } finally {
    await console_?.close();
    await hub?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(hubDir, { recursive: true, force: true });
  }
});
