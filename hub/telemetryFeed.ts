import type { Namespace } from 'socket.io';
import type { Clock } from '../shared/clock';
import { Wire } from '../shared/protocol';
import { TELEMETRY_BATCH_MAX, type Reading, type TelemetryBatch } from '../shared/telemetry/schema';
import { LIVE_ROOM } from './liveFeed';
import type { DemoCity } from './simulator/city';
import {
  citySensors,
  namedScenario,
  telemetryReading,
  type ScenarioName,
  type SimSensor,
  type TelemetryScenario,
} from './simulator/telemetry';

/**
 * The hub's telemetry stream (issue 9, decision 0031). Every `everyMs` of the hub's clock it
 * samples the simulator's signal of every monitored asset's sensors (a pure function of asset,
 * sensor, time and scenarios) and pushes the readings as TelemetryBatch messages to the
 * consoles that said hello. Not on the log: no cursor, never replayed. A console whose socket
 * has packets piled up is skipped for that batch (it sees the gap in `seq` and counts it), so a
 * slow console never makes the hub buffer readings for it.
 */

export interface ScenarioSpec {
  name: ScenarioName;
  /** when it starts, ms since the epoch by the hub's clock; default: when the feed starts */
  startMs?: number;
}

export interface TelemetryFeedOptions {
  /** sampling interval, ms of the hub's clock (default 5 000: one reading per sensor every 5 s) */
  everyMs?: number;
  /**
   * readings per batch at most (default 500, never above TELEMETRY_BATCH_MAX): the console stores
   * a batch in one transaction, and 500 readings are a few milliseconds of its replica worker
   */
  maxBatch?: number;
  /** named scenarios to inject from the start (demo, tests) */
  scenarios?: readonly ScenarioSpec[];
  /** a console with more packets than this waiting in its socket is skipped (default 64) */
  maxBufferedPackets?: number;
}

export interface TelemetryFeedCounters {
  samples: number;
  batches: number;
  readings: number;
  /** batch deliveries skipped because a console's socket was backed up */
  skipped: number;
}

export const DEFAULT_TELEMETRY_EVERY_MS = 5_000;
const DEFAULT_MAX_BATCH = 500;
const DEFAULT_MAX_BUFFERED = 64;

export class TelemetryFeed {
  readonly counters: TelemetryFeedCounters = { samples: 0, batches: 0, readings: 0, skipped: 0 };
  readonly everyMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;
  private readonly sensors: readonly SimSensor[];
  private scenarios: TelemetryScenario[] = [];
  private seq = 0;
  private lastT = -1;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly nsp: Namespace,
    private readonly clock: Clock,
    private readonly city: DemoCity,
    options: TelemetryFeedOptions = {},
  ) {
    this.everyMs = Math.max(1, options.everyMs ?? DEFAULT_TELEMETRY_EVERY_MS);
    this.maxBatch = Math.min(TELEMETRY_BATCH_MAX, Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH));
    this.maxBuffered = options.maxBufferedPackets ?? DEFAULT_MAX_BUFFERED;
    this.sensors = citySensors(city);
    for (const spec of options.scenarios ?? []) this.inject(spec.name, spec.startMs ?? clock.now());
  }

  /** Adds a named scenario of the demo city (hub/simulator/telemetry.ts), starting at startMs. */
  inject(name: ScenarioName, startMs: number = this.clock.now()): { assetId: string; sensor: string } {
    const named = namedScenario(this.city, name, startMs);
    this.scenarios.push(...named.scenarios);
    return { assetId: named.assetId, sensor: named.sensor };
  }

  /** Samples every sensor every `everyMs` until stop(); the timer runs on real time, readings carry the hub's clock. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sampleNow(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * One sample of every sensor at the hub's clock, pushed now; returns the readings sent. A
   * clock that has not moved since the last sample sends nothing (the same readings again).
   */
  sampleNow(): number {
    const t = Math.trunc(this.clock.now());
    if (t <= this.lastT) return 0;
    this.lastT = t;
    const readings: Reading[] = [];
    for (const s of this.sensors) {
      const r = telemetryReading(s.asset, s.sensor, t, this.scenarios);
      if (r) readings.push(r);
    }
    this.counters.samples++;
    for (let i = 0; i < readings.length; i += this.maxBatch) this.send(readings.slice(i, i + this.maxBatch));
    return readings.length;
  }

  private send(readings: Reading[]): void {
    const batch: TelemetryBatch = { type: 'telemetry.batch', v: 1, source: 'hub', seq: this.seq++, readings };
    this.counters.batches++;
    this.counters.readings += readings.length;
    const ids = this.nsp.adapter.rooms.get(LIVE_ROOM);
    if (!ids) return;
    for (const id of ids) {
      const socket = this.nsp.sockets.get(id);
      if (!socket) continue;
      // Packets still queued for this console: it is not keeping up, and readings may be dropped.
      if (queuedPackets(socket) > this.maxBuffered) {
        this.counters.skipped++;
        continue;
      }
      socket.emit(Wire.telemetry, batch);
    }
  }
}

/**
 * Packets engine.io still holds for a socket (not yet handed to the transport). `writeBuffer`
 * is private in engine.io's types but a plain array at run time; volatile emits would drop a
 * batch whenever a single write is in flight, which under a burst of log entries is most of them.
 */
function queuedPackets(socket: { conn: unknown }): number {
  const buffer = (socket.conn as { writeBuffer?: unknown }).writeBuffer;
  return Array.isArray(buffer) ? buffer.length : 0;
}
