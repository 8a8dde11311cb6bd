import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors';
import {
  SensorState as SensorStateSchema,
  type SensorState,
  type Sparklines,
  type TelemetrySeries,
  type TelemetrySeriesArgs,
  type TelemetryStatusPush,
} from '../../shared/telemetry/api';
import { createStore } from '../../renderer/state/store';
import { selectSensorStateById, telemetryStatusReceived } from '../../renderer/state/telemetry';
import type { TelemetryApi } from '../../renderer/telemetry/api';
import { SensorSeriesFeed, TAIL_EVERY_MS, type FeedClock } from '../../renderer/telemetry/seriesFeed';
import {
  SPARK_BATCH,
  SPARK_DEBOUNCE_MS,
  SPARK_FRESH_MS,
  SparklineCache,
} from '../../renderer/telemetry/sparklineCache';

/** A clock whose timers run only when the test moves it. */
class TestClock implements FeedClock {
  private t: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  constructor(start: number) {
    this.t = start;
  }
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  async advance(ms: number): Promise<void> {
    // The store batches push notifications (RTK's autoBatchEnhancer, a real short timer): let them land.
    await new Promise((r) => setTimeout(r, 20));
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

const T0 = 1_800_000_000_000;
const state = (t: number, value: number, over: Partial<SensorState> = {}): SensorState =>
  SensorStateSchema.parse({
    assetId: 'BR-1',
    sensor: 'strain',
    unit: 'µε',
    t,
    value,
    level: 'normal',
    health: 'ok',
    slopePerMinute: null,
    prediction: null,
    ...over,
  });

/** A scripted worker: answers series from a list of readings, and records every request. */
function fakeApi(readings: Array<[number, number]>) {
  const seriesCalls: TelemetrySeriesArgs[] = [];
  const sparkCalls: string[][] = [];
  let failNext = false;
  const api: TelemetryApi = {
    async getTelemetrySeries(args): Promise<Result<TelemetrySeries>> {
      seriesCalls.push(args);
      if (failNext) {
        failNext = false;
        return { ok: false, error: { code: 'INTERNAL', message: 'worker busy' } };
      }
      const rows = readings.filter(([t]) => t >= (args.from ?? 0) && t <= (args.to ?? Infinity));
      return {
        ok: true,
        value: {
          assetId: args.assetId,
          sensor: args.sensor,
          unit: 'µε',
          resolution: args.resolution ?? 'raw',
          t: rows.map((r) => r[0]),
          mean: rows.map((r) => r[1]),
          min: rows.map((r) => r[1]),
          max: rows.map((r) => r[1]),
          levels: { direction: 'rising', warning: 600, alarm: 850 },
          state: rows.length ? state(rows[rows.length - 1]![0], rows[rows.length - 1]![1]) : null,
        },
      };
    },
    async getSparklines({ assetIds }): Promise<Result<Sparklines>> {
      sparkCalls.push(assetIds);
      return {
        ok: true,
        value: assetIds
          .filter((id) => id !== 'silent')
          .map((assetId) => ({ assetId, sensor: 'strain', unit: 'µε', values: [1, 2, 3] })),
      };
    },
    onTelemetryStatus: () => () => {},
  };
  return { api, seriesCalls, sparkCalls, failOnce: () => (failNext = true) };
}

const push = (s: SensorState): TelemetryStatusPush => ({ sensors: [s], assets: [] });

describe('a chart’s live series', () => {
  it('loads the range once, appends pushed readings at once, and asks only for the tail, at most every 5 s', async () => {
    const clock = new TestClock(T0);
    const readings: Array<[number, number]> = [
      [T0 - 120_000, 300],
      [T0 - 60_000, 301],
    ];
    const { api, seriesCalls } = fakeApi(readings);
    const store = createStore({ api: null });
    const feed = new SensorSeriesFeed(api, store, 'BR-1', 'strain', '1h', clock);
    let notified = 0;
    feed.subscribe(() => notified++);
    feed.start();
    await flush();

    expect(seriesCalls).toEqual([
      { assetId: 'BR-1', sensor: 'strain', from: T0 - 3_600_000, to: T0, resolution: 'raw' },
    ]);
    const loaded = feed.getSnapshot();
    expect(loaded.status === 'loaded' && loaded.series.t).toEqual([T0 - 120_000, T0 - 60_000]);
    // the answer's state went into the store
    expect(selectSensorStateById(store.getState(), 'BR-1/strain')?.value).toBe(301);

    // Pushes every second: each reading is appended at once; one tail request after 5 s, not five.
    for (let i = 1; i <= 5; i++) {
      readings.push([T0 + i * 1_000, 301 + i]);
      store.dispatch(telemetryStatusReceived(push(state(T0 + i * 1_000, 301 + i))));
      await clock.advance(1_000);
    }
    const live = feed.getSnapshot();
    expect(live.status === 'loaded' && live.series.t.slice(-5)).toEqual([1, 2, 3, 4, 5].map((i) => T0 + i * 1_000));
    expect(seriesCalls).toHaveLength(2);
    // from just after the last point the worker sent (the pushed ones are asked for again)
    expect(seriesCalls[1]!.from).toBe(T0 - 60_000 + 1);
    expect(notified).toBeGreaterThanOrEqual(6);

    // The tail fills in a reading that never came as a push (the push carries the latest only).
    readings.push([T0 + 5_500, 999]);
    readings.sort((a, b) => a[0] - b[0]);
    store.dispatch(telemetryStatusReceived(push(state(T0 + 6_000, 307))));
    readings.push([T0 + 6_000, 307]);
    await clock.advance(TAIL_EVERY_MS['1h']);
    const filled = feed.getSnapshot();
    expect(filled.status === 'loaded' && filled.series.t).toContain(T0 + 5_500);
    expect(seriesCalls.length).toBe(3);

    // Stopped (the panel closed): pushes cost nothing any more.
    feed.stop();
    store.dispatch(telemetryStatusReceived(push(state(T0 + 20_000, 310))));
    await clock.advance(60_000);
    expect(seriesCalls.length).toBe(3);
  });

  it('a failed load says so and is tried again; a push unrelated to the sensor changes nothing', async () => {
    const clock = new TestClock(T0);
    const { api, seriesCalls, failOnce } = fakeApi([[T0 - 1_000, 5]]);
    failOnce();
    const store = createStore({ api: null });
    const feed = new SensorSeriesFeed(api, store, 'BR-1', 'strain', '24h', clock);
    feed.start();
    await flush();
    const failed = feed.getSnapshot();
    expect(failed.status).toBe('failed');
    expect(seriesCalls[0]!.resolution).toBe('minute');
    await clock.advance(5_000);
    expect(feed.getSnapshot().status).toBe('loaded');
    const before = feed.getSnapshot();
    store.dispatch(telemetryStatusReceived(push(state(T0 + 1_000, 9, { assetId: 'BR-2' }))));
    await clock.advance(60_000);
    expect(feed.getSnapshot()).toBe(before);
    expect(seriesCalls).toHaveLength(2);
    feed.stop();
  });
});

describe('sparklines for the visible rows', () => {
  it('one batched request per scroll stop, cached, refreshed while visible; an asset without readings is remembered', async () => {
    const clock = new TestClock(T0);
    const { api, sparkCalls } = fakeApi([]);
    const cache = new SparklineCache(api, clock);
    let version = cache.getVersion();
    cache.subscribe(() => (version = cache.getVersion()));

    // A fast scroll: three different sets of rows, only the last one is fetched.
    cache.show(['a', 'b']);
    await clock.advance(SPARK_DEBOUNCE_MS / 2);
    cache.show(['c', 'd']);
    await clock.advance(SPARK_DEBOUNCE_MS / 2);
    cache.show(['d', 'e', 'silent']);
    await clock.advance(SPARK_DEBOUNCE_MS);
    expect(sparkCalls).toEqual([['d', 'e', 'silent']]);
    expect(cache.get('d')?.values).toEqual([1, 2, 3]);
    expect(cache.get('silent')).toBeNull();
    expect(cache.get('a')).toBeUndefined();
    expect(version).toBeGreaterThan(0);

    // Back to rows already held: only the new ones are asked for.
    cache.show(['d', 'f']);
    await clock.advance(SPARK_DEBOUNCE_MS);
    expect(sparkCalls[1]).toEqual(['f']);

    // Rows that stay visible are refreshed once they are SPARK_FRESH_MS old.
    await clock.advance(SPARK_FRESH_MS);
    expect(sparkCalls.at(-1)).toEqual(['d', 'f']);
    cache.stop();
    const n = sparkCalls.length;
    await clock.advance(SPARK_FRESH_MS * 3);
    expect(sparkCalls).toHaveLength(n);
  });

  it('rows shown while a request is in flight are fetched when it ends; a stopped cache starts again', async () => {
    const clock = new TestClock(T0);
    const { api, sparkCalls } = fakeApi([]);
    let release: () => void = () => {};
    const slow: TelemetryApi = {
      ...api,
      getSparklines: async (args) => {
        const r = await api.getSparklines(args);
        if (args.assetIds.includes('a')) await new Promise<void>((resolve) => (release = resolve));
        return r;
      },
    };
    const cache = new SparklineCache(slow, clock);
    cache.show(['a']);
    await clock.advance(SPARK_DEBOUNCE_MS);
    cache.show(['b']); // scrolled on while ['a'] is still being answered
    await clock.advance(SPARK_DEBOUNCE_MS);
    expect(sparkCalls).toEqual([['a']]);
    release();
    await clock.advance(1);
    expect(sparkCalls).toEqual([['a'], ['b']]);
    expect(cache.get('b')?.values).toEqual([1, 2, 3]);

    // React's StrictMode: effect, cleanup, effect again. The cache must work after that.
    cache.stop();
    cache.start();
    cache.show(['c']);
    await clock.advance(SPARK_DEBOUNCE_MS);
    expect(sparkCalls.at(-1)).toEqual(['c']);
    cache.stop();
  });

  it('splits a long screen into requests of at most the contract’s 500 assets', async () => {
    const clock = new TestClock(T0);
    const { api, sparkCalls } = fakeApi([]);
    const cache = new SparklineCache(api, clock);
    cache.show(Array.from({ length: 1_200 }, (_, i) => `A-${i}`));
    await clock.advance(SPARK_DEBOUNCE_MS);
    expect(sparkCalls.map((c) => c.length)).toEqual([SPARK_BATCH, SPARK_BATCH, 200]);
    cache.stop();
  });
});
