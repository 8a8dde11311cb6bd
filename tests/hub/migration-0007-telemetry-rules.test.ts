import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../hub/store/migrate';
import { tempDir } from './helpers';

/** Hub schema 7 (decision 0034): edited telemetry rule sets, one row per asset kind and prefix. */
describe('hub migration 0007', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('adds telemetry_rules beside a store of schema 6, keyed by asset kind and prefix, JSON only', () => {
    const t = tempDir();
    const db = new Database(join(t.dir, 'hub.sqlite'));
    cleanups.push(() => {
      db.close();
      t.remove();
    });
    migrate(db, { target: 6 });
    db.prepare(
      "INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (1, 'asset.upserted', 't', NULL, '{}')",
    ).run();
    migrate(db, { target: 7 });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    const put = db.prepare(
      "INSERT INTO telemetry_rules (asset_kind, name_prefix, rule_set, updated_at, updated_by, seq) VALUES (?, ?, ?, 't', 'Mara Quist', 2)",
    );
    put.run('pipeline', 'Gas main', '{"assetKind":"pipeline"}');
    put.run('pipeline', '', '{"assetKind":"pipeline"}');
    expect(() => put.run('pipeline', 'Gas main', '{}')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => put.run('bridge', '', 'not json')).toThrow(/CHECK/);
  });
});
