import { describe, expect, it } from 'vitest';
import {
  appendReading,
  chartColumns,
  emptySeries,
  leadTime,
  mergeTail,
  projectionOf,
  resolutionOf,
  SERIES_INDEX,
  tailFrom,
  trimBefore,
  yRange,
  type ChartSeries,
} from '../../renderer/telemetry/chartModel';
import { drawSparkline, sparklinePoints, type SparkContext } from '../../renderer/telemetry/sparkline';
import type { SensorState } from '../../renderer/state/telemetry';
import { assetStateColour, severityColour } from '../../renderer/map/styles';

const raw = (points: Array<[number, number]>): ChartSeries => ({
  resolution: 'raw',
  t: points.map((p) => p[0]),
  mean: points.map((p) => p[1]),
  min: points.map((p) => p[1]),
  max: points.map((p) => p[1]),
});

const state = (over: Partial<SensorState> = {}): SensorState => ({
  assetId: 'BR-1',
  sensor: 'strain',
  unit: 'µε',
  t: 3_000,
  value: 700,
  level: 'warning',
  health: 'ok',
  slopePerMinute: 10,
  // made at the reading (t 3 000), crossing 15 minutes later
  prediction: { level: 'alarm', minutes: 15, atT: 3_000 },
  ...over,
});
const levels = { direction: 'rising' as const, warning: 600, alarm: 850 };

