import type { SeriesResolution, TelemetrySeries } from '../../shared/telemetry/api';
import type { ChartRange, SensorState } from '../state/telemetry';

/**
 * The arithmetic behind a sensor chart, kept apart from uPlot and the DOM so it can be
 * tested: what to fetch for a range, how live readings join a fetched series, where
 * the level lines and the projected trend go, and what the y axis must show.
 */

export const MINUTE = 60_000;
export const RANGE_MS: Readonly<Record<ChartRange, number>> = {
  '1h': 60 * MINUTE,
  '24h': 24 * 60 * MINUTE,
  '7d': 7 * 24 * 60 * MINUTE,
};

/** The last hour is kept raw by the replica; longer spans come as minute buckets. */
export const resolutionOf = (range: ChartRange): SeriesResolution => (range === '1h' ? 'raw' : 'minute');

/** A series as one chart holds it: columns, oldest first. Raw points have min = mean = max. */
export interface ChartSeries {
  readonly resolution: SeriesResolution;
  readonly t: readonly number[];
  readonly mean: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
}

export type Levels = NonNullable<TelemetrySeries['levels']>;

export const emptySeries = (resolution: SeriesResolution): ChartSeries => ({
  resolution,
  t: [],
  mean: [],
  min: [],
  max: [],
});

export const fromAnswer = (s: Pick<TelemetrySeries, 'resolution' | 't' | 'mean' | 'min' | 'max'>): ChartSeries => ({
  resolution: s.resolution,
  t: s.t,
  mean: s.mean,
  min: s.min,
  max: s.max,
});

export const lastT = (s: ChartSeries): number | null => (s.t.length ? s.t[s.t.length - 1]! : null);

/**
 * A live reading joins a raw series only when it is newer than its last point (the
 * push repeats a state whose value did not move; readings never arrive out of order
 * from one source). Minute buckets are not guessed from single readings: the tail
 * refetch brings the worker's own min/mean/max. Returns the same object when nothing changes.
 */
export function appendReading(series: ChartSeries, t: number | null, value: number | null): ChartSeries {
  if (series.resolution !== 'raw' || t === null || value === null || !Number.isFinite(value)) return series;
  const last = lastT(series);
  if (last !== null && t <= last) return series;
  return {
    resolution: series.resolution,
    t: [...series.t, t],
    mean: [...series.mean, value],
    min: [...series.min, value],
    max: [...series.max, value],
  };
}

/**
 * Where a tail refetch starts: just after the last point the worker itself sent (the
 * points appended from pushes since are asked for again, with the readings between them),
 * or at the last minute bucket the worker sent (still filling, so fetched again and replaced).
 */
export function tailFrom(resolution: SeriesResolution, fetchedLast: number | null, fallback: number): number {
  if (fetchedLast === null) return fallback;
  return resolution === 'raw' ? fetchedLast + 1 : fetchedLast;
}

/**
 * The worker's tail takes the place of what the chart held over the same span; points held
 * before it and any pushed after its last one stay.
 */
export function mergeTail(series: ChartSeries, tail: ChartSeries): ChartSeries {
  if (tail.t.length === 0) return series;
  const first = tail.t[0]!;
  const last = tail.t[tail.t.length - 1]!;
  let keep = series.t.length;
  while (keep > 0 && series.t[keep - 1]! >= first) keep--;
  let after = keep;
  while (after < series.t.length && series.t[after]! <= last) after++;
  const join = (held: readonly number[], fresh: readonly number[]) => [
    ...held.slice(0, keep),
    ...fresh,
    ...held.slice(after),
  ];
  return {
    resolution: series.resolution,
    t: join(series.t, tail.t),
    mean: join(series.mean, tail.mean),
    min: join(series.min, tail.min),
    max: join(series.max, tail.max),
  };
}

