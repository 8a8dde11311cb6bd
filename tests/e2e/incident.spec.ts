import { expect, queueRows, test } from './fixtures';
import type { Page } from '@playwright/test';

/** Runs one line in the command bar with the keyboard only: Ctrl+K, type, Enter. */
async function command(page: Page, line: string): Promise<void> {
  await page.keyboard.press('Control+k');
  const bar = page.getByRole('combobox', { name: 'Command' });
  await expect(bar).toBeFocused();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Command' })).toHaveCount(0);
}

test('an incident from an alert: dispatch by command bar, on scene, checklist step, all in the log and on a second console', async ({
  hub,
  openConsole,
  snap,
}) => {
  // Two consoles, a hub and Chromium on a shared 2-core machine.
  test.setTimeout(300_000);
  await hub.simulate(40);
  const a = await openConsole('a');
  const b = await openConsole('b');
  for (const { page } of [a, b]) {
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });
    await expect(queueRows(page).first()).toBeVisible();
  }
  const { page } = a;

  // Open an incident from an alert.
  await queueRows(page).first().click();
  const alertDetail = page.getByRole('region', { name: 'Alert detail' });
  await alertDetail.getByRole('button', { name: /^Open incident/ }).click();
  const form = page.getByRole('dialog', { name: 'Open incident' });
  await expect(form).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Title' })).not.toHaveValue('');
  await form.getByRole('textbox', { name: 'Title' }).fill('Harbour bridge strain alarm');
  await form.getByRole('combobox', { name: 'Type' }).selectOption('bridge-structural');
  await form.getByRole('combobox', { name: 'Priority' }).selectOption('2');
  await snap(page, '1-open-incident-form');
  await form.getByRole('button', { name: 'Open incident' }).click();

  const detail = page.getByRole('region', { name: 'Incident detail' });
  const number = detail.locator('.wf-incident__number');
  await expect(number).toHaveText(/^INC-\d{4,}$/);
  const incident = (await number.textContent())!.trim();
  await expect(detail.getByRole('heading', { name: 'Harbour bridge strain alarm' })).toBeVisible();
  const checklist = detail.getByRole('list', { name: /SOP checklist/ });
  await expect(checklist.getByRole('listitem').first()).toBeVisible();

  // Dispatch two units with the command bar only.
  await page.keyboard.press('Control+k');
  await page.keyboard.type(`dispatch E1 A`);
  await expect(page.getByRole('option', { name: /dispatch E1 A1/ })).toBeVisible();
  await snap(page, '2-command-bar-completion');
  await page.keyboard.press('Escape');
  await command(page, `dispatch E1 A1 ${incident}`);
  const assigned = detail.getByRole('table', { name: /Assigned units/ });

  await expect(assigned.locator('tr[data-unit-id="E1"]')).toContainText('Dispatched');
  await expect(assigned.locator('tr[data-unit-id="A1"]')).toContainText('Dispatched');
  // The officer moves a unit on once the hub has confirmed its dispatch (Pending gone).
  for (const id of ['E1', 'A1'])
    await expect(assigned.locator(`tr[data-unit-id="${id}"]`)).not.toContainText('Pending');

  // Move one to on scene (the bar records en route, then on scene).
  await command(page, 'status E1 onscene');
  await expect(assigned.locator('tr[data-unit-id="E1"]')).toContainText('On scene');
  await expect(assigned.locator('tr[data-unit-id="E1"]')).not.toContainText('Pending');

  // Complete a checklist step.
  const firstStep = checklist.getByRole('listitem').first();
  await detail.getByRole('button', { name: 'Mark step 1 done' }).click();
  await expect(firstStep).toHaveAccessibleName(/\(Done\)$/);
  await expect(firstStep).toContainText('Officer a');

  // The activity log shows each step, with author and time.
  const log = detail.getByRole('table', { name: /Activity log/ });
  const entry = (text: RegExp) => log.locator('tbody tr').filter({ hasText: text });
  for (const text of [
    new RegExp(`Opened ${incident}`),
    new RegExp(`E1 .*dispatched to ${incident}`),
    new RegExp(`A1 .*dispatched to ${incident}`),
    /E1 .*dispatched → en-route/,
    /E1 .*en-route → on-scene/,
    /Checklist step 1 .* done by/,
  ]) {
    const row = entry(text);
    await expect(row).toHaveCount(1);
    await expect(row.locator('td').nth(0)).toHaveText(/\d{2}:\d{2}:\d{2}/);
    await expect(row.locator('td').nth(1)).toContainText('Officer a');
    await expect(row.locator('td').nth(1)).toContainText('Duty Officer');
  }
  await snap(page, '3-incident-detail-with-log');

  // A manual entry, written from the keyboard (l focuses the box, Enter adds it).
  await page.locator('body').click({ position: { x: 700, y: 10 } });
  await page.keyboard.press('l');
  await expect(page.getByRole('textbox', { name: 'Log entry' })).toBeFocused();
  await page.keyboard.type('Harbour Road closed at both ends by police.');
  await page.keyboard.press('Enter');
  const manual = entry(/Harbour Road closed at both ends/);
  await expect(manual).toHaveCount(1);
  await expect(manual).not.toContainText('Pending');
  await expect(manual.locator('td').nth(1)).toContainText('Officer a');

  // Edit the title, then start operational period 2.
  await detail.getByRole('button', { name: 'Edit incident' }).click();
  const edit = detail.getByRole('form', { name: 'Edit incident' });
  await edit.getByRole('textbox', { name: 'Title' }).fill('Harbour bridge closed');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toHaveCount(0);
  await expect(detail.getByRole('heading', { name: 'Harbour bridge closed' })).toBeVisible();
  await expect(entry(/updated: title "Harbour bridge closed"/)).toHaveCount(1);
  await expect(detail.locator('.wf-incident__period')).toHaveText('OP 1');
  await detail.getByRole('button', { name: 'Start next operational period' }).click();
  await expect(detail.locator('.wf-incident__period')).toHaveText('OP 2');
  await expect(entry(/operational period 2 started/)).toHaveCount(1);
  await expect(entry(/operational period 2 started/)).not.toContainText('Pending');

  // The second console sees the incident and the unit's new status.
  await b.page.keyboard.press('Alt+3');
  const unitBoard = b.page.getByRole('table', { name: 'Unit board' });
  await expect(unitBoard.locator('tr[data-unit-id="E1"]')).toContainText('On scene');
  await expect(unitBoard.locator('tr[data-unit-id="E1"]')).toContainText(incident);
  await expect(unitBoard.locator('tr[data-unit-id="A1"]')).toContainText('Dispatched');
  await snap(b.page, '4-console-b-unit-board');
  await b.page.keyboard.press('Alt+2');
  const board = b.page.getByRole('listbox', { name: 'Incident board' });
  await expect(board.getByRole('option').filter({ hasText: incident })).toContainText('2 units');
  await board.getByRole('option').filter({ hasText: incident }).click();
  await expect(
    b.page.getByRole('region', { name: 'Incident detail' }).getByRole('table', { name: /Activity log/ }),
  ).toContainText('Harbour Road closed at both ends');
  await snap(b.page, '5-console-b-incident');

  // Help overlay from the keyboard.
  await page.locator('body').click({ position: { x: 700, y: 10 } });
  await page.keyboard.press('F1');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await snap(page, '6-help');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});

