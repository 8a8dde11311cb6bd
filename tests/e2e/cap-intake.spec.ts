import type { Locator, Page } from '@playwright/test';
import type { LatLon } from '../../shared/domain/geo';
import { squareAround } from '../support/geo';
import { buildDemoCity } from '../../hub/simulator/city';
import type { Hub } from '../../hub/server';
import { expect, test } from './fixtures';

/**
 * Issue 3 end to end: a CAP 1.2 polygon alert, written here around a demo-city hospital,
 * is posted to the real hub's POST /cap with a feed token. On two consoles it appears in
 * the queue and on the map, and its detail lists the assets inside the polygon, most
 * critical first. A Cancel posted afterwards (references → the first message) closes it
 * on both: it leaves the open queue, the detail says Cancelled, and the Cancel under
 * "Closed" carries the first message in its history.
 */

const SENDER = 'eoc@porthalden.example';
const run = Date.now().toString(36);
const IDENTIFIER = `CHEM-${run}`;
const HEADLINE = `Chemical release near the hospital (${run})`;
const ALERT_ID = `${SENDER},${IDENTIFIER}`;
const CANCEL_ID = `${SENDER},${IDENTIFIER}-C`;

/** CAP date-time: offset required, no fractions. */
const capTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const coord = (p: LatLon): string => `${p.lat.toFixed(5)},${p.lon.toFixed(5)}`;

function alertXml(ring: LatLon[], sent: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${IDENTIFIER}</identifier>
  <sender>${SENDER}</sender>
  <sent>${sent}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Safety</category>
    <event>Chemical release</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <headline>${HEADLINE}</headline>
    <instruction>Keep windows closed. Stay indoors.</instruction>
    <area>
      <areaDesc>Around the hospital</areaDesc>
      <polygon>${ring.map(coord).join(' ')}</polygon>
      <geocode><valueName>DISTRICT</valueName><value>E2E-1</value></geocode>
    </area>
  </info>
</alert>`;
}

function cancelXml(alertSent: string, sent: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${IDENTIFIER}-C</identifier>
  <sender>${SENDER}</sender>
  <sent>${sent}</sent>
  <status>Actual</status>
  <msgType>Cancel</msgType>
  <scope>Public</scope>
  <references>${SENDER},${IDENTIFIER},${alertSent}</references>
</alert>`;
}

