import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startHub, type Hub } from '../../hub/server';
import { buildDemoCity } from '../../hub/simulator/city';
import { citySensors, telemetryReading } from '../../hub/simulator/telemetry';
import { ManualClock } from '../../shared/clock';
import { PROTOCOL_SCHEMA, Wire } from '../../shared/protocol';
import { TelemetryBatch } from '../../shared/telemetry/schema';
import { ask, consoleFor, eventually, tempDir } from './helpers';

/**
 * The hub's telemetry stream (issue 9, decision 0031) on a real hub over real Socket.IO: what
 * it samples, how it batches and numbers, who gets it, and that a console which stops reading
 * is skipped (a gap in seq) instead of buffered for.
 */

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function hubWith(clock: ManualClock, telemetry: Parameters<typeof startHub>[0]['telemetry']): Promise<Hub> {
  const t = tempDir();
  const hub = await startHub({ dataDir: t.dir, port: 0, clock, telemetry });
  cleanups.push(t.remove, () => hub.close());
  return hub;
}

async function live(hub: Hub): Promise<{ socket: Socket; batches: TelemetryBatch[] }> {
  const socket = await consoleFor(hub);
  cleanups.push(() => socket.close());
  const batches: TelemetryBatch[] = [];
  socket.on(Wire.telemetry, (raw: unknown) => batches.push(TelemetryBatch.parse(raw)));
  await ask(socket, Wire.hello, { consoleId: 'console-t', cursor: 0, schema: PROTOCOL_SCHEMA });
  return { socket, batches };
}

describe('hub telemetry stream', () => {
  it('samples every sensor of the demo city at the hub’s clock, in capped batches numbered per source', async () => {
    const clock = new ManualClock(T0);
    const hub = await hubWith(clock, { everyMs: 3_600_000, maxBatch: 50 });
    const ramp = hub.telemetry!.inject('strain-ramp', T0 - 30 * 60_000);
    const { batches } = await live(hub);
    // a socket that never said hello is not sent readings
    const silent = await consoleFor(hub, 'officer', 'Quiet Quinn');
    cleanups.push(() => silent.close());
    let heardBySilent = 0;
    silent.on(Wire.telemetry, () => heardBySilent++);

    const sensors = citySensors(buildDemoCity());
    expect(hub.telemetry!.sampleNow()).toBe(sensors.length);
    expect(hub.telemetry!.sampleNow()).toBe(0); // the clock has not moved: nothing new to say
    clock.advance(5_000);
    expect(hub.telemetry!.sampleNow()).toBe(sensors.length);

    const perSample = Math.ceil(sensors.length / 50);
    await eventually(() => batches.length === 2 * perSample);
    expect(batches.map((b) => b.seq)).toEqual(Array.from({ length: 2 * perSample }, (_, i) => i));
    expect(batches.every((b) => b.source === 'hub' && b.readings.length <= 50)).toBe(true);
    const readings = batches.flatMap((b) => b.readings);
    // exactly the simulator's signal, the injected ramp included
    const strain = sensors.find((s) => s.asset.asset.id === ramp.assetId && s.sensor === 'strain')!;
    const scenario = [{ kind: 'strain_ramp' as const, assetId: ramp.assetId, startMs: T0 - 30 * 60_000, perMinute: 4 }];
    expect(readings.filter((r) => r.assetId === ramp.assetId && r.sensor === 'strain')).toEqual([
      telemetryReading(strain.asset, 'strain', T0, scenario),
      telemetryReading(strain.asset, 'strain', T0 + 5_000, scenario),
    ]);
    expect(heardBySilent).toBe(0);
    // also on GET /health
    const health = (await (await fetch(`${hub.url}/health`)).json()) as { telemetry?: unknown };
    expect(health.telemetry).toEqual({ samples: 2, batches: 2 * perSample, readings: 2 * sensors.length, skipped: 0 });
  });

  it('skips a console whose socket is backed up instead of buffering readings for it', async () => {
    const clock = new ManualClock(T0);
    const hub = await hubWith(clock, { everyMs: 3_600_000, maxBufferedPackets: 8 });
    const { socket, batches } = await live(hub);
    // The console stops reading its TCP socket: the kernel's buffers fill, then the hub's queue.
    const tcp = (socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws
      ._socket;
    tcp.pause();
    for (let i = 0; i < 3_000 && hub.telemetry!.counters.skipped === 0; i++) {
      clock.advance(1_000);
      hub.telemetry!.sampleNow();
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const { batches: sent, skipped } = hub.telemetry!.counters;
    expect(skipped).toBeGreaterThan(0);
    tcp.resume();
    // what the console gets: every batch but the skipped, in order; the next one shows the gap in seq
    await eventually(() => batches.length === sent - skipped);
    clock.advance(1_000);
    hub.telemetry!.sampleNow();
    await eventually(() => batches.length === sent - skipped + 1);
    expect(hub.telemetry!.counters.skipped).toBe(skipped);
    const seqs = batches.map((b) => b.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.at(-1)).toBe(sent);
    expect(seqs.at(-1)! + 1 - seqs.length).toBe(skipped);
  });

  it('is off by default without the simulator, on with it', async () => {
    const off = await hubWith(new ManualClock(T0), undefined);
    expect(off.telemetry).toBeNull();
    const t = tempDir();
    const on = await startHub({ dataDir: t.dir, port: 0, simulate: { seed: 1, rate: 0 } });
    cleanups.push(t.remove, () => on.close());
    expect(on.telemetry?.everyMs).toBe(5_000);
  });
});
