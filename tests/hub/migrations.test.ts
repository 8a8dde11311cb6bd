import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../hub/store/migrate';
import { tempDir } from './helpers';

/** Each migration: migrate to N-1, write rows the way that schema allowed, migrate to N, check them. */
describe('hub store migrations', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const open = () => {
    const t = tempDir();
    const db = new Database(join(t.dir, 'hub.sqlite'));
    cleanups.push(() => {
      db.close();
      t.remove();
    });
    return db;
  };

  it('are numbered 1..N without gaps and each applies once, recorded', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    const db = open();
    expect(migrate(db)).toBe(migrations.length);
    expect(migrate(db)).toBe(migrations.length);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it('0001 creates the log, the mutation answers and the tail at 1, all STRICT', () => {
    const db = open();
    migrate(db, { target: 0 });
    expect(schemaVersion(db)).toBe(0);
    migrate(db, { target: 1 });
    expect(db.prepare("SELECT value FROM hub_meta WHERE key = 'tail'").get()).toEqual({ value: '1' });
    db.prepare(
      "INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (1, 'asset.upserted', 'now', NULL, '{}')",
    ).run();
    // STRICT: a text seq is refused rather than silently stored.
    expect(() =>
      db.prepare("INSERT INTO events (seq, type, at, payload) VALUES ('two', 'x', 'now', '{}')").run(),
    ).toThrow();
    expect(() =>
      db.prepare("INSERT INTO events (seq, type, at, payload) VALUES (3, 'x', 'now', 'not json')").run(),
    ).toThrow();
  });

  it('0002 builds alert state from a log written under 0001, first acknowledgement winning', () => {
    const db = open();
    migrate(db, { target: 1 });
    const insert = db.prepare('INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (?, ?, ?, ?, ?)');
    const by = (name: string) => ({ name, role: 'officer' });
    insert.run(1, 'alert.received', 't1', null, JSON.stringify({ alertId: 's,a' }));
    insert.run(2, 'alert.received', 't2', null, JSON.stringify({ alertId: 's,b' }));
    insert.run(3, 'alert.acknowledged', 't3', 'm1', JSON.stringify({ alertId: 's,a', by: by('First'), hlc: 'h' }));
    insert.run(4, 'alert.acknowledged', 't4', 'm2', JSON.stringify({ alertId: 's,a', by: by('Second'), hlc: 'h' }));
    insert.run(5, 'asset.upserted', 't5', null, JSON.stringify({ id: 'BR-001' }));

    migrate(db, { target: 2 });
    const rows = db.prepare('SELECT id, received_seq, ack_seq, ack_by, ack_at FROM alerts ORDER BY id').all() as {
      id: string;
      ack_by: string | null;
    }[];
    expect(rows).toEqual([
      { id: 's,a', received_seq: 1, ack_seq: 3, ack_by: JSON.stringify(by('First')), ack_at: 't3' },
      { id: 's,b', received_seq: 2, ack_seq: null, ack_by: null, ack_at: null },
    ]);
  });

  it('0005 adds the officer roster (people only, names unique case-insensitively) and handover notes', () => {
    const db = open();
    migrate(db, { target: 4 });
    db.prepare(
      "INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (1, 'asset.upserted', 't', NULL, '{}')",
    ).run();
    migrate(db, { target: 5 });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    const put = db.prepare(
      "INSERT INTO officers (name, position, agency, role, password_hash, created_at, updated_at) VALUES (?, 'Duty Officer', 'EOC', ?, 'scrypt$x', 't', 't')",
    );
    put.run('Ada Okafor', 'officer');
    expect(() => put.run('ADA OKAFOR', 'officer')).toThrow(/UNIQUE/);
    expect(() => put.run('River gauge', 'feed')).toThrow(/CHECK/);
    expect(db.prepare('SELECT active FROM officers').get()).toEqual({ active: 1 });
    expect(() =>
      db.prepare("INSERT INTO handovers (console_id, log_seq, doc) VALUES ('c', 1, 'not json')").run(),
    ).toThrow();
  });

  it('refuses a store newer than this hub', () => {
    const db = open();
    migrate(db);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'now')").run();
    expect(() => migrate(db)).toThrow(/schema 99/);
  });

  it('rolls back a failing migration whole, leaving the version where it was', () => {
    const db = open();
    const good = loadMigrations();
    const broken = [
      ...good,
      {
        version: good.length + 1,
        name: 'broken',
        sql: 'CREATE TABLE half (x INTEGER) STRICT; SELECT nope FROM nowhere;',
      },
    ];
    expect(() => migrate(db, { migrations: broken })).toThrow();
    expect(schemaVersion(db)).toBe(good.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
  });
});