/** Drop the points that slid out of the chart's window. Same object when none did. */
export function trimBefore(series: ChartSeries, from: number): ChartSeries {
  let drop = 0;
  while (drop < series.t.length && series.t[drop]! < from) drop++;
  if (drop === 0) return series;
  return {
    resolution: series.resolution,
    t: series.t.slice(drop),
    mean: series.mean.slice(drop),
    min: series.min.slice(drop),
    max: series.max.slice(drop),
  };
}

/** The segment from the latest reading to the predicted crossing of the predicted level. */
export interface Projection {
  readonly level: 'warning' | 'alarm';
  readonly t0: number;
  readonly v0: number;
  readonly t1: number;
  readonly v1: number;
}

/**
 * The projected trend to draw, when a prediction is in force and we know where its
 * level lies: a straight line from the latest reading to the level at the predicted
 * crossing. The engine stamps a prediction with the reading it was made at (`atT`) and
 * the minutes from there (shared/telemetry/rules/engine.ts), so the crossing is their sum.
 */
export function projectionOf(state: SensorState | null | undefined, levels: Levels | null): Projection | null {
  const p = state?.prediction;
  if (!state || !p || !levels || state.t === null || state.value === null) return null;
  const crossing = Math.round(p.atT + p.minutes * MINUTE);
  if (crossing <= state.t) return null;
  return { level: p.level, t0: state.t, v0: state.value, t1: crossing, v1: levels[p.level] };
}

/**
 * uPlot's columns: x, then mean, min, max, warning, alarm, projection. The level lines are
 * constant series; the projection is null except at its two ends (the chart spans that
 * gap). x gains the projection's ends when they lie beyond the series.
 */
export type ChartColumns = [number[], ...(number | null)[][]];

export const SERIES_INDEX = { mean: 1, min: 2, max: 3, warning: 4, alarm: 5, projection: 6 } as const;

export function chartColumns(series: ChartSeries, levels: Levels | null, projection: Projection | null): ChartColumns {
  const x = [...series.t];
  const mean: (number | null)[] = [...series.mean];
  const min: (number | null)[] = [...series.min];
  const max: (number | null)[] = [...series.max];
  const proj: (number | null)[] = x.map(() => null);
  if (projection) {
    const last = x.length ? x[x.length - 1]! : -Infinity;
    let i0: number;
    if (projection.t0 > last) {
      x.push(projection.t0);
      mean.push(null);
      min.push(null);
      max.push(null);
      proj.push(null);
      i0 = x.length - 1;
    } else {
      // The reading the prediction was made from is normally the last point drawn.
      i0 = x.lastIndexOf(projection.t0);
      if (i0 < 0) i0 = x.length - 1;
    }
    proj[i0] = projection.v0;
    if (projection.t1 > x[x.length - 1]!) {
      x.push(projection.t1);
      mean.push(null);
      min.push(null);
      max.push(null);
      proj.push(projection.v1);
    }
  }
  const constant = (v: number | undefined) => x.map(() => (v === undefined ? null : v));
  return [x, mean, min, max, constant(levels?.warning), constant(levels?.alarm), proj];
}

/**
 * The y range: the data, both level lines and the projection's end, with a little air,
 * so an officer always sees how far the value stands from its levels.
 */
export function yRange(series: ChartSeries, levels: Levels | null, projection: Projection | null): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: number) => {
    if (!Number.isFinite(v)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const v of series.min) take(v);
  for (const v of series.max) take(v);
  if (levels) {
    take(levels.warning);
    take(levels.alarm);
  }
  if (projection) take(projection.v1);
  if (lo === Infinity) return [0, 1];
  const span = hi - lo;
  const pad = span > 0 ? span * 0.08 : Math.max(Math.abs(hi) * 0.05, 1);
  return [lo - pad, hi + pad];
}

/** "in ~14 min", "in ~3 h": minutes up to two hours, then whole hours. */
export function leadTime(minutes: number): { unit: 'min' | 'h'; n: number } {
  if (minutes < 120) return { unit: 'min', n: Math.max(1, Math.round(minutes)) };
  return { unit: 'h', n: Math.round(minutes / 60) };
}
