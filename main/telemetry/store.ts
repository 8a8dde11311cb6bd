import type { Statement } from 'better-sqlite3';
import type { Reading } from '../../shared/telemetry/schema';
import type { SensorKind } from '../../shared/telemetry/sensors';
import type { ReadDb, WriteDb } from '../replica/db';

/**
 * Sensor readings in the replica (schema 10, decision 0031): raw readings for the last
 * hour, 1-minute buckets (min, sum and count for the mean, max) for 7 days. Readings are
 * not log entries: nothing here is rebuilt from the hub, and what expires is gone.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface TelemetryRetention {
  /** raw readings older than this (ms before now) are deleted */
  rawMs: number;
  /** minute buckets older than this are deleted */
  minuteMs: number;
}
export const DEFAULT_RETENTION: TelemetryRetention = { rawMs: HOUR_MS, minuteMs: 7 * DAY_MS };

/**
 * Rows deleted per retention transaction: a few milliseconds of work, so the log's apply and
 * an officer's action never wait behind a week of expired buckets (see sweep).
 */
export const SWEEP_ROWS = 500;

export const minuteOf = (t: number): number => Math.floor(t / MINUTE_MS) * MINUTE_MS;

export interface RawPoint {
  t: number;
  value: number;
}
export interface MinuteBucket {
  minute: number;
  min: number;
  max: number;
  mean: number;
  count: number;
}

export class TelemetryStore {
  /** `asset/sensor` → telemetry_sensors.id; rows there are never deleted, so the map only grows */
  private readonly sensorIds = new Map<string, number>();
  private readonly findSensor: Statement;
  private readonly addSensor: Statement;
  private readonly insertRaw: Statement;
  private readonly upsertMinute: Statement;
  private readonly deleteRaw: Statement;
  private readonly deleteMinutes: Statement;
  private readonly selectRaw: Statement;
  private readonly selectMinutes: Statement;
  private readonly writeAll: (readings: readonly Reading[]) => number;

  constructor(private readonly db: WriteDb) {
    // A reading is stored once per (asset, sensor, time): the same reading from the hub and
    // from the local second source, or a batch sent twice, must not count twice in a bucket.
    this.findSensor = db.prepare('SELECT id FROM telemetry_sensors WHERE asset_id = ? AND sensor = ?').pluck();
    this.addSensor = db.prepare('INSERT INTO telemetry_sensors (asset_id, sensor) VALUES (?, ?)');
    this.insertRaw = db.prepare('INSERT OR IGNORE INTO telemetry_raw (sensor_id, t, value) VALUES (?, ?, ?)');
    this.upsertMinute = db.prepare(
      `INSERT INTO telemetry_minute (sensor_id, minute, min, max, sum, count) VALUES (?, ?, ?, ?, ?, 1)
       ON CONFLICT (sensor_id, minute) DO UPDATE SET
         min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum, count = count + 1`,
    );
    // Row values by the primary key, at most ? of the oldest: SQLite has no DELETE … LIMIT by default.
    this.deleteRaw = db.prepare(
      `DELETE FROM telemetry_raw WHERE (sensor_id, t) IN
         (SELECT sensor_id, t FROM telemetry_raw WHERE t < ? ORDER BY t LIMIT ?)`,
    );
    this.deleteMinutes = db.prepare(
      `DELETE FROM telemetry_minute WHERE (sensor_id, minute) IN
         (SELECT sensor_id, minute FROM telemetry_minute WHERE minute < ? ORDER BY minute LIMIT ?)`,
    );
    // Newest first with a limit, reversed by the caller: a capped series keeps its recent end.
    this.selectRaw = db
      .prepare(`SELECT t, value FROM telemetry_raw WHERE sensor_id = ? AND t >= ? AND t <= ? ORDER BY t DESC LIMIT ?`)
      .raw();
    this.selectMinutes = db
      .prepare(
        `SELECT minute, min, max, sum / count, count FROM telemetry_minute
          WHERE sensor_id = ? AND minute >= ? AND minute <= ? ORDER BY minute DESC LIMIT ?`,
      )
      .raw();
    this.writeAll = db.transaction((readings: readonly Reading[]) => {
      let stored = 0;
      for (const r of readings) {
        const id = this.sensorId(r.assetId, r.sensor, true)!;
        if (this.insertRaw.run(id, r.t, r.value).changes === 0) continue;
        this.upsertMinute.run(id, minuteOf(r.t), r.value, r.value, r.value);
        stored++;
      }
      return stored;
    });
  }

  /** Stores a batch of parsed readings in one transaction; returns how many were new. */
  write(readings: readonly Reading[]): number {
    if (readings.length === 0) return 0;
    try {
      return this.writeAll(readings);
    } catch (err) {
      // rolled back: a sensor key handed out inside the transaction may not exist
      this.sensorIds.clear();
      throw err;
    }
  }

  /** The sensor's key; made when `create` (inside the write transaction), else null when it has none yet. */
  private sensorId(assetId: string, sensor: string, create = false): number | null {
    const key = `${assetId}/${sensor}`;
    let id = this.sensorIds.get(key);
    if (id === undefined) {
      id = this.findSensor.get(assetId, sensor) as number | undefined;
      if (id === undefined) {
        if (!create) return null;
        id = Number(this.addSensor.run(assetId, sensor).lastInsertRowid);
      }
      this.sensorIds.set(key, id);
    }
    return id;
  }

  /**
   * One step of retention, in one transaction of at most `maxRows` deletions: raw readings
   * first, then buckets. `more`: there is still expired data; call again (after yielding).
   */
  sweep(now: number, retention: TelemetryRetention = DEFAULT_RETENTION, maxRows = SWEEP_ROWS): SweepResult {
    return this.db.transaction(() => {
      const raw = this.deleteRaw.run(now - retention.rawMs, maxRows).changes;
      const minutes =
        raw < maxRows ? this.deleteMinutes.run(minuteOf(now - retention.minuteMs), maxRows - raw).changes : 0;
      return { raw, minutes, more: raw + minutes >= maxRows };
    })();
  }

  /** Raw readings of one sensor in [from, to], oldest first; at most `limit`, the newest kept. */
  raw(assetId: string, sensor: SensorKind, from: number, to: number, limit: number): RawPoint[] {
    const id = this.sensorId(assetId, sensor);
    if (id === null) return [];
    const rows = this.selectRaw.all(id, from, to, limit) as [number, number][];
    const out = new Array<RawPoint>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [t, value] = rows[rows.length - 1 - i]!;
      out[i] = { t, value };
    }
    return out;
  }

  /** Minute buckets of one sensor whose minute starts in [from, to], oldest first; at most `limit`, the newest kept. */
  minutes(assetId: string, sensor: SensorKind, from: number, to: number, limit: number): MinuteBucket[] {
    const id = this.sensorId(assetId, sensor);
    if (id === null) return [];
    const rows = this.selectMinutes.all(id, from, to, limit) as [number, number, number, number, number][];
    const out = new Array<MinuteBucket>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [minute, min, max, mean, count] = rows[rows.length - 1 - i]!;
      out[i] = { minute, min, max, mean, count };
    }
    return out;
  }

  /** Row counts (tests, diagnostics). */
  counts(): { raw: number; minutes: number } {
    const db: ReadDb = this.db;
    return {
      raw: (db.prepare('SELECT count(*) FROM telemetry_raw').pluck().get() as number) ?? 0,
      minutes: (db.prepare('SELECT count(*) FROM telemetry_minute').pluck().get() as number) ?? 0,
    };
  }
}

export interface SweepResult {
  raw: number;
  minutes: number;
  more: boolean;
}
