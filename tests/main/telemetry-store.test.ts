import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { SENSOR_UNITS, type SensorKind } from '../../shared/telemetry/sensors';
import type { Reading, TelemetryBatch } from '../../shared/telemetry/schema';
import { Replica } from '../../main/replica/replica';
import { TelemetryIngest } from '../../main/telemetry/ingest';
import { TelemetryQueries } from '../../main/telemetry/series';
import { HOUR_MS, MINUTE_MS, TelemetryStore } from '../../main/telemetry/store';
import { assetEvent, tempDir } from './fixtures';
import { eventually } from './stub-hub';

/**
 * The replica's telemetry (issue 9, decision 0031) on a real SQLite file: minute buckets,
 * retention driven by an injected clock, refusals at the boundary, drops by seq.
 */

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

function setup() {
  const t = tempDir('watchfloor-telemetry-');
  const replica = new Replica({ file: path.join(t.dir, 'replica.sqlite') });
  cleanups.push(t.cleanup, () => replica.close());
  const clock = new ManualClock(T0);
  const store = new TelemetryStore(replica.db);
  const ingest = new TelemetryIngest({ store, clock });
  const queries = new TelemetryQueries({ db: replica.db, store, clock });
  cleanups.push(() => ingest.stop());
  return { replica, clock, store, ingest, queries };
}

const reading = (t: number, value: number, sensor: SensorKind = 'strain', assetId = 'BR-1'): Reading => ({
  assetId,
  sensor,
  unit: SENSOR_UNITS[sensor],
  t,
  value,
});
const batch = (seq: number, readings: Reading[], source: TelemetryBatch['source'] = 'hub'): TelemetryBatch => ({
  type: 'telemetry.batch',
  v: 1,
  source,
  seq,
  readings,
});

