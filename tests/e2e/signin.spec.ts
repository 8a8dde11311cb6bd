import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { openConsole, type HarnessConsole } from '../harness/console';
import { expect, test } from './fixtures';

/**
 * Sign-in, sign-out with a handover note, the next officer reading it, and an offline
 * sign-in with the cached credential while the hub is stopped (issue 6). The console is
 * opened without a token, so it starts at the sign-in screen.
 */

const ADA = { name: 'Ada Okafor', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const MARA = { name: 'Mara Quist', position: 'EOC Supervisor', agency: 'Port Halden EOC', role: 'supervisor' as const };

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
  // keyboard only: the name field has focus, Tab to the password, Enter signs in
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

const badge = (page: Page) => page.getByLabel('Signed-in officer');

test('officers sign in, hand over at sign-out, read the note, and sign in offline with the cached credential', async ({
  browser,
  hub,
  snap,
}) => {
  test.setTimeout(240_000);
  hub.roster.put(ADA, 'ada-password-1');
  hub.roster.put(MARA, 'mara-password-1');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-signin-'));
  let console_: HarnessConsole | null = null;
  try {
    console_ = await openConsole(browser, { dataDir, hubUrl: hub.url, recheckMs: 1_000 });
    const { page } = console_;

    // Ada signs in: the role and her name are in the status bar, and the console is live.
    await signIn(page, 'Ada Okafor', 'ada-password-1');
    await expect(badge(page)).toContainText('Duty officer', { timeout: 60_000 });
    await expect(badge(page)).toContainText('Ada Okafor');
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });

    // She signs out, writing her handover note under the prefilled one.
    await badge(page).getByRole('button', { name: 'Sign out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign out and hand over' });
    const note = dialog.getByLabel('Handover note');
    await expect(note).toBeFocused();
    await expect(note).toHaveValue(
      /Open incidents:[\s\S]*Pending actions: 0 waiting for the hub\.[\s\S]*Things to watch:/,
    );
    await page.keyboard.type('Hald river gauge rising; check again at 06:00.');
    await snap(page, 'handover-dialog');
    await page.keyboard.press('Control+Enter');

    // Mara signs in next and is shown Ada's note before the console.
    await signIn(page, 'Mara Quist', 'mara-password-1');
    const notice = page.getByRole('dialog', { name: 'Handover note' });
    await expect(notice).toBeVisible({ timeout: 60_000 });
    await expect(notice).toContainText('Left by Ada Okafor (Duty Officer)');
    await expect(notice).toContainText('Hald river gauge rising; check again at 06:00.');
    await snap(page, 'handover-notice');
    await expect(notice.getByRole('button', { name: 'Read — start the shift' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(notice).toBeHidden();
    await expect(badge(page)).toContainText('Supervisor');
    await expect(badge(page)).toContainText('Mara Quist');

    await badge(page).getByRole('button', { name: 'Sign out' }).click();
    await page.keyboard.type('Quiet.');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });

    // The hub goes away. A wrong password is refused; the right one opens Ada's cached credential.
    await hub.close();
    await signIn(page, 'Ada Okafor', 'not-adas-password');
    await expect(page.getByRole('alert')).toContainText('cannot be reached', { timeout: 30_000 });
    await page.getByLabel('Password').fill('ada-password-1');
    await page.keyboard.press('Enter');
    await expect(badge(page)).toContainText('Duty officer', { timeout: 60_000 });
    await expect(badge(page)).toContainText('Offline sign-in');
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Offline', { timeout: 60_000 });
    await snap(page, 'offline-sign-in');
  } finally {
    await console_?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
