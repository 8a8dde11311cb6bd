import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../main/replica/migrate';
import { tempDir } from './fixtures';

/** Replica schema 11 (decision 0034): the hub's rule edits, newest per asset kind and prefix. */
describe('replica migration 0011', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => cleanup?.());

  it('adds telemetry_rules to a replica of schema 10 and keeps its cursor', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(path.join(t.dir, 'replica.sqlite'));
    migrate(db, loadMigrations(), 10);
    db.prepare('UPDATE meta SET cursor = 42 WHERE id = 1').run();
    migrate(db, loadMigrations(), 11);
    expect(db.prepare('SELECT cursor FROM meta WHERE id = 1').get()).toEqual({ cursor: 42 });
    const put = db.prepare(
      "INSERT INTO telemetry_rules (asset_kind, name_prefix, rule_set, reason, updated_at, updated_by, seq) VALUES (?, ?, ?, 'why', 't', 'Mara Quist', ?)",
    );
    put.run('bridge', '', '{"assetKind":"bridge"}', 5);
    expect(() => put.run('bridge', '', '{"assetKind":"bridge"}', 6)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => put.run('tunnel', '', 'not json', 7)).toThrow(/CHECK/);
    db.close();
  });
});
