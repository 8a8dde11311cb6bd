import { z } from 'zod';
import { systemClock, type Clock } from '../../shared/clock';
import type { AppError } from '../../shared/errors';
import { Reading, TELEMETRY_BATCH_MAX, TelemetryBatch } from '../../shared/telemetry/schema';
import { DEFAULT_RETENTION, type TelemetryRetention, type TelemetryStore } from './store';

/**
 * The console's telemetry boundary (issue 9, decision 0031). Every batch, from the hub's
 * socket or from a local second source, comes in through `ingest`: parsed with zod, refused
 * whole with a stable code when anything in it is wrong (counted, nothing stored, nobody told),
 * else stored in one transaction and handed to the `onReadings` listeners (the edge rule
 * engine). Drops are counted from gaps in each source's `seq`.
 */

export type TelemetrySource = TelemetryBatch['source'];

/** Called with every accepted batch's readings, after they are stored, in arrival order. */
export type ReadingsListener = (readings: readonly Reading[], source: TelemetrySource) => void;

export interface TelemetryCounters {
  /** batches stored */
  batches: number;
  /** readings in stored batches (a reading already held is accepted and not stored twice) */
  accepted: number;
  /** readings newly stored */
  stored: number;
  /** readings in refused batches, and the refused batches themselves */
  refused: number;
  refusedBatches: number;
  /** batches missing by their source's seq */
  droppedBatches: number;
  /** the last refusal, for diagnostics */
  lastRefusal: AppError | null;
}

export interface IngestOutcome {
  accepted: number;
  stored: number;
}

export type IngestResult = { ok: true; value: IngestOutcome } | { ok: false; error: AppError };

/** Only the envelope first: a batch with the wrong shape is refused before its readings are looked at. */
const Envelope = TelemetryBatch.omit({ readings: true }).extend({
  readings: z.array(z.unknown()).max(TELEMETRY_BATCH_MAX),
});

export interface TelemetryIngestOptions {
  store: TelemetryStore;
  clock?: Clock;
  retention?: TelemetryRetention;
  /** how often retention runs, ms (default 30 s) */
  retentionEveryMs?: number;
  /** diagnostics; default silent */
  log?: (message: string) => void;
}

export class TelemetryIngest {
  readonly counters: TelemetryCounters = {
    batches: 0,
    accepted: 0,
    stored: 0,
    refused: 0,
    refusedBatches: 0,
    droppedBatches: 0,
    lastRefusal: null,
  };
  readonly store: TelemetryStore;
  readonly retention: TelemetryRetention;
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  private readonly listeners = new Set<ReadingsListener>();
  private readonly lastSeq = new Map<TelemetrySource, number>();
  private retentionTimer: ReturnType<typeof setInterval> | null = null;
  private sweeping = false;

  constructor(private readonly options: TelemetryIngestOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.log = options.log ?? (() => {});
  }

  /**
   * The hook for the edge rule engine (and anything else that wants every accepted reading):
   * returns the unsubscribe. A listener that throws is logged and does not stop the others.
   */
  onReadings(listener: ReadingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * One batch from any source. `expected`: the source this channel carries (the hub's socket
   * says 'hub'); a batch claiming another source is refused, so a local replay cannot pose as
   * the hub's stream or disturb its drop count.
   */
  ingest(raw: unknown, expected?: TelemetrySource): IngestResult {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      return this.refuse(
        'TELEMETRY_BAD_BATCH',
        `A telemetry batch was refused (${issue?.path.join('.') || 'batch'}: ${issue?.message ?? 'invalid'}); nothing from it was stored.`,
        Array.isArray((raw as { readings?: unknown } | null)?.readings)
          ? (raw as { readings: unknown[] }).readings.length
          : 0,
      );
    }
    const batch = envelope.data;
    if (expected && batch.source !== expected) {
      return this.refuse(
        'TELEMETRY_BAD_BATCH',
        `A telemetry batch from '${batch.source}' arrived on the ${expected} channel; nothing from it was stored.`,
        batch.readings.length,
      );
    }
    // Its seq is known from here on: a batch refused for a bad reading arrived, it is not missing.
    this.countSeq(batch.source, batch.seq);
    const readings: Reading[] = new Array(batch.readings.length);
    for (let i = 0; i < batch.readings.length; i++) {
      const reading = Reading.safeParse(batch.readings[i]);
      if (!reading.success) {
        const issue = reading.error.issues[0];
        return this.refuse(
          'TELEMETRY_BAD_READING',
          `Reading ${i} of ${batch.source} telemetry batch ${batch.seq} is wrong (${issue?.path.join('.') || 'reading'}: ${issue?.message ?? 'invalid'}); the batch was not stored.`,
          batch.readings.length,
        );
      }
      readings[i] = reading.data;
    }
    let stored: number;
    try {
      stored = this.store.write(readings);
    } catch (err) {
      // The replica could not take it (disk full, I/O): rolled back, and the worker goes on.
      const message = err instanceof Error ? err.message : String(err);
      this.log(`telemetry batch not stored: ${message}`);
      return this.refuse(
        'INTERNAL',
        `A ${batch.source} telemetry batch could not be stored (${message}); nothing from it was kept.`,
        readings.length,
      );
    }
    this.counters.batches++;
    this.counters.accepted += readings.length;
    this.counters.stored += stored;
    for (const listener of this.listeners) {
      try {
        listener(readings, batch.source);
      } catch (err) {
        this.log(`telemetry listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { ok: true, value: { accepted: readings.length, stored } };
  }

  /** Retention now, in small transactions with a yield between them; resolves when nothing expired is left. */
  async retainNow(): Promise<{ raw: number; minutes: number }> {
    const total = { raw: 0, minutes: 0 };
    if (this.sweeping) return total;
    this.sweeping = true;
    try {
      for (;;) {
        const step = this.store.sweep(this.clock.now(), this.retention);
        total.raw += step.raw;
        total.minutes += step.minutes;
        if (!step.more) return total;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.sweeping = false;
    }
  }

  /** Runs retention every `retentionEveryMs` (and once now) until stop(). */
  startRetention(): void {
    if (this.retentionTimer) return;
    const run = () =>
      void this.retainNow().catch((err: unknown) =>
        this.log(`telemetry retention failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    this.retentionTimer = setInterval(run, this.options.retentionEveryMs ?? 30_000);
    this.retentionTimer.unref?.();
    run();
  }

  stop(): void {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = null;
    this.listeners.clear();
  }

  /**
   * A seq after the last one seen by more than one means batches went missing (a batch refused
   * before its seq could be read counts among them). A seq at or
   * below the last is a source that started again (a restarted hub counts from 0): its new
   * stream begins there, nothing is counted.
   */
  private countSeq(source: TelemetrySource, seq: number): void {
    const last = this.lastSeq.get(source);
    if (last !== undefined && seq > last + 1) this.counters.droppedBatches += seq - last - 1;
    this.lastSeq.set(source, seq);
  }

  private refuse(code: AppError['code'], message: string, readings: number): IngestResult {
    this.counters.refusedBatches++;
    this.counters.refused += readings;
    const error: AppError = { code, message };
    this.counters.lastRefusal = error;
    return { ok: false, error };
  }
}
