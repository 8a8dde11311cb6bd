import type { AppError } from '../../shared/errors';
import type { TelemetrySeries } from '../../shared/telemetry/api';
import { sensorId, type SensorKind } from '../../shared/telemetry/sensors';
import { selectSensorStateById, sensorStatesLoaded, type ChartRange, type SensorState } from '../state/telemetry';
import type { TelemetryApi } from './api';
import {
  appendReading,
  fromAnswer,
  mergeTail,
  RANGE_MS,
  resolutionOf,
  tailFrom,
  trimBefore,
  type ChartSeries,
  type Levels,
} from './chartModel';

export type SeriesView =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: AppError }
  | { readonly status: 'loaded'; readonly series: ChartSeries; readonly levels: Levels | null; readonly unit: string };

/** The worker is asked for the newest points at most this often while pushes keep coming. */
export const TAIL_EVERY_MS: Readonly<Record<ChartRange, number>> = { '1h': 5_000, '24h': 15_000, '7d': 30_000 };
export const RETRY_MS = 5_000;

/** The little of the Redux store a feed needs. */
export interface FeedStore {
  getState(): Parameters<typeof selectSensorStateById>[0];
  subscribe(listener: () => void): () => void;
  dispatch(action: ReturnType<typeof sensorStatesLoaded>): unknown;
}

export interface FeedClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const realClock: FeedClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const failure = (err: unknown): AppError => ({
  code: 'INTERNAL',
  message: err instanceof Error ? err.message : String(err),
});

/**
 * One sensor's series for one chart, kept live outside React (the chart reads it with
 * useSyncExternalStore). Fetched once for the range; then a pushed reading newer than
 * the last point is appended at once (raw range), and the worker is asked only for the
 * tail since the last point, at most every few seconds while pushes keep coming: that
 * fills in the readings between pushes, the minute buckets, and a changed rule's levels.
 * Nothing is refetched whole. Restartable (React's StrictMode starts effects twice).
 */
export class SensorSeriesFeed {
  private view: SeriesView = { status: 'loading' };
  private readonly listeners = new Set<() => void>();
  private generation = 0;
  private running = false;
  private unsubscribeStore: (() => void) | null = null;
  private lastState: SensorState | undefined;
  private retryTimer: unknown = null;
  private tailTimer: unknown = null;
  private tailBusy = false;
  private lastTailAt = 0;
  /** the newest point the worker itself sent (pushed points are provisional until a tail confirms them) */
  private fetchedLast: number | null = null;

  constructor(
    private readonly api: TelemetryApi,
    private readonly store: FeedStore,
    readonly assetId: string,
    readonly sensor: SensorKind,
    readonly range: ChartRange,
    private readonly clock: FeedClock = realClock,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SeriesView => this.view;

  start(): void {
    if (this.running) return;
    this.running = true;
    const gen = ++this.generation;
    const id = sensorId(this.assetId, this.sensor);
    this.lastState = selectSensorStateById(this.store.getState(), id);
    this.unsubscribeStore = this.store.subscribe(() => {
      const next = selectSensorStateById(this.store.getState(), id);
      if (next === this.lastState) return;
      this.lastState = next;
      this.onState(next);
    });
    void this.load(gen);
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.unsubscribeStore?.();
    this.unsubscribeStore = null;
    this.clock.clearTimeout(this.retryTimer);
    this.clock.clearTimeout(this.tailTimer);
    this.retryTimer = this.tailTimer = null;
    this.tailBusy = false;
  }

  private set(view: SeriesView): void {
    this.view = view;
    for (const l of this.listeners) l();
  }

  private window(): number {
    return this.clock.now() - RANGE_MS[this.range];
  }

  private async fetch(
    from: number,
    to: number,
  ): Promise<{ ok: true; value: TelemetrySeries } | { ok: false; error: AppError }> {
    try {
      return await this.api.getTelemetrySeries({
        assetId: this.assetId,
        sensor: this.sensor,
        from,
        to,
        resolution: resolutionOf(this.range),
      });
    } catch (err) {
      return { ok: false, error: failure(err) };
    }
  }

  private async load(gen: number): Promise<void> {
    const to = this.clock.now();
    const r = await this.fetch(to - RANGE_MS[this.range], to);
    if (gen !== this.generation) return;
    if (!r.ok) {
      this.set({ status: 'failed', error: r.error });
      this.retryTimer = this.clock.setTimeout(() => void this.load(gen), RETRY_MS);
      return;
    }
    this.lastTailAt = this.clock.now();
    this.fetchedLast = r.value.t.length ? r.value.t[r.value.t.length - 1]! : null;
    if (r.value.state) this.store.dispatch(sensorStatesLoaded([r.value.state]));
    this.set({ status: 'loaded', series: fromAnswer(r.value), levels: r.value.levels, unit: r.value.unit });
  }

  /** A pushed state: append its reading now, and fetch the tail when it is due. */
  private onState(state: SensorState | undefined): void {
    const view = this.view;
    if (view.status !== 'loaded' || !state || state.t === null) return;
    const series = trimBefore(appendReading(view.series, state.t, state.value), this.window());
    if (series !== view.series) this.set({ ...view, series });
    if (this.tailTimer !== null || this.tailBusy) return;
    const due = Math.max(0, this.lastTailAt + TAIL_EVERY_MS[this.range] - this.clock.now());
    const gen = this.generation;
    this.tailTimer = this.clock.setTimeout(() => {
      this.tailTimer = null;
      void this.fetchTail(gen);
    }, due);
  }

  private async fetchTail(gen: number): Promise<void> {
    const before = this.view;
    if (gen !== this.generation || before.status !== 'loaded') return;
    this.tailBusy = true;
    this.lastTailAt = this.clock.now();
    const to = this.clock.now();
    const from = tailFrom(before.series.resolution, this.fetchedLast, this.window());
    const r = await this.fetch(Math.min(to, from), to);
    if (gen !== this.generation) return;
    this.tailBusy = false;
    const latest = this.view;
    // A tail that fails is asked for again with the next push; the chart keeps what it has.
    if (!r.ok || latest.status !== 'loaded') return;
    if (r.value.t.length) this.fetchedLast = r.value.t[r.value.t.length - 1]!;
    const series = trimBefore(mergeTail(latest.series, fromAnswer(r.value)), this.window());
    this.set({ status: 'loaded', series, levels: r.value.levels, unit: r.value.unit });
  }
}
