import { describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import { ManualClock } from '../../shared/clock';
import type { ConnectionStatus } from '../../shared/api';
import type { Sparklines, TelemetrySeries } from '../../shared/telemetry/api';
import type { TelemetryBatch } from '../../shared/telemetry/schema';
import { startConsoleHost } from '../../main/console/host';
import type { TelemetryCounters } from '../../main/telemetry/ingest';
import { testResources, hostValue as value, hostCall as call } from './fixtures';
import { eventually, startStubHub } from './stub-hub';

/**
 * The telemetry path end to end (issue 9, decision 0031): a real hub on 127.0.0.1 samples the
 * demo city's sensors and pushes batches over Socket.IO to a real console host, whose replica
 * worker stores them in a real SQLite replica and answers getTelemetrySeries / getSparklines.
 */

const fast = { delayMs: 50, maxDelayMs: 500, jitter: 0.5 };
const { dir, later } = testResources();

describe('telemetry from the hub into the replica', () => {
  it('stores the hub’s readings and answers the series in order, with units, levels and sparklines', async () => {
    // the hub's clock starts ten minutes ago and moves 5 s per sample, so the readings lie in the last hour
    const start = Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000;
    const clock = new ManualClock(start);
    const hub: Hub = await startHub({
      dataDir: dir('hub'),
      port: 0,
      clock,
      simulate: { seed: 3, rate: 0 },
      // a timer too slow to fire during the test: the test samples
      telemetry: { everyMs: 3_600_000, maxBatch: 100 },
    });
    later(() => hub.close());
    const ramp = hub.telemetry!.inject('strain-ramp', start);
    const token = await hub.issueToken({ role: 'officer', name: 'Tess Sensor' });
    const host = await startConsoleHost({ dataDir: dir('console'), hubUrl: hub.url, token, reconnect: fast });
    later(() => host.close());
    await eventually(async () => (await call<ConnectionStatus>(host, 'getStatus')).state === 'online', 'online');

    const samples = 12;
    let sent = 0;
    for (let i = 0; i < samples; i++) {
      sent += hub.telemetry!.sampleNow();
      clock.advance(5_000);
    }
    // 159 sensors in the demo city, in batches of at most 100
    expect(hub.telemetry!.counters.batches).toBe(samples * Math.ceil(sent / samples / 100));
    const counters = await eventually(async () => {
      const c = await call<TelemetryCounters>(host, 'getTelemetryCounters');
      return c.accepted === sent ? c : null;
    }, 'every reading stored');
    expect(counters).toMatchObject({ stored: sent, refusedBatches: 0, droppedBatches: 0 });

    const series = await value<TelemetrySeries>(host, 'getTelemetrySeries', {
      assetId: ramp.assetId,
      sensor: 'strain',
      from: start,
      to: start + samples * 5_000,
    });
    expect(series.resolution).toBe('raw');
    expect(series.unit).toBe('µε');
    expect(series.t).toEqual(Array.from({ length: samples }, (_, i) => start + i * 5_000));
    // the injected ramp (4 µε a minute) on top of the bridge's own signal
    expect(series.mean.every((v) => v > 100 && v < 600)).toBe(true);
    expect(series.min).toEqual(series.mean);
    expect(series.levels).toEqual({ direction: 'rising', warning: 600, alarm: 850 });

    const pressure = await value<TelemetrySeries>(host, 'getTelemetrySeries', {
      assetId: ramp.assetId,
      sensor: 'pressure',
      from: start,
    });
    expect(pressure.t).toEqual([]); // a bridge has no pressure sensor

    const sparks = await value<Sparklines>(host, 'getSparklines', { assetIds: [ramp.assetId] });
    expect(sparks).toHaveLength(1);
    expect(sparks[0]).toMatchObject({ assetId: ramp.assetId, sensor: 'strain', unit: 'µε' });
    // 12 samples 5 s apart span one or two minutes
    expect(sparks[0]!.values.length).toBeGreaterThanOrEqual(1);
    expect(sparks[0]!.values.length).toBeLessThanOrEqual(2);

    // arguments are parsed at the boundary
    const bad = await host.invoke('watchfloor:getTelemetrySeries', { assetId: ramp.assetId, sensor: 'torque' });
    expect(bad.ok ? null : bad.error.code).toBe('BAD_REQUEST');
  });

  it('refuses a bad batch off the wire with its code, counts it and the batches missing by seq, stores nothing of it', async () => {
    const stub = await startStubHub();
    later(() => stub.close());
    const host = await startConsoleHost({
      dataDir: dir('console-stub'),
      hubUrl: stub.url,
      token: 'good',
      reconnect: fast,
    });
    later(() => host.close());
    await eventually(async () => (await call<ConnectionStatus>(host, 'getStatus')).state === 'online', 'online');

    const t = Date.now() - 60_000;
    const good = (seq: number, value: number): TelemetryBatch => ({
      type: 'telemetry.batch',
      v: 1,
      source: 'hub',
      seq,
      readings: [{ assetId: 'BR-9', sensor: 'strain', unit: 'µε', t: t + seq * 1_000, value }],
    });
    stub.sendRaw('telemetry', good(0, 300));
    // kPa on a pressure sensor that reads MPa: the whole batch, with its good strain reading, is refused
    const wrongUnit = good(1, 301);
    wrongUnit.readings.push({ assetId: 'PL-1', sensor: 'pressure', unit: 'kPa', t, value: 400 });
    stub.sendRaw('telemetry', wrongUnit);
    stub.sendRaw('telemetry', { type: 'telemetry.batch', v: 2, source: 'hub', seq: 2, readings: [] });
    stub.sendRaw('telemetry', good(5, 305)); // 1 was refused, 2 malformed: 3 and 4 never came

    const counters = await eventually(async () => {
      const c = await call<TelemetryCounters>(host, 'getTelemetryCounters');
      return c.batches === 2 && c.refusedBatches === 2 ? c : null;
    }, 'two stored, two refused');
    // seq 1 arrived (refused); 2 could not be read, so it counts as missing with 3 and 4
    expect(counters).toMatchObject({ accepted: 2, stored: 2, refused: 2, droppedBatches: 3 });
    expect(counters!.lastRefusal?.code).toBe('TELEMETRY_BAD_BATCH');

    const series = await value<TelemetrySeries>(host, 'getTelemetrySeries', {
      assetId: 'BR-9',
      sensor: 'strain',
      from: t,
    });
    expect(series.mean).toEqual([300, 305]);
    expect(series.levels).toBeNull(); // BR-9 is no asset this replica knows
  });
});
