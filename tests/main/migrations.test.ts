import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openReplicaDb } from '../../main/replica/db';
import { loadMigrations, migrate, schemaVersion } from '../../main/replica/migrate';
import { tempDir } from './fixtures';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function freshFile(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return path.join(t.dir, 'replica.sqlite');
}

describe('replica migrations', () => {
  it('are numbered from 1 without holes', () => {
    const ms = loadMigrations();
    expect(ms.map((m) => m.version)).toEqual(ms.map((_, i) => i + 1));
    expect(ms.length).toBeGreaterThanOrEqual(2);
  });

  it('each is applied once, in order, and recorded', () => {
    const file = freshFile();
    const db = openReplicaDb({ file });
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name })));
    // Running again applies nothing.
    expect(migrate(db, loadMigrations())).toBe(loadMigrations().length);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: loadMigrations().length });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.close();
  });

  it('0001 creates STRICT tables and the spatial index from an empty file', () => {
    const file = freshFile();
    const db = new Database(file);
    migrate(db, loadMigrations(), 0);
    expect(schemaVersion(db)).toBe(0);
    migrate(db, loadMigrations(), 1);
    expect(schemaVersion(db)).toBe(1);
    for (const table of ['meta', 'events', 'assets', 'alerts', 'outbox']) {
      const sql = (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(table) as { sql: string }).sql;
      expect(sql, table).toMatch(/STRICT$/);
    }
    expect(db.prepare('SELECT cursor FROM meta').get()).toEqual({ cursor: 0 });
    expect(() => db.prepare("INSERT INTO events VALUES ('x', 't', 'at', NULL, '{}')").run()).toThrow();
    db.prepare('INSERT INTO asset_rtree VALUES (1, 51.0, 51.1, -0.2, -0.1)').run();
    expect(db.prepare('SELECT rid FROM asset_rtree WHERE max_lat >= 51.05 AND min_lat <= 51.05').all()).toEqual([
      { rid: 1 },
    ]);
    db.close();
  });

  it('0002 adds alert expiry and fills it for alerts already stored', () => {
    const file = freshFile();
    const db = new Database(file);
    migrate(db, loadMigrations(), 1);
    const insert =
      db.prepare(`INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event, headline,
      severity, severity_rank, urgency, urgency_rank, certainty, received_seq, received_at, cap, source)
      VALUES (?, 'i', 's', 'x', 0, 'Actual', 'Alert', 'e', 'h', 'Minor', 1, 'Past', 1, 'Observed', 1, 'at', ?, '{}')`);
    insert.run('with-expiry', JSON.stringify({ infos: [{ expires: '2026-11-28T12:00:00-05:00' }] }));
    insert.run('without', JSON.stringify({ infos: [{}] }));
    migrate(db, loadMigrations(), 2);
    expect(schemaVersion(db)).toBe(2);
    const rows = db.prepare('SELECT id, expires_ms FROM alerts ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'with-expiry', expires_ms: Date.parse('2026-11-28T12:00:00-05:00') },
      { id: 'without', expires_ms: null },
    ]);
    db.close();
  });

  it('0003 drops the CAP copy from alerts, keeping every alert; detail reads it from the log', () => {
    const file = freshFile();
    const db = new Database(file);
    migrate(db, loadMigrations(), 2);
    db.prepare(
      `INSERT INTO events VALUES (7, 'alert.received', 'at', NULL, '{"alertId":"a","cap":{"identifier":"i"},"source":{"kind":"simulator","name":"x"}}')`,
    ).run();
    db.prepare(
      `INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event, headline,
      severity, severity_rank, urgency, urgency_rank, certainty, received_seq, received_at, cap, source, expires_ms)
      VALUES ('a', 'i', 's', 'x', 0, 'Actual', 'Alert', 'e', 'h', 'Minor', 1, 'Past', 1, 'Observed', 7, 'at', '{}', '{}', 5)`,
    ).run();
    migrate(db, loadMigrations(), 3);
    const columns = (db.prepare('PRAGMA table_info(alerts)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('cap');
    expect(columns).not.toContain('source');
    expect(db.prepare('SELECT id, received_seq, expires_ms FROM alerts').all()).toEqual([
      { id: 'a', received_seq: 7, expires_ms: 5 },
    ]);
    expect(
      db
        .prepare(
          `SELECT json_extract(e.payload, '$.cap.identifier') AS identifier FROM alerts a JOIN events e ON e.seq = a.received_seq`,
        )
        .get(),
    ).toEqual({ identifier: 'i' });
    db.close();
  });

  it('0009 adds offline_since to meta, null for a replica that had one', () => {
    const file = freshFile();
    const db = new Database(file);
    migrate(db, loadMigrations(), 8);
    const cursor = (db.prepare('SELECT cursor FROM meta WHERE id = 1').get() as { cursor: number }).cursor;
    migrate(db, loadMigrations(), 9);
    expect(db.prepare('SELECT cursor, offline_since FROM meta WHERE id = 1').get()).toEqual({
      cursor,
      offline_since: null,
    });
    db.prepare('UPDATE meta SET offline_since = ? WHERE id = 1').run(1_764_324_000_000);
    expect(() => db.prepare("UPDATE meta SET offline_since = 'yesterday' WHERE id = 1").run()).toThrow();
    db.close();
  });

  it('0014 indexes the current alerts by sensor and by event type in arrival order, existing rows included', () => {
    const file = freshFile();
    const db = new Database(file);
    migrate(db, loadMigrations(), 13);
    const insert = db.prepare(`INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event,
        headline, severity, severity_rank, urgency, urgency_rank, certainty, received_seq, received_at, lifecycle,
        sensor_asset)
      VALUES (?, ?, 's', 't', 0, 'Actual', 'Alert', ?, 'h', 'Severe', 3, 'Expected', 3, 'Likely', ?, 't', ?, ?)`);
    insert.run('s,b', 'b', 'Flood', 2, 'current', 'bridge-1');
    insert.run('s,a', 'a', 'FLOOD', 1, 'current', 'bridge-1');
    insert.run('s,c', 'c', 'Flood', 3, 'superseded', 'bridge-1');
    insert.run('s,d', 'd', 'Fire', 4, 'current', null);
    migrate(db, loadMigrations(), 14);
    const ids = (sql: string, arg: string) => (db.prepare(sql).all(arg) as { id: string }[]).map((r) => r.id);
    expect(
      ids(
        `SELECT id FROM alerts INDEXED BY alerts_sensor_first WHERE sensor_asset = ? AND lifecycle = 'current'
          ORDER BY received_seq`,
        'bridge-1',
      ),
    ).toEqual(['s,a', 's,b']);
    expect(
      ids(
        `SELECT id FROM alerts INDEXED BY alerts_event_first WHERE lower(event) = lower(?) AND lifecycle = 'current'
          ORDER BY received_seq`,
        'flood',
      ),
    ).toEqual(['s,a', 's,b']);
    db.close();
  });

  it('a failing migration leaves the replica at the last whole version', () => {
    const file = freshFile();
    const db = new Database(file);
    const ms = [
      ...loadMigrations(),
      {
        version: loadMigrations().length + 1,
        name: 'broken',
        sql: 'CREATE TABLE ok_so_far (x INTEGER) STRICT; NOT SQL;',
      },
    ];
    expect(() => migrate(db, ms)).toThrow();
    expect(schemaVersion(db)).toBe(loadMigrations().length);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'ok_so_far'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a replica written by a newer console', () => {
    const file = freshFile();
    const db = openReplicaDb({ file });
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'now')").run();
    expect(() => migrate(db, loadMigrations())).toThrow(/newer console/);
    db.close();
  });
});