test('a unit committed elsewhere is refused with the reason, and the officer reassigns it explicitly', async ({
  openConsole,
  snap,
}) => {
  test.setTimeout(300_000);
  const { page } = await openConsole('a');
  await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });

  // Two incidents opened from nothing, from the incident board.
  const numbers: string[] = [];
  for (const title of ['Gas smell at Market Street', 'Basement flooding on Quay Road']) {
    await page.keyboard.press('Alt+2');
    await page.getByRole('button', { name: 'New incident' }).click();
    const form = page.getByRole('dialog', { name: 'Open incident' });
    await form.getByRole('textbox', { name: 'Title' }).fill(title);
    await form.getByRole('button', { name: 'Open incident' }).click();
    const number = page.getByRole('region', { name: 'Incident detail' }).locator('.wf-incident__number');
    await expect(
      page.getByRole('region', { name: 'Incident detail' }).getByRole('heading', { name: title }),
    ).toBeVisible();
    await expect(number).toHaveText(/^INC-\d{4,}$/);
    numbers.push((await number.textContent())!.trim());
  }
  const [first, second] = numbers as [string, string];

  await page.keyboard.press('Control+k');
  await page.keyboard.type(`dispatch E12 ${first}`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+3');
  const row = page.getByRole('table', { name: 'Unit board' }).locator('tr[data-unit-id="E12"]');
  await expect(row).toContainText(first);
  await expect(row).not.toContainText('Pending');

  // Dispatching it to the second incident is refused, with who holds it; nothing changes.
  await page.keyboard.press('Control+k');
  await page.keyboard.type(`dispatch E12 ${second}`);
  await expect(page.getByRole('dialog', { name: 'Command' })).toContainText(`E12 is committed to ${first}`);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Command' }).getByRole('alert')).toContainText(
    'reassign it explicitly',
  );
  await page.keyboard.press('Escape');
  const attention = page.getByRole('region', { name: /Needs attention/ });
  await expect(attention).toContainText(`E12 is committed to ${first}`);
  await expect(row).toContainText(first);
  await snap(page, 'refused-dispatch-needs-attention');

  // The explicit choice: Reassign.
  await attention.getByRole('button', { name: 'Reassign E12' }).click();
  await expect(row).toContainText(second);
  await expect(row).not.toContainText('Pending');
  await expect(attention).toHaveCount(0);
  await snap(page, 'reassigned');
});

