import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import { buildDemoCity } from '../../hub/simulator/city';
import { citySensors, namedScenario, telemetryReading } from '../../hub/simulator/telemetry';
import { startConsoleHost, type ConsoleHost, type ConsoleHostOptions } from '../../main/console/host';
import type { OutboxRow, LogEntry } from '../../main/replica/replica';
import { serveRecording } from '../../main/telemetry/recorder';
import type { ConnectionStatus, Snapshot } from '../../shared/api';
import type { AlertSummary } from '../../shared/domain/alert';
import type { TelemetryStatusPush } from '../../shared/telemetry/api';
import { EDGE_SENDER_PREFIX } from '../../shared/telemetry/edge';
import type { TelemetryBatch } from '../../shared/telemetry/schema';
import { testResources, hostCall as call } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Issue 9's offline test and the hub's dedupe, end to end: real hubs on 127.0.0.1, real
 * console hosts with their replica workers, real SQLite. The strain-ramp scenario of the
 * demo city's major bridge is recorded as NDJSON (what `npm run telemetry -- record` keeps)
 * and replayed from the console's local second source while the hub is stopped: the
 * console's own rules raise the warning, it waits in the outbox, and when the hub is back
 * it reaches the hub exactly once. With the hub's own alarm on the bridge, the console's
 * reports corroborate it instead of adding alerts.
 */
const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 23, 10);
const city = buildDemoCity();
const ramp = namedScenario(city, 'strain-ramp', START);
const bridge = city.assets.find((a) => a.asset.id === ramp.assetId)!.asset;
const fast = { delayMs: 50, maxDelayMs: 300, jitter: 0.5 };

const { dir, later } = testResources();

/** Two hours before the ramp to three and a half after: one batch a minute of the bridge's sensors. */
function recordRamp(file: string, hours = 3.5): number {
  const sensors = citySensors(city).filter((s) => s.asset.asset.id === ramp.assetId);
  const lines: string[] = [];
  let seq = 0;
  for (let t = START - 120 * MINUTE; t <= START + hours * 60 * MINUTE; t += MINUTE) {
    const readings = sensors.map((s) => telemetryReading(s.asset, s.sensor, t, ramp.scenarios)).filter((r) => r);
    const batch: TelemetryBatch = {
      type: 'telemetry.batch',
      v: 1,
      source: 'local',
      seq: seq++,
      readings: readings as never,
    };
    lines.push(JSON.stringify(batch));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return lines.length;
}

async function hubAt(dataDir: string, port = 0): Promise<Hub> {
  const hub = await startHub({ dataDir, port, simulate: { seed: 9, rate: 0 }, telemetry: false });
  later(() => hub.close());
  return hub;
}

async function host(options: ConsoleHostOptions): Promise<ConsoleHost> {
  const h = await startConsoleHost({ reconnect: fast, ...options });
  later(() => h.close());
  return h;
}

const alerts = async (h: ConsoleHost): Promise<AlertSummary[]> => {
  const r = await h.invoke('watchfloor:getSnapshot', undefined);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as Snapshot).alerts;
};
const mine = (a: AlertSummary) => a.edge !== null && a.identifier.includes(`:${bridge.id}/strain:`);
const consoleAlertsOnLog = (log: LogEntry[]) =>
  log.filter(
    (e) =>
      e.type === 'alert.received' &&
      (e.payload as { cap: { sender: string } }).cap.sender.startsWith(EDGE_SENDER_PREFIX),
  );

