import type { Sparklines } from '../../shared/telemetry/api';
import type { TelemetryApi } from './api';

export type Spark = Sparklines[number];

/** A row's sparkline is asked for again after this long while it stays on screen. */
export const SPARK_FRESH_MS = 30_000;
/** Rows that scroll past faster than this are not fetched at all. */
export const SPARK_DEBOUNCE_MS = 150;
/** The contract's cap on one request. */
export const SPARK_BATCH = 500;

export interface SparkClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const realClock: SparkClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Sparklines for the rows a list shows, fetched in batches (one `getSparklines` for the
 * visible rows, not one call per row), kept for a while, and asked for again while they
 * stay visible. Lists read it through useSyncExternalStore; `version` moves on every answer.
 */
export class SparklineCache {
  private readonly sparks = new Map<string, { spark: Spark | null; at: number }>();
  private readonly listeners = new Set<() => void>();
  private visible: readonly string[] = [];
  private timer: unknown = null;
  private refresh: unknown = null;
  private inFlight = false;
  /** rows shown while a request was in flight: fetched as soon as it ends, not at the next refresh */
  private again = false;
  private version = 0;
  private stopped = false;
  /** requests sent, for tests and the bench */
  requests = 0;

  constructor(
    private readonly api: TelemetryApi,
    private readonly clock: SparkClock = realClock,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getVersion = (): number => this.version;

  get(assetId: string): Spark | null | undefined {
    return this.sparks.get(assetId)?.spark;
  }

  /** The rows now on screen; fetched after a short pause, so a fast scroll costs nothing. */
  show(assetIds: readonly string[]): void {
    if (this.stopped) return;
    this.visible = assetIds;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => void this.fetchDue(), SPARK_DEBOUNCE_MS);
  }

  /** Again after a stop (React's StrictMode runs effects, their cleanups, then the effects again). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.visible.length > 0) this.show(this.visible);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.clock.clearTimeout(this.refresh);
  }

  private async fetchDue(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const now = this.clock.now();
    const due = this.visible.filter((id) => {
      const held = this.sparks.get(id);
      return !held || now - held.at >= SPARK_FRESH_MS;
    });
    this.inFlight = true;
    try {
      for (let i = 0; i < due.length; i += SPARK_BATCH) {
        const batch = due.slice(i, i + SPARK_BATCH);
        this.requests++;
        const r = await this.api.getSparklines({ assetIds: batch }).catch(() => null);
        if (this.stopped) return;
        if (!r?.ok) continue; // tried again at the next refresh
        const at = this.clock.now();
        const got = new Map(r.value.map((s) => [s.assetId, s]));
        // An asset the worker has no readings for is remembered as such (no line), not asked again at once.
        for (const id of batch) this.sparks.set(id, { spark: got.get(id) ?? null, at });
        this.version++;
        for (const l of this.listeners) l();
      }
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    const again = this.again;
    this.again = false;
    this.clock.clearTimeout(this.refresh);
    this.refresh = this.clock.setTimeout(() => void this.fetchDue(), again ? 0 : SPARK_FRESH_MS);
  }
}
