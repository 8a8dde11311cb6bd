import { afterEach, describe, expect, it } from 'vitest';
import { invokeChannels } from '../../shared/api';
import { AlertDetail, AlertSummary } from '../../shared/domain/alert';
import type { LatLon } from '../../shared/domain/geo';
import { squareAround } from '../support/geo';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { startHub, type Hub } from '../../hub/server';
import { buildDemoCity } from '../../hub/simulator/city';
import { eventually } from './stub-hub';
import { tempDir } from './fixtures';

/**
 * End to end: CAP XML posted to the real hub, two real consoles (replica workers) on
 * 127.0.0.1. A polygon alert around a demo-city hospital lists it as affected on both;
 * a Cancel posted afterwards closes it on both; reinstate goes through the outbox.
 */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const dir = (name: string) => {
  const t = tempDir(`watchfloor-${name}-`);
  cleanups.push(t.cleanup);
  return t.dir;
};

const SENDER = 'eoc@porthalden.example';
const f = (n: number) => n.toFixed(5);

function capXml(o: { identifier: string; msgType: 'Alert' | 'Cancel'; ring?: LatLon[]; references?: string }): string {
  const area = o.ring
    ? `<area><areaDesc>Around the hospital</areaDesc><polygon>${o.ring.map((p) => `${f(p.lat)},${f(p.lon)}`).join(' ')}</polygon></area>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${o.identifier}</identifier><sender>${SENDER}</sender><sent>2026-11-28T10:0${o.msgType === 'Alert' ? 0 : 5}:00+00:00</sent>
  <status>Actual</status><msgType>${o.msgType}</msgType><scope>Public</scope>
  ${o.references ? `<references>${o.references}</references>` : ''}
  <info><category>Safety</category><event>Chemical release</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty><headline>Chemical release near the hospital</headline>${area}</info>
</alert>`;
}

async function post(hub: Hub, xml: string): Promise<number> {
  const token = await hub.issueToken({ role: 'feed', name: 'EOC CAP composer' });
  const res = await fetch(`${hub.url}/cap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: xml,
  });
  return res.status;
}

async function consoleOn(hub: Hub, name: string): Promise<ConsoleHost> {
  const host = await startConsoleHost({
    dataDir: dir(name),
    hubUrl: hub.url,
    token: await hub.issueToken({ role: 'officer', name }),
    consoleId: name,
    reconnect: { delayMs: 50, maxDelayMs: 500, jitter: 0.5 },
  });
  cleanups.push(() => host.close());
  return host;
}

async function detail(host: ConsoleHost, alertId: string): Promise<AlertDetail | null> {
  const r = await host.invoke(invokeChannels.getAlert.name, { alertId });
  return r.ok ? AlertDetail.parse(r.value) : null;
}

describe('CAP alert end to end', () => {
  it('a posted polygon alert lists its affected assets on every console; a Cancel closes it everywhere', async () => {
    const hub = await startHub({ dataDir: dir('hub'), port: 0, simulate: null });
    cleanups.push(() => hub.close());
    const city = buildDemoCity();
    await hub.simulate(city.assets.length); // the city announces its assets first
    const hospital = city.assets.find((a) => a.asset.kind === 'hospital')!.asset;
    const a = await consoleOn(hub, 'console-a');
    const b = await consoleOn(hub, 'console-b');

    expect(
      await post(hub, capXml({ identifier: 'CHEM-1', msgType: 'Alert', ring: squareAround(hospital.location, 0.3) })),
    ).toBe(202);
    const alertId = `${SENDER},CHEM-1`;
    for (const host of [a, b]) {
      const d = (await eventually(() => detail(host, alertId)))!;
      expect(d.affectedAssets.map((x) => x.assetId)).toContain(hospital.id);
      expect(d.summary.affectedCount).toBe(d.affectedAssets.length);
      expect(d.summary.lifecycle).toBe('current');
    }

    // Reinstate is refused locally before an acknowledgement, then goes through the outbox.
    expect(await a.invoke(invokeChannels.reinstateAlert.name, { alertId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(
      await a.invoke(invokeChannels.acknowledgeAlert.name, { alertId, disposition: 'relevant-some-impact' }),
    ).toMatchObject({ ok: true });
    await eventually(async () => (await detail(b, alertId))?.summary.ack);
    expect(await a.invoke(invokeChannels.reinstateAlert.name, { alertId, note: 'wind changed' })).toMatchObject({
      ok: true,
    });
    await eventually(async () => (await detail(b, alertId))?.summary.ack === null);

    expect(
      await post(
        hub,
        capXml({ identifier: 'CHEM-1-C', msgType: 'Cancel', references: `${SENDER},CHEM-1,2026-11-28T10:00:00+00:00` }),
      ),
    ).toBe(202);
    for (const host of [a, b]) {
      const s = await eventually(async () => {
        const d = await detail(host, alertId);
        return d?.summary.lifecycle === 'cancelled' ? d.summary : null;
      });
      expect(AlertSummary.parse(s).supersededBy).toBe(`${SENDER},CHEM-1-C`);
      const cancel = (await eventually(() => detail(host, `${SENDER},CHEM-1-C`)))!;
      expect(cancel.history.map((h) => h.id)).toEqual([alertId]);
    }
  });
});