describe('early warning at the edge, end to end', () => {
  it('with the hub down, the replayed strain ramp raises the warning locally; it waits in the outbox and reaches the hub once', async () => {
    const hubDir = dir('edge-hub');
    const consoleDir = dir('edge-console');
    let hub = await hubAt(hubDir);
    const port = hub.port;
    await hub.simulate(city.assets.length);
    const token = await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
    const first = await host({ dataDir: consoleDir, hubUrl: hub.url, token, consoleId: 'edge-1' });
    await eventually(async () => {
      const s = await call<ConnectionStatus>(first, 'getStatus');
      return s.state === 'online' && s.cursor === hub.head();
    }, 'caught up');
    await first.close();
    const hubHead = hub.head();
    await hub.close(); // the hub is down from here on

    const file = path.join(consoleDir, 'ramp.ndjson');
    const lines = recordRamp(file);
    const h = await host({
      dataDir: consoleDir,
      hubUrl: `http://127.0.0.1:${port}`,
      token,
      localTelemetry: { kind: 'replay', file, speed: 0 },
    });
    const raised = await eventually(async () => {
      const list = (await alerts(h)).filter((a) => mine(a) && a.edge?.kind === 'danger');
      return list.some((a) => a.headline.includes('predicted to reach alarm')) &&
        list.some((a) => a.severity === 'Severe' && a.event.endsWith('alarm'))
        ? list
        : null;
    }, 'the console raised its prediction and the alarm from the local source');
    if (!raised) throw new Error('unreachable');
    expect((await call<ConnectionStatus>(h, 'getStatus')).state).not.toBe('online');
    for (const a of raised) expect(a.edge).toMatchObject({ here: true, onHub: false, consoleId: 'edge-1' });
    const prediction = raised.find((a) => a.headline.includes('predicted to reach alarm'))!;
    const alarm = raised.find((a) => a.event.endsWith('alarm') && a.msgType === 'Alert')!;
    const leadMinutes = (Date.parse(alarm.sent) - Date.parse(prediction.sent)) / MINUTE;
    console.log(
      JSON.stringify({ edgeOffline: 'strain-ramp', alarmLeadMinutes: leadMinutes, headline: prediction.headline }),
    );
    expect(leadMinutes).toBeGreaterThan(0);
    const counters = await call<{ local: { batches: number; refused: object } }>(h, 'getEdgeCounters');
    expect(counters.local.batches).toBe(lines);
    expect(counters.local.refused).toEqual({});

    const waiting = (await call<OutboxRow[]>(h, 'getOutbox')).filter((r) => r.type === 'alert.raise');
    expect(waiting.length).toBeGreaterThanOrEqual(raised.length);
    expect(waiting.every((r) => r.state === 'pending')).toBe(true);

    // the hub is back: each waiting alert reaches it exactly once
    hub = await hubAt(hubDir, port);
    expect(hub.head()).toBe(hubHead);
    await eventually(async () => {
      const rows = (await call<OutboxRow[]>(h, 'getOutbox')).filter((r) => r.type === 'alert.raise');
      const s = await call<ConnectionStatus>(h, 'getStatus');
      return rows.every((r) => r.state === 'confirmed') && s.cursor === hub.head() ? rows : null;
    }, 'delivered');
    const log = await call<LogEntry[]>(h, 'getLog', { after: 0, limit: 100_000 });
    // exactly once: each action is on the log once (none is folded: the hub has no other
    // alert for the bridge, and a console's own messages never fold into each other)
    const delivered = consoleAlertsOnLog(log);
    const onLog = delivered.map((e) => e.mutationId);
    expect(new Set(onLog).size).toBe(onLog.length);
    for (const id of onLog) expect(waiting.map((r) => r.id)).toContain(id);
    const ids = delivered.map((e) => (e.payload as { alertId: string }).alertId);
    expect(new Set(ids).size).toBe(ids.length);
    const folded = waiting.filter((r) => !onLog.includes(r.id));
    expect(folded).toEqual([]);
    console.log(
      JSON.stringify({
        edgeOffline: 'delivered',
        waiting: waiting.length,
        appended: onLog.length,
        corroborated: folded.length,
      }),
    );
    expect(prediction.id).toSatisfy((id: string) => ids.includes(id));
    // the replica shows each once, now on the hub
    const after = (await alerts(h)).filter(mine);
    expect(new Set(after.map((a) => a.id)).size).toBe(after.length);
    for (const id of ids) expect(after.find((a) => a.id === id)?.edge?.onHub).toBe(true);
  });

  it("with the hub's own alarm on the bridge, the console's reports corroborate it and add no alert; streamed from a local Socket.IO endpoint", async () => {
    const hub = await hubAt(dir('edge-hub2'));
    await hub.simulate(city.assets.length);
    const now = Date.now();
    const cap = (ms: number) => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>PH-HUB-STRAIN-1</identifier><sender>sensors@porthalden.example</sender><sent>${cap(now)}</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Restricted</scope><restriction>EOC</restriction>
  <info><category>Infra</category><event>Bridge strain alarm</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty>
    <eventCode><valueName>PH-SENSOR</valueName><value>BRIDGE_STRAIN</value></eventCode>
    <expires>${cap(now + 4 * 3_600_000)}</expires>
    <headline>Structural alarm: ${bridge.name} strain</headline>
    <parameter><valueName>PH-ASSET-ID</valueName><value>${bridge.id}</value></parameter>
    <area><areaDesc>${bridge.name}</areaDesc><circle>${bridge.location.lat},${bridge.location.lon} 0.5</circle></area></info>
</alert>`;
    const res = await fetch(`${hub.url}/cap`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await hub.issueToken({ role: 'feed', name: 'SCADA' })}` },
      body: xml,
    });
    expect(res.status).toBe(202);
    const hubAlert = 'sensors@porthalden.example,PH-HUB-STRAIN-1';

    const file = path.join(dir('edge-rec'), 'ramp.ndjson');
    recordRamp(file);
    const endpoint = await serveRecording({ file, speed: 0 });
    later(() => endpoint.close());
    const statuses: TelemetryStatusPush[] = [];
    const consoleDir = dir('edge-console2');
    const token = await hub.issueToken({ role: 'officer', name: 'Ben Adeyemi' });
    // caught up first: the rules watch the assets the replica knows
    const first = await host({ dataDir: consoleDir, hubUrl: hub.url, token, consoleId: 'edge-2' });
    await eventually(async () => (await call<ConnectionStatus>(first, 'getStatus')).cursor === hub.head(), 'caught up');
    await first.close();
    const h = await host({
      dataDir: consoleDir,
      hubUrl: hub.url,
      token,
      localTelemetry: { kind: 'socket', url: endpoint.url },
    });
    h.onPush((channel, payload) => {
      if (channel === 'watchfloor:telemetryStatus') statuses.push(payload as TelemetryStatusPush);
    });
    await endpoint.done;
    const rows = await eventually(async () => {
      const out = (await call<OutboxRow[]>(h, 'getOutbox')).filter((r) => r.type === 'alert.raise');
      const list = (await alerts(h)).filter((a) => mine(a) && a.edge?.kind === 'danger');
      return out.length > 0 && out.every((r) => r.state === 'confirmed') && list.some((a) => a.event.endsWith('alarm'))
        ? out
        : null;
    }, 'reports answered');
    if (!rows) throw new Error('unreachable');
    const log = await call<LogEntry[]>(h, 'getLog', { after: 0, limit: 100_000 });
    const danger = consoleAlertsOnLog(log).filter((e) =>
      JSON.stringify((e.payload as { cap: unknown }).cap).includes('"WF-KIND","value":"danger"'),
    );
    expect(danger).toEqual([]);
    // every danger report stepped aside for the hub's alarm; the hub's alarm is shown
    const shown = (await alerts(h)).filter((a) => mine(a) && a.edge?.kind === 'danger' && a.msgType === 'Alert');
    expect(shown.length).toBeGreaterThan(0);
    for (const a of shown) {
      expect(a.lifecycle).toBe('superseded');
      expect(a.supersededBy).toBe(hubAlert);
    }
    expect((await alerts(h)).find((a) => a.id === hubAlert)?.lifecycle).toBe('current');
    expect(rows.length).toBeGreaterThan(0);

    // the status push: at most once a second, the bridge's strain sensor in alarm
    await eventually(
      () =>
        statuses.some((s) =>
          s.sensors.some((x) => x.assetId === bridge.id && x.sensor === 'strain' && x.level === 'alarm'),
        ),
      'status push',
    );
    const bridgeState = statuses
      .flatMap((s) => s.assets)
      .filter((a) => a.assetId === bridge.id)
      .at(-1);
    expect(bridgeState?.state).toBe('alarm');
    expect(statuses.at(-1)?.counters?.accepted).toBeGreaterThan(0);
  });

  it('refuses bad local input with a code, counts it, and stores nothing from it', async () => {
    const hub = await hubAt(dir('edge-hub3'));
    await hub.simulate(city.assets.length);
    const file = path.join(dir('edge-bad'), 'bad.ndjson');
    const good: TelemetryBatch = {
      type: 'telemetry.batch',
      v: 1,
      source: 'local',
      seq: 0,
      readings: [{ assetId: bridge.id, sensor: 'strain', unit: 'µε', t: Date.now(), value: 300 }],
    };
    writeFileSync(
      file,
      [
        'this is not json',
        JSON.stringify({ ...good, seq: 1, readings: [{ ...good.readings[0], unit: 'mm' }] }), // unit not the sensor's
        JSON.stringify({ ...good, seq: 2, source: 'hub' }), // poses as the hub's stream
        JSON.stringify({ type: 'telemetry.batch', v: 2 }),
        JSON.stringify(good),
      ].join('\n'),
    );
    const h = await host({
      dataDir: dir('edge-console3'),
      hubUrl: hub.url,
      token: await hub.issueToken({ role: 'officer', name: 'Ada Okafor' }),
      localTelemetry: { kind: 'replay', file, speed: 0, shiftToNow: false },
    });
    const counters = await eventually(async () => {
      const c = await call<{ local: { batches: number; refused: Record<string, number>; done: boolean } }>(
        h,
        'getEdgeCounters',
      );
      return c.local.done ? c : null;
    }, 'replayed');
    if (!counters) throw new Error('unreachable');
    expect(counters.local.batches).toBe(1);
    expect(counters.local.refused).toEqual({ TELEMETRY_BAD_LINE: 1, TELEMETRY_BAD_READING: 1, TELEMETRY_BAD_BATCH: 2 });
    const telemetry = await call<{ refusedBatches: number; stored: number }>(h, 'getTelemetryCounters');
    expect(telemetry.refusedBatches).toBe(3);
    expect(telemetry.stored).toBe(1);

    const missing = await host({
      dataDir: dir('edge-console4'),
      hubUrl: hub.url,
      token: await hub.issueToken({ role: 'officer', name: 'Ada Okafor' }),
      localTelemetry: { kind: 'replay', file: path.join(dir('edge-none'), 'nope.ndjson') },
    });
    const none = await eventually(async () => {
      const c = await call<{ local: { refused: Record<string, number>; done: boolean } }>(missing, 'getEdgeCounters');
      return c.local.done ? c : null;
    }, 'failed');
    if (!none) throw new Error('unreachable');
    expect(none.local.refused).toEqual({ TELEMETRY_SOURCE_UNAVAILABLE: 1 });
  });
});