describe('live points', () => {
  it('appends a newer raw reading and ignores a repeat or an older one', () => {
    const s = raw([
      [1_000, 1],
      [2_000, 2],
    ]);
    const next = appendReading(s, 3_000, 3);
    expect(next.t).toEqual([1_000, 2_000, 3_000]);
    expect([next.mean[2], next.min[2], next.max[2]]).toEqual([3, 3, 3]);
    expect(s.t).toEqual([1_000, 2_000]); // not mutated
    expect(appendReading(next, 3_000, 4)).toBe(next);
    expect(appendReading(next, 2_500, 4)).toBe(next);
    expect(appendReading(next, null, 4)).toBe(next);
    expect(appendReading(next, 4_000, null)).toBe(next);
  });

  it('never guesses a minute bucket from one reading', () => {
    const minute: ChartSeries = { ...raw([[60_000, 1]]), resolution: 'minute' };
    expect(appendReading(minute, 125_000, 9)).toBe(minute);
  });

  it('fetches the tail after the last point the worker sent, or again from its last (filling) minute bucket', () => {
    expect(tailFrom('raw', null, 42)).toBe(42);
    expect(tailFrom('raw', 5_000, 42)).toBe(5_001);
    expect(tailFrom('minute', 120_000, 42)).toBe(120_000);
  });

  it('a tail replaces what it overlaps and keeps what came before', () => {
    const s: ChartSeries = {
      resolution: 'minute',
      t: [0, 60_000, 120_000],
      mean: [1, 2, 3],
      min: [0, 1, 2],
      max: [2, 3, 4],
    };
    const tail: ChartSeries = { resolution: 'minute', t: [120_000, 180_000], mean: [3.5, 5], min: [2, 4], max: [6, 6] };
    expect(mergeTail(s, tail)).toEqual({
      resolution: 'minute',
      t: [0, 60_000, 120_000, 180_000],
      mean: [1, 2, 3.5, 5],
      min: [0, 1, 2, 4],
      max: [2, 3, 6, 6],
    });
    expect(mergeTail(s, emptySeries('minute'))).toBe(s);
  });

  it('a raw tail fills in the readings between pushed points, and keeps a pushed point it does not reach yet', () => {
    const held = raw([
      [1_000, 1],
      [3_000, 3], // pushed
      [5_000, 5], // pushed, not stored by the worker when the tail was read
    ]);
    const tail = raw([
      [2_000, 2],
      [3_000, 3],
      [4_000, 4],
    ]);
    expect(mergeTail(held, tail).t).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(mergeTail(held, tail).mean).toEqual([1, 2, 3, 4, 5]);
  });

  it('trims what slid out of the window', () => {
    const s = raw([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(trimBefore(s, 2).t).toEqual([2, 3]);
    expect(trimBefore(s, 0)).toBe(s);
    expect(trimBefore(s, 10).t).toEqual([]);
  });

  it('an hour is raw, a day or a week minute buckets', () => {
    expect(resolutionOf('1h')).toBe('raw');
    expect(resolutionOf('24h')).toBe('minute');
    expect(resolutionOf('7d')).toBe('minute');
  });
});

describe('levels and the predicted crossing', () => {
  it('projects from the latest reading to the predicted level at the predicted time', () => {
    expect(projectionOf(state(), levels)).toEqual({ level: 'alarm', t0: 3_000, v0: 700, t1: 903_000, v1: 850 });
    expect(projectionOf(state({ prediction: null }), levels)).toBeNull();
    expect(projectionOf(state(), null)).toBeNull();
    expect(projectionOf(state({ value: null }), levels)).toBeNull();
    expect(projectionOf(null, levels)).toBeNull();
    // a prediction made earlier counts from when it was made; one whose crossing has passed is not drawn backwards
    expect(projectionOf(state({ prediction: { level: 'alarm', minutes: 1, atT: 2_000 } }), levels)?.t1).toBe(62_000);
    expect(projectionOf(state({ prediction: { level: 'alarm', minutes: 0, atT: 2_000 } }), levels)).toBeNull();
  });

  it('columns: constant level lines, and a projection with values only at its two ends', () => {
    const s = raw([
      [1_000, 650],
      [2_000, 680],
      [3_000, 700],
    ]);
    const cols = chartColumns(s, levels, projectionOf(state(), levels));
    expect(cols[0]).toEqual([1_000, 2_000, 3_000, 903_000]);
    expect(cols[SERIES_INDEX.mean]).toEqual([650, 680, 700, null]);
    expect(cols[SERIES_INDEX.warning]).toEqual([600, 600, 600, 600]);
    expect(cols[SERIES_INDEX.alarm]).toEqual([850, 850, 850, 850]);
    expect(cols[SERIES_INDEX.projection]).toEqual([null, null, 700, 850]);
    for (const c of cols) expect(c).toHaveLength(4);
  });

  it('a prediction made from a reading newer than the series adds that reading to x', () => {
    const s = raw([[1_000, 650]]);
    const cols = chartColumns(s, levels, projectionOf(state(), levels));
    expect(cols[0]).toEqual([1_000, 3_000, 903_000]);
    expect(cols[SERIES_INDEX.projection]).toEqual([null, 700, 850]);
    expect(cols[SERIES_INDEX.mean]).toEqual([650, null, null]);
  });

  it('without a rule the level columns are empty and nothing is projected', () => {
    const cols = chartColumns(raw([[1, 5]]), null, null);
    expect(cols[SERIES_INDEX.warning]).toEqual([null]);
    expect(cols[SERIES_INDEX.alarm]).toEqual([null]);
    expect(cols[SERIES_INDEX.projection]).toEqual([null]);
  });

  it('the y range shows the data, both levels and the crossing', () => {
    const s = raw([
      [1, 300],
      [2, 320],
    ]);
    const [lo, hi] = yRange(s, levels, null);
    expect(lo).toBeLessThan(300);
    expect(hi).toBeGreaterThan(850);
    const falling = { direction: 'falling' as const, warning: 0.3, alarm: 0.22 };
    const [plo, phi] = yRange(raw([[1, 0.4]]), falling, null);
    expect(plo).toBeLessThan(0.22);
    expect(phi).toBeGreaterThan(0.4);
    expect(yRange(emptySeries('raw'), null, null)).toEqual([0, 1]);
    const [flo, fhi] = yRange(raw([[1, 5]]), null, null);
    expect(flo).toBeLessThan(5);
    expect(fhi).toBeGreaterThan(5);
  });

  it('says minutes up to two hours, then hours', () => {
    expect(leadTime(14.4)).toEqual({ unit: 'min', n: 14 });
    expect(leadTime(0.2)).toEqual({ unit: 'min', n: 1 });
    expect(leadTime(119)).toEqual({ unit: 'min', n: 119 });
    expect(leadTime(200)).toEqual({ unit: 'h', n: 3 });
  });
});

describe('sparklines', () => {
  const box = { width: 100, height: 20, pad: 2 };

  it('spreads the values across the width and the range across the height, highest on top', () => {
    const pts = sparklinePoints([0, 5, 10], box);
    expect(pts).toEqual([
      [0, 18],
      [50, 10],
      [100, 2],
    ]);
  });

  it('skips gaps, draws a flat hour through the middle, one value across', () => {
    expect(sparklinePoints([1, Number.NaN, 3], box).map((p) => p[0])).toEqual([0, 100]);
    expect(sparklinePoints([4, 4, 4], box).map((p) => p[1])).toEqual([10, 10, 10]);
    expect(sparklinePoints([7], box)).toEqual([
      [0, 10],
      [100, 10],
    ]);
    expect(sparklinePoints([], box)).toEqual([]);
  });

  it('draws one path in the colour asked for, after clearing', () => {
    const calls: string[] = [];
    const ctx: SparkContext = {
      strokeStyle: '',
      lineWidth: 0,
      clearRect: () => calls.push('clear'),
      beginPath: () => calls.push('begin'),
      moveTo: (x, y) => calls.push(`M${x},${y}`),
      lineTo: (x, y) => calls.push(`L${x},${y}`),
      stroke: () => calls.push('stroke'),
    };
    drawSparkline(ctx, [0, 10], box, '#34c77b');
    expect(calls).toEqual(['clear', 'begin', 'M0,18', 'L100,2', 'stroke']);
    expect(ctx.strokeStyle).toBe('#34c77b');
    calls.length = 0;
    drawSparkline(ctx, [], box, '#fff');
    expect(calls).toEqual(['clear']);
  });
});

describe('state colours on the map', () => {
  it('stay at least 23 per channel from every alert fill in one channel (tests/e2e/map-pixels.ts counts alerts by colour)', () => {
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    for (const state of Object.values(assetStateColour)) {
      for (const severity of ['Extreme', 'Severe', 'Moderate', 'Minor'] as const) {
        const a = rgb(state);
        const b = rgb(severityColour[severity]);
        expect(Math.max(...a.map((c, i) => Math.abs(c - b[i]!)))).toBeGreaterThanOrEqual(23);
      }
    }
  });
});