describe('replica telemetry store', () => {
  it('keeps raw readings and folds them into minute buckets with min, mean and max', () => {
    const { store, ingest } = setup();
    // minute 0: 10, 20, 60; minute 1: 5; a reading sent twice counts once
    const rs = [reading(T0, 10), reading(T0 + 20_000, 20), reading(T0 + 59_999, 60), reading(T0 + MINUTE_MS, 5)];
    expect(ingest.ingest(batch(0, rs))).toEqual({ ok: true, value: { accepted: 4, stored: 4 } });
    expect(ingest.ingest(batch(1, [rs[1]!]))).toEqual({ ok: true, value: { accepted: 1, stored: 0 } });
    expect(store.minutes('BR-1', 'strain', T0, T0 + MINUTE_MS, 100)).toEqual([
      { minute: T0, min: 10, max: 60, mean: 30, count: 3 },
      { minute: T0 + MINUTE_MS, min: 5, max: 5, mean: 5, count: 1 },
    ]);
    expect(store.raw('BR-1', 'strain', T0, T0 + HOUR_MS, 100).map((p) => p.value)).toEqual([10, 20, 60, 5]);
    expect(store.counts()).toEqual({ raw: 4, minutes: 2 });
  });

  it('drops raw readings after an hour and buckets after 7 days, a bounded number of rows per transaction', async () => {
    const { store, ingest, clock } = setup();
    // 3 h of one reading a minute on two sensors, 8 days back
    const start = T0 - 8 * 24 * HOUR_MS;
    const rs: Reading[] = [];
    for (let m = 0; m < 180; m++)
      rs.push(reading(start + m * MINUTE_MS, m), reading(start + m * MINUTE_MS, m, 'deflection'));
    // and the last 2 hours, one reading every 30 s
    for (let s = 0; s < 240; s++) rs.push(reading(T0 - 2 * HOUR_MS + s * 30_000, s));
    expect(ingest.ingest(batch(0, rs)).ok).toBe(true);
    expect(store.counts()).toEqual({ raw: 600, minutes: 360 + 120 });

    // one step deletes at most maxRows: the oldest first
    const step = store.sweep(clock.now(), undefined, 100);
    expect(step).toEqual({ raw: 100, minutes: 0, more: true });
    expect(store.counts().raw).toBe(500);

    const total = await ingest.retainNow();
    // raw: everything before T0 − 1 h (the 8-day-old 360 and the first 120 of the recent 240)
    expect(total.raw + 100).toBe(360 + 120);
    expect(store.counts().raw).toBe(120);
    expect(Math.min(...store.raw('BR-1', 'strain', 0, T0, 1_000).map((p) => p.t))).toBe(T0 - HOUR_MS);
    // buckets: the 8-day-old ones are gone, the last 2 hours' kept
    expect(total.minutes).toBe(360);
    expect(store.counts().minutes).toBe(120);

    // a day later the recent buckets are still within 7 days, the raw readings are not
    clock.advance(24 * HOUR_MS);
    await ingest.retainNow();
    expect(store.counts()).toEqual({ raw: 0, minutes: 120 });
    clock.advance(7 * 24 * HOUR_MS);
    await ingest.retainNow();
    expect(store.counts()).toEqual({ raw: 0, minutes: 0 });
  });

  it('runs retention by itself on its timer once started', async () => {
    const { store, clock } = setup();
    const ingest = new TelemetryIngest({ store, clock, retentionEveryMs: 20 });
    cleanups.push(() => ingest.stop());
    ingest.ingest(batch(0, [reading(T0 - 2 * HOUR_MS, 1), reading(T0, 2)]));
    ingest.startRetention();
    await eventually(() => store.counts().raw === 1, 'the old raw reading expired');
    clock.advance(8 * 24 * HOUR_MS);
    await eventually(() => store.counts().minutes === 0, 'every bucket expired');
    expect(store.counts().raw).toBe(0);
  });

  it('answers a series raw within the last hour and in minute buckets beyond it, with units and levels', () => {
    const { replica, ingest, queries, clock } = setup();
    replica.applyEvents([assetEvent(1, 'BR-1')]);
    const rs: Reading[] = [];
    for (let s = 0; s < 120; s++) rs.push(reading(T0 - 2 * HOUR_MS + s * MINUTE_MS, 300 + s));
    ingest.ingest(batch(0, rs));
    clock.set(T0);

    const recent = queries.series({ assetId: 'BR-1', sensor: 'strain' });
    expect(recent.resolution).toBe('raw');
    expect(recent.unit).toBe('µε');
    expect(recent.t).toEqual(rs.slice(60).map((r) => r.t));
    expect(recent.mean).toEqual(rs.slice(60).map((r) => r.value));
    expect(recent.t).toEqual([...recent.t].sort((a, b) => a - b));
    // the bridge rule's levels (assets/telemetry-rules/bridge.json)
    expect(recent.levels).toEqual({ direction: 'rising', warning: 600, alarm: 850 });
    expect(recent.state).toBeNull();

    const day = queries.series({ assetId: 'BR-1', sensor: 'strain', from: T0 - 24 * HOUR_MS });
    expect(day.resolution).toBe('minute');
    expect(day.t).toHaveLength(120);
    expect(day.min[0]).toBe(300);
    expect(day.max[119]).toBe(419);

    const sparks = queries.sparklines({ assetIds: ['BR-1', 'nowhere'] });
    expect(sparks).toEqual([
      { assetId: 'BR-1', sensor: 'strain', unit: 'µε', values: rs.slice(61).map((r) => r.value) },
    ]);
  });

  it('refuses a bad batch or a batch with one bad reading whole, with a code, counted, nothing stored', () => {
    const { store, ingest } = setup();
    const heard: number[] = [];
    ingest.onReadings((readings) => heard.push(readings.length));

    const wrongType = { ...batch(0, [reading(T0, 1)]), type: 'events' };
    const r1 = ingest.ingest(wrongType);
    expect(r1.ok ? null : r1.error.code).toBe('TELEMETRY_BAD_BATCH');
    expect(ingest.ingest('not a batch').ok).toBe(false);
    // a unit that is not the sensor's (kPa for MPa) refuses the batch, including its good reading
    const wrongUnit = batch(0, [reading(T0, 1), { ...reading(T0, 0.4, 'pressure'), unit: 'kPa' }]);
    const r2 = ingest.ingest(wrongUnit);
    expect(r2.ok ? null : r2.error.code).toBe('TELEMETRY_BAD_READING');
    // a local replay posing as the hub's stream
    const r3 = ingest.ingest(batch(0, [reading(T0, 1)], 'local'), 'hub');
    expect(r3.ok ? null : r3.error.code).toBe('TELEMETRY_BAD_BATCH');
    // more readings than a batch may carry
    const huge = batch(
      1,
      Array.from({ length: 10_001 }, (_, i) => reading(T0 + i, 1)),
    );
    const r4 = ingest.ingest(huge);
    expect(r4.ok ? null : r4.error.code).toBe('TELEMETRY_BAD_BATCH');

    expect(store.counts()).toEqual({ raw: 0, minutes: 0 });
    expect(heard).toEqual([]);
    expect(ingest.counters).toMatchObject({ batches: 0, accepted: 0, refusedBatches: 5, refused: 1 + 2 + 1 + 10_001 });
  });

  it('a batch the replica cannot take is rolled back whole and answered INTERNAL; the worker goes on', () => {
    const { replica, store, ingest } = setup();
    // the bucket table gone: the raw rows written before the failing bucket must not stay
    replica.db.exec('ALTER TABLE telemetry_minute RENAME TO telemetry_minute_away');
    const r = ingest.ingest(batch(0, [reading(T0, 1), reading(T0 + 1_000, 2)]));
    expect(r.ok ? null : r.error.code).toBe('INTERNAL');
    expect(replica.db.prepare('SELECT count(*) FROM telemetry_raw').pluck().get()).toBe(0);
    expect(replica.db.prepare('SELECT count(*) FROM telemetry_sensors').pluck().get()).toBe(0);
    replica.db.exec('ALTER TABLE telemetry_minute_away RENAME TO telemetry_minute');
    expect(ingest.ingest(batch(1, [reading(T0, 1)]))).toEqual({ ok: true, value: { accepted: 1, stored: 1 } });
    expect(store.counts()).toEqual({ raw: 1, minutes: 1 });
  });

  it('counts batches missing by seq per source, and hands accepted readings to listeners', () => {
    const { ingest } = setup();
    const heard: string[] = [];
    ingest.onReadings((readings, source) => heard.push(`${source}:${readings.length}`));
    ingest.ingest(batch(0, [reading(T0, 1)]));
    ingest.ingest(batch(1, [reading(T0 + 1, 1)]));
    ingest.ingest(batch(4, [reading(T0 + 2, 1)])); // 2 and 3 lost
    ingest.ingest(batch(0, [reading(T0 + 3, 1)], 'local')); // another source, its own seq
    ingest.ingest(batch(7, [reading(T0 + 4, 1), reading(T0 + 5, 1)])); // 5 and 6 lost
    ingest.ingest(batch(0, [reading(T0 + 6, 1)])); // the hub restarted: a new stream, nothing lost
    expect(ingest.counters.droppedBatches).toBe(4);
    expect(heard).toEqual(['hub:1', 'hub:1', 'hub:1', 'local:1', 'hub:2', 'hub:1']);
  });
});
