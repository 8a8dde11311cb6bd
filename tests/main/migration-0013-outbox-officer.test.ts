import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../main/replica/migrate';
import { tempDir } from './fixtures';

/** Replica schema 13 (issue 6, decision 0036): each outbox row keeps the officer who made it. */
describe('replica migration 0013', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('adds outbox.officer; rows written before it keep theirs, with no officer', () => {
    const t = tempDir();
    const db = new Database(path.join(t.dir, 'replica.sqlite'));
    cleanups.push(() => {
      db.close();
      t.cleanup();
    });
    migrate(db, loadMigrations(), 12);
    const insert = `INSERT INTO outbox (id, type, target, payload, hlc, state, created_at, updated_at)
      VALUES (?, 'log.append', 'incident:i-1', '{}', 'h', 'pending', 't', 't')`;
    db.prepare(insert).run('before');
    migrate(db, loadMigrations(), 13);
    expect(schemaVersion(db)).toBe(13);
    db.prepare(
      `INSERT INTO outbox (id, type, target, payload, hlc, state, created_at, updated_at, officer)
       VALUES ('after', 'log.append', 'incident:i-1', '{}', 'h', 'pending', 't', 't', 'ada okafor')`,
    ).run();
    expect(db.prepare('SELECT id, officer FROM outbox ORDER BY ord').all()).toEqual([
      { id: 'before', officer: null },
      { id: 'after', officer: 'ada okafor' },
    ]);
  });
});
