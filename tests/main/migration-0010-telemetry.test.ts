import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../main/replica/migrate';
import { tempDir } from './fixtures';

/** Replica schema 10 (decision 0031): sensor readings, raw and in minute buckets, outside the log. */
describe('replica migration 0010', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => cleanup?.());

  it('adds the telemetry tables to a replica of schema 9 and keeps its cursor and offline time', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(path.join(t.dir, 'replica.sqlite'));
    migrate(db, loadMigrations(), 9);
    db.prepare('UPDATE meta SET cursor = 42, offline_since = 7 WHERE id = 1').run();
    expect(migrate(db, loadMigrations(), 10)).toBe(10);
    expect(db.prepare('SELECT cursor, offline_since FROM meta WHERE id = 1').get()).toEqual({
      cursor: 42,
      offline_since: 7,
    });
    const sensor = db.prepare("INSERT INTO telemetry_sensors (asset_id, sensor) VALUES ('BR-1', 'strain')");
    expect(sensor.run().lastInsertRowid).toBe(1);
    expect(() => sensor.run()).toThrow(/UNIQUE/);
    const raw = db.prepare('INSERT INTO telemetry_raw (sensor_id, t, value) VALUES (1, ?, ?)');
    raw.run(1_000, 250.5);
    // one reading per sensor and time; STRICT refuses a value that is not a number
    expect(() => raw.run(1_000, 251)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => raw.run(2_000, 'high')).toThrow(/cannot store TEXT value in REAL column/);
    const bucket = db.prepare(
      'INSERT INTO telemetry_minute (sensor_id, minute, min, max, sum, count) VALUES (1, 0, 1, 2, 3, ?)',
    );
    expect(() => bucket.run(0)).toThrow(/CHECK/);
    bucket.run(2);
    // retention deletes by time through the indexes on t and minute
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT sensor_id FROM telemetry_raw WHERE t < 5 ORDER BY t LIMIT 10')).toMatch(/telemetry_raw_t/);
    expect(plan('SELECT sensor_id FROM telemetry_minute WHERE minute < 5 ORDER BY minute LIMIT 10')).toMatch(
      /telemetry_minute_minute/,
    );
    db.close();
  });
});
