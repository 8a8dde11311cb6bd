import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../main/replica/migrate';
import { tempDir } from './fixtures';

/** Replica schema 12 (issue 9, decision 0032): edge_kind on alerts, this console's edge_alerts. */
describe('replica migration 0012', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => cleanup?.());

  it('adds edge_kind (NULL for the alerts already held) and edge_alerts to a replica of schema 11', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(path.join(t.dir, 'replica.sqlite'));
    migrate(db, loadMigrations(), 11);
    db.prepare(
      `INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event, headline, severity,
      severity_rank, urgency, urgency_rank, certainty, received_seq, received_at)
      VALUES ('s,1', '1', 's', 't', 0, 'Actual', 'Alert', 'e', 'h', 'Minor', 1, 'Past', 0, 'Observed', 1, 't')`,
    ).run();
    migrate(db, loadMigrations(), 12);
    expect(db.prepare('SELECT edge_kind FROM alerts').get()).toEqual({ edge_kind: null });
    expect(() => db.prepare("UPDATE alerts SET edge_kind = 'panic'").run()).toThrow(/CHECK/);
    const put =
      db.prepare(`INSERT INTO edge_alerts (alert_id, rule_key, kind, msg_type, open, cap, source, mutation_id, created_at)
      VALUES (?, 'BR-1/strain:frozen', ?, 'Alert', 1, '{}', '{}', 'm', 't')`);
    put.run('c,1', 'maintenance');
    expect(() => put.run('c,1', 'maintenance')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => put.run('c,2', 'worry')).toThrow(/CHECK/);
    db.close();
  });
});
