import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openConsole, type HarnessConsole } from '../harness/console';
import { expect, test } from './fixtures';

/**
 * Exports from the UI (issue 6): a supervisor's console exports the ICS 214 log from the hub
 * (GET /export) to a file with a progress bar; an officer's console has no export button.
 */
test('a supervisor exports the activity log as CSV with progress; an officer sees no export button', async ({
  browser,
  hub,
  openConsole: openOfficerConsole,
  snap,
}) => {
  // A hub, two consoles and Chromium on a shared 2-core machine.
  test.setTimeout(900_000);
  const dirs: string[] = [];
  const consoles: HarnessConsole[] = [];
  try {
    await hub.simulate(20);
    // A log with Chinese text and many entries, written by an officer's console through the hub.
    const officer = await openOfficerConsole('officer');
    const { page: officerPage } = officer;
    await expect(officerPage.getByRole('status', { name: 'Connection status' })).toContainText('Online', {
      timeout: 60_000,
    });
    await expect(officerPage.getByRole('button', { name: 'Export log…' })).toHaveCount(0);

    const opened = await officer.host.invoke('watchfloor:openIncident', {
      title: '仓库火灾 Warehouse fire',
      incidentType: 'fire',
      priority: 1,
    });
    expect(opened.ok).toBe(true);
    const incidentId = (opened as { ok: true; value: { incidentId: string } }).value.incidentId;
    for (let i = 0; i < 6; i++) {
      const r = await officer.host.invoke('watchfloor:appendLog', {
        incidentId,
        text: i % 2 ? `第${i}条：水带已铺设，压力正常` : `Note ${i}: "sector ${i}", all clear`,
      });
      expect(r.ok).toBe(true);
    }

    // The supervisor's console (the harness signs it in with a supervisor token).
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-supervisor-'));
    dirs.push(dataDir);
    const token = await hub.issueToken({ role: 'supervisor', name: 'Grace Li', position: 'EOC Supervisor' });
    const supervisor = await openConsole(browser, { dataDir, hubUrl: hub.url, token });
    consoles.push(supervisor);
    const { page } = supervisor;
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', {
      timeout: 60_000,
    });
    // the officer's log entries have reached the supervisor's replica
    await expect
      .poll(async () => {
        const r = await supervisor.host.invoke('watchfloor:getActivityLog', { incidentId });
        return r.ok ? (r.value as unknown[]).length : 0;
      })
      .toBeGreaterThanOrEqual(7);

    await page.getByRole('button', { name: 'Export log…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the activity log (ICS 214)' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: /^CSV/ }).check();
    await dialog.getByRole('radio', { name: 'Everything' }).check();
    await snap(page, '1-export-dialog');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();

    const bar = dialog.getByRole('progressbar', { name: 'Export progress' });
    await expect(bar).toBeVisible();
    // pushes reach the page in order behind the replica's change pushes: on a loaded machine that takes a while
    await expect(dialog.getByText(/^Export saved to /)).toBeVisible({ timeout: 240_000 });
    await expect(bar).toHaveAttribute('value', '100');
    await snap(page, '2-export-done');
    const file = (await dialog.locator('.wf-export__file').textContent())!.trim();
    expect(path.dirname(file)).toBe(path.join(dataDir, 'exports'));
    const csv = readFileSync(file, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('第1条：水带已铺设，压力正常');
    expect(csv).toContain('"Note 0: ""sector 0"", all clear"');

    // the same dialog exports one incident as the ICS 214 PDF
    await dialog.getByRole('radio', { name: /^PDF/ }).check();
    await dialog.getByRole('radio', { name: 'One incident' }).check();
    await dialog.getByRole('combobox', { name: 'Incident' }).selectOption(incidentId);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog.getByText(/^Export saved to .*\.pdf$/)).toBeVisible({ timeout: 240_000 });
    const pdf = (await dialog.locator('.wf-export__file').textContent())!.trim();
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await snap(page, '3-export-pdf-done');
  } finally {
    for (const c of consoles) await c.close().catch(() => {});
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