test('an incident from two marked alerts, with an area drawn on the map', async ({ hub, openConsole }) => {
  test.setTimeout(300_000);
  await hub.simulate(40);
  const { page } = await openConsole('a');
  await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });
  const rows = page.getByRole('listbox', { name: 'Alert queue' }).locator('[role="option"][data-alert-id]');
  await expect(rows.nth(1)).toBeVisible();

  // Space marks the row under the cursor; n opens one incident from all marked alerts.
  await page.getByRole('group', { name: 'Queue layout' }).getByRole('button', { name: 'List' }).click();
  await rows.nth(0).click();
  await page.getByRole('listbox', { name: 'Alert queue' }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(page.getByRole('listbox', { name: 'Alert queue' }).locator('[aria-checked="true"]')).toHaveCount(2);
  await page.keyboard.press('n');
  const form = page.getByRole('dialog', { name: 'Open incident' });
  await expect(form).toContainText('From 2 alerts');
  await form.getByRole('textbox', { name: 'Title' }).fill('Two alerts, one area');

  // Draw a triangle on the map; Enter finishes.
  await form.getByRole('button', { name: 'Draw area on map' }).click();
  const map = page.getByRole('region', { name: 'Map' });
  const box = (await map.boundingBox())!;
  for (const [x, y] of [
    [0.4, 0.4],
    [0.6, 0.4],
    [0.5, 0.6],
  ] as const)
    await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
  await expect(page.getByRole('status').filter({ hasText: '3 corners' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(form).toBeVisible();
  await expect(form).toContainText('Area (3 points)');
  await form.getByRole('button', { name: 'Open incident' }).click();

  const detail = page.getByRole('region', { name: 'Incident detail' });
  await expect(detail.locator('.wf-incident__number')).toHaveText(/^INC-\d{4,}$/);
  await expect(detail).toContainText('Area (3 points)');
  await expect(detail.getByRole('heading', { name: /Linked alerts/ })).toContainText('2');
});