async function postCap(hub: Hub, xml: string): Promise<{ status: number; body: unknown }> {
  const token = await hub.issueToken({ role: 'feed', name: 'EOC CAP composer' });
  const res = await fetch(`${hub.url}/cap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    body: xml,
  });
  return { status: res.status, body: await res.json() };
}

const row = (page: Page, id: string): Locator => page.locator(`[role="option"][data-alert-id="${id}"]`);

/** Hover the middle of the map (where a queue selection flies it) and read the map's label there. */
async function labelAtMapCentre(page: Page): Promise<string> {
  const map = page.getByRole('region', { name: 'Map' });
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  return (
    (await page
      .locator('.wf-map-tooltip')
      .textContent({ timeout: 1_000 })
      .catch(() => '')) ?? ''
  );
}

test('a CAP polygon alert posted to the hub shows its affected assets; a Cancel closes it on every console', async ({
  hub,
  openConsole,
  snap,
}) => {
  // Two consoles, a hub and its live simulator on a shared 2-core box.
  test.setTimeout(300_000);
  const city = buildDemoCity();
  await hub.simulate(city.assets.length); // the city announces its assets first
  const hospital = city.assets.find((a) => a.asset.kind === 'hospital')!.asset;
  const ring = squareAround(hospital.location, 0.25);
  const [south, north] = [ring[0]!.lat, ring[1]!.lat];
  const [west, east] = [ring[0]!.lon, ring[2]!.lon];
  // Every point asset inside the square must be listed (linear ones may be too, if their line crosses it).
  const inside = city.assets
    .map((a) => a.asset)
    .filter(
      (a) =>
        !a.path && a.location.lat > south && a.location.lat < north && a.location.lon > west && a.location.lon < east,
    );
  expect(inside.map((a) => a.id)).toContain(hospital.id);

  const a = await openConsole('a');
  const b = await openConsole('b');
  for (const { page } of [a, b]) {
    await expect(page.getByRole('status', { name: 'Connection status' })).toContainText('Online', { timeout: 60_000 });
  }
  await snap(a.page, 'queue-before-the-cap-alert'); // with the live simulator: often a flood, grouped

  const alertSentMs = Date.now() - 60_000;
  const alertSent = capTime(alertSentMs);
  const posted = await postCap(hub, alertXml(ring, alertSent));
  expect(posted, JSON.stringify(posted.body)).toMatchObject({ status: 202 });

  for (const { page } of [a, b]) {
    // Found the way an officer would: the filter (a search also lists alerts one by one, flood or not).
    await page.getByRole('searchbox', { name: 'Filter alerts' }).fill(run);
    await expect(row(page, ALERT_ID)).toBeVisible({ timeout: 60_000 });
    await expect(row(page, ALERT_ID)).toContainText(/\d+ assets? affected/);
    await row(page, ALERT_ID).click();
    const detail = page.getByRole('region', { name: 'Alert detail' });
    const affected = detail.getByRole('region', { name: 'Affected assets' });
    await expect(affected.getByRole('row', { name: new RegExp(hospital.name) })).toBeVisible();
    for (const asset of inside)
      await expect(affected.getByRole('cell', { name: asset.name, exact: true })).toBeVisible();
    // Most critical first.
    const criticalities = (await affected.locator('tbody td.wf-num').allTextContents()).map(Number);
    expect(criticalities).toEqual([...criticalities].sort((x, y) => y - x));
    // The polygon's geocode is listed with its area.
    await expect(detail.getByText('Around the hospital')).toBeVisible();
    await expect(detail.getByText('E2E-1')).toBeVisible();
    // On the map: the queue selection flies there; the alert's marker is under the map's centre.
    await expect.poll(() => labelAtMapCentre(page), { message: 'the alert on the map' }).toContain('Chemical release');
  }
  await snap(a.page, 'cap-alert-console-a');
  await snap(b.page, 'cap-alert-console-b');

  // Triage: A acknowledges with a disposition and a note; B sees it; A reinstates it; B sees it back.
  const detailA = a.page.getByRole('region', { name: 'Alert detail' });
  const detailB = b.page.getByRole('region', { name: 'Alert detail' });
  await detailA.getByRole('combobox', { name: 'Disposition' }).selectOption({ label: 'Relevant: some impact' });
  await detailA.getByRole('textbox', { name: 'Note' }).fill('Hospital told to close its vents');
  await detailA.getByRole('button', { name: 'Acknowledge' }).click();
  for (const detail of [detailA, detailB]) {
    await expect(detail.getByText(/^Acknowledged by Officer a at /)).toBeVisible({ timeout: 60_000 });
    await expect(detail.getByText('Relevant: some impact')).toBeVisible();
    await expect(detail.getByText('Hospital told to close its vents')).toBeVisible();
  }
  await detailA.getByRole('button', { name: 'Reinstate' }).click();
  for (const detail of [detailA, detailB]) {
    await expect(detail.getByRole('button', { name: 'Acknowledge' })).toBeVisible({ timeout: 60_000 });
    await expect(detail.getByText(/^Acknowledged by /)).toHaveCount(0);
  }

  // The sender cancels it.
  const cancelled = await postCap(hub, cancelXml(alertSent, capTime(alertSentMs + 30_000)));
  expect(cancelled, JSON.stringify(cancelled.body)).toMatchObject({ status: 202 });

  for (const { page } of [a, b]) {
    // It leaves the open queue; the detail, still open, says it is cancelled.
    await expect(row(page, ALERT_ID)).toHaveCount(0, { timeout: 60_000 });
    const detail = page.getByRole('region', { name: 'Alert detail' });
    await expect(detail.locator('.wf-detail__badges').getByText('Cancelled', { exact: true })).toBeVisible();
    await expect(detail.getByRole('button', { name: /Cancel/ }).first()).toBeVisible(); // "Cancelled by" the Cancel

    // Under "Closed": the Cancel, which names the alert it closed and keeps it in its history.
    await page.getByRole('button', { name: 'Closed', exact: true }).click();
    await expect(row(page, CANCEL_ID)).toBeVisible();
    await expect(row(page, CANCEL_ID)).toContainText(HEADLINE);
    await row(page, CANCEL_ID).click();
    const history = detail.getByRole('region', { name: 'Message history' });
    await expect(history.getByRole('button', { name: new RegExp(HEADLINE.replace(/[()]/g, '.')) })).toBeVisible();
    // One click opens the earlier version again.
    await history.getByRole('button', { name: new RegExp(HEADLINE.replace(/[()]/g, '.')) }).click();
    await expect(
      detail.getByRole('region', { name: 'Affected assets' }).getByRole('row', { name: new RegExp(hospital.name) }),
    ).toBeVisible();
  }
  await snap(a.page, 'cap-cancelled-console-a');
  await snap(b.page, 'cap-cancelled-console-b');
});
