import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { MutationPayload } from '../../shared/domain/mutations';
import { newId } from '../../shared/ids';
import { MutateAck } from '../../shared/protocol';
import { openConsole, type HarnessConsole } from '../harness/console';
import { ask, consoleFor, hlc } from '../hub/helpers';
import { expect, test } from './fixtures';

/**
 * The supervisors' audit trail in the browser (issue 6, renderer/export/AuditView.tsx), at one
 * console over a shift change: a duty officer signs in, has no Audit trail button and is refused
 * the `audit` command, and tries to close an incident another officer commands (the hub refuses
 * and audits it); a supervisor signs in next and reads the sign-ins and the refusal as audit
 * entries (time, event, officer, detail), newest first.
 */

const ADA = { name: 'Ada Okafor', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const MARA = { name: 'Mara Quist', position: 'EOC Supervisor', agency: 'Port Halden EOC', role: 'supervisor' as const };

async function signIn(page: Page, name: string, password: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
}

const badge = (page: Page) => page.getByLabel('Signed-in officer');

test('a supervisor reads sign-ins and an officer’s refused action in the audit trail; an officer has no audit trail', async ({
  browser,
  hub,
  snap,
}) => {
  test.setTimeout(300_000);
  hub.roster.put(ADA, 'ada-password-1');
  hub.roster.put(MARA, 'mara-password-1');
  // Ben, at another console, opens and commands an incident.
  const ben = await consoleFor(hub, 'officer', 'Ben Ito');
  const incidentId = newId();
  try {
    const payload: MutationPayload<'incident.open'> = {
      incidentId,
      title: 'Gas smell on Quay Road',
      incidentType: 'gas-pressure-loss',
      priority: 2,
    };
    expect(
      MutateAck.parse(await ask(ben, 'mutate', { id: newId(), type: 'incident.open', payload, hlc: hlc() })),
    ).toMatchObject({ ok: true });
  } finally {
    ben.close();
  }

  const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-audit-'));
  let console_: HarnessConsole | null = null;
  try {
    console_ = await openConsole(browser, { dataDir, hubUrl: hub.url });
    const { page, host } = console_;

    // Ada, a duty officer: no Audit trail button, and the command is refused.
    await signIn(page, 'Ada Okafor', 'ada-password-1');
    await expect(badge(page)).toContainText('Duty officer', { timeout: 60_000 });
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Audit trail' })).toHaveCount(0);
    await page.keyboard.press('Control+k');
    await expect(page.getByRole('combobox', { name: 'Command' })).toBeFocused();
    await page.keyboard.type('audit');
    const bar = page.getByRole('dialog', { name: 'Command' });
    await expect(bar).toContainText('Only a supervisor can open the audit trail; ask the EOC supervisor.');
    await page.keyboard.press('Enter');
    await expect(bar.getByRole('alert')).toHaveText('Not done. Your role may not do this.');
    await expect(page.getByRole('dialog', { name: 'Audit trail' })).toHaveCount(0);
    await snap(page, '1-officer-audit-refused');
    await page.keyboard.press('Escape');

    // She tries to close Ben's incident: her console sends it, the hub refuses and audits it.
    await expect
      .poll(async () => (await host.invoke('watchfloor:setIncidentStatus', { incidentId, status: 'closed' })).ok, {
        timeout: 60_000,
      })
      .toBe(true);
    await expect
      .poll(async () => {
        const r = await host.call('getOutbox');
        return r.ok ? (r.value as { state: string; error: { code: string } | null }[]).at(-1)?.error?.code : null;
      })
      .toBe('FORBIDDEN');

    await badge(page).getByRole('button', { name: 'Sign out' }).click();
    await page.keyboard.type('Handing over to the supervisor.');
    await page.keyboard.press('Control+Enter');

    // Mara, the supervisor, signs in next and opens the audit trail.
    await signIn(page, 'Mara Quist', 'mara-password-1');
    const notice = page.getByRole('dialog', { name: 'Handover note' });
    await expect(notice).toBeVisible({ timeout: 60_000 });
    await notice.getByRole('button', { name: 'Read — start the shift' }).click();
    await expect(badge(page)).toContainText('Supervisor', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Audit trail' }).click();
    const view = page.getByRole('dialog', { name: 'Audit trail' });
    await expect(view).toBeVisible();
    const table = view.getByRole('table');
    await expect(table.getByRole('columnheader')).toHaveText(['Time', 'Event', 'Officer', 'What happened']);

    const rows = table.locator('tbody tr');
    const refused = rows.filter({ hasText: 'Action refused' }).filter({ hasText: 'Ada Okafor' });
    await expect(refused).toHaveCount(1, { timeout: 60_000 });
    await expect(refused.locator('td').nth(2)).toHaveText('Ada Okafor (Duty Officer)');
    await expect(refused.locator('td').nth(3)).toContainText(
      /Only Ben Ito, who commands INC-\d+, or a supervisor may close it; ask one of them\./,
    );
    const time = refused.locator('td').nth(0).locator('time');
    await expect(time).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    await expect(time).not.toHaveText('');

    // Newest first: Mara's sign-in, then Ada's refusal, then Ada's sign-in.
    const kinds = await rows.evaluateAll((trs) =>
      trs.map((tr) => `${tr.getAttribute('data-kind')}:${tr.children[2]?.textContent ?? ''}`),
    );
    const at = (entry: string) => kinds.indexOf(entry);
    expect(at('sign-in:Mara Quist (EOC Supervisor)')).toBe(0);
    expect(at('refused:Ada Okafor (Duty Officer)')).toBeGreaterThan(0);
    expect(at('sign-in:Ada Okafor (Duty Officer)')).toBeGreaterThan(at('refused:Ada Okafor (Duty Officer)'));
    expect(at('sign-out:Ada Okafor (Duty Officer)')).toBeLessThan(at('refused:Ada Okafor (Duty Officer)'));
    await snap(page, '2-supervisor-audit-trail');

    // read-only: closing it is all one can do
    await expect(view.getByRole('button')).toHaveText(['Close']);
    await page.keyboard.press('Escape');
    await expect(view).toHaveCount(0);
  } finally {
    await console_?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
