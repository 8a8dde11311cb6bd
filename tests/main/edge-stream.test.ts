import { describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import type { OutboxRow } from '../../main/replica/replica';
import type { ConnectionStatus, Snapshot } from '../../shared/api';
import { ManualClock } from '../../shared/clock';
import type { AlertSummary } from '../../shared/domain/alert';
import { testResources, hostCall as call } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Issue 9, streamed: the hub samples the demo city (its clock moved by the test, one sample a
 * minute) with the strain ramp injected on the major bridge, over real Socket.IO into a real
 * console host. The console's own rules predict the warning level before the threshold is
 * crossed (the lead time is printed); the local alert is in the queue as soon as the engine
 * raises it, and then reaches the hub and comes back as the same row.
 */
const MINUTE = 60_000;
const { dir, later } = testResources();
async function alerts(h: ConsoleHost): Promise<AlertSummary[]> {
  const r = await h.invoke('watchfloor:getSnapshot', undefined);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as Snapshot).alerts;
}

describe('edge warning from the hub stream', () => {
  it('the console predicts the strain warning before the crossing, and its alert reaches the hub', async () => {
    // an hour of normal readings, then the ramp (4 µε a minute) for two and a half hours
    const start = Math.floor((Date.now() - 60 * MINUTE) / 1000) * 1000;
    const clock = new ManualClock(start);
    const hub: Hub = await startHub({
      dataDir: dir('edge-stream-hub'),
      port: 0,
      clock,
      simulate: { seed: 4, rate: 0 },
      telemetry: { everyMs: 3_600_000, maxBatch: 200 }, // the test samples
    });
    later(() => hub.close());
    const ramp = hub.telemetry!.inject('strain-ramp', start + 60 * MINUTE);
    const token = await hub.issueToken({ role: 'officer', name: 'Tess Sensor' });
    const host = await startConsoleHost({
      dataDir: dir('edge-stream-console'),
      hubUrl: hub.url,
      token,
      reconnect: { delayMs: 50, maxDelayMs: 300, jitter: 0.5 },
    });
    later(() => host.close());
    await eventually(async () => {
      const s = await call<ConnectionStatus>(host, 'getStatus');
      return s.state === 'online' && s.cursor === hub.head();
    }, 'caught up');

    const mine = (a: AlertSummary) => a.identifier.includes(`:${ramp.assetId}/strain:`) && a.msgType === 'Alert';
    let sent = 0;
    let predictedSeenAt: number | null = null;
    for (let minute = 0; minute <= 210; minute++) {
      sent += hub.telemetry!.sampleNow();
      clock.advance(MINUTE);
      if (minute % 10 === 0) {
        // let the console keep up, and look at its queue as a duty officer would
        await eventually(
          async () => (await call<{ accepted: number }>(host, 'getTelemetryCounters')).accepted === sent,
        );
        const list = (await alerts(host)).filter(mine);
        if (predictedSeenAt === null && list.some((a) => a.headline.includes('predicted to reach warning')))
          predictedSeenAt = start + minute * MINUTE;
      }
    }
    const list = await eventually(async () => {
      const l = (await alerts(host)).filter(mine);
      return l.some((a) => a.event === 'Strain warning') ? l : null;
    }, 'the threshold warning');
    if (!list) throw new Error('unreachable');
    const prediction = list.find((a) => a.headline.includes('predicted to reach warning'));
    const crossing = list.find((a) => a.event === 'Strain warning');
    expect(prediction, 'predicted warning').toBeDefined();
    expect(prediction?.edge).toMatchObject({ kind: 'danger', here: true });
    const leadMinutes = (Date.parse(crossing!.sent) - Date.parse(prediction!.sent)) / MINUTE;
    console.log(
      JSON.stringify({ edgeStream: 'strain-ramp', warningLeadMinutes: leadMinutes, headline: prediction!.headline }),
    );
    expect(leadMinutes).toBeGreaterThan(0);
    // seen in the queue before the sample that crossed the level was sent
    expect(predictedSeenAt).not.toBeNull();
    expect(predictedSeenAt as unknown as number).toBeLessThanOrEqual(Date.parse(crossing!.sent));

    // online: every raised alert reaches the hub and comes back as the same row
    await eventually(async () => {
      const rows = (await call<OutboxRow[]>(host, 'getOutbox')).filter((r) => r.type === 'alert.raise');
      return rows.length > 0 && rows.every((r) => r.state === 'confirmed');
    }, 'confirmed');
    const all = await alerts(host);
    const after = all.filter(mine);
    expect(new Set(after.map((a) => a.id)).size).toBe(after.length);
    // each on the hub: a console's own messages never fold into each other
    expect(all.find((a) => a.id === prediction!.id)?.edge?.onHub).toBe(true);
    for (const a of after) expect(a.edge?.onHub).toBe(true);
    expect(after.every((a) => a.lifecycle === 'current' || a.msgType === 'Cancel' || a.supersededBy !== null)).toBe(
      true,
    );
  });
});
