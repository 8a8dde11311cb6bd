import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, schemaVersion } from '../../main/replica/migrate';
import { tempDir } from './fixtures';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('replica migration 0004 (alert lifecycle)', () => {
  it('rebuilds references, lifecycle, languages and alert boxes from the log of a schema-3 replica', () => {
    const db = new Database(path.join(dir, 'r.sqlite'));
    migrate(db, loadMigrations(), 3);
    const ev = db.prepare(`INSERT INTO events VALUES (?, 'alert.received', 'at', NULL, ?)`);
    const al = db.prepare(`INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event, headline,
      severity, severity_rank, urgency, urgency_rank, certainty, received_seq, received_at, bbox)
      VALUES (?, ?, 's', 'x', ?, 'Actual', ?, 'e', 'h', 'Minor', 1, 'Past', 1, 'Observed', ?, 'at', ?)`);
    const msg = (seq: number, identifier: string, msgType: string, refs: string[], langs: string[]) => {
      ev.run(
        seq,
        JSON.stringify({
          alertId: `s,${identifier}`,
          cap: {
            identifier,
            references: refs.map((r) => ({ sender: 's', identifier: r, sent: 'x' })),
            infos: langs.map((language) => ({ language })),
          },
        }),
      );
      al.run(
        `s,${identifier}`,
        identifier,
        seq * 1000,
        msgType,
        seq,
        JSON.stringify({ minLat: 1, minLon: 2, maxLat: 3, maxLon: 4 }),
      );
    };
    msg(1, 'A', 'Alert', [], ['en-CA', 'fr-CA']);
    msg(2, 'U', 'Update', ['A', 'later'], ['en-CA']);
    msg(3, 'C', 'Cancel', ['U'], []);
    migrate(db, loadMigrations(), 4);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT id, lifecycle, superseded_by, languages FROM alerts ORDER BY id').all()).toEqual([
      { id: 's,A', lifecycle: 'superseded', superseded_by: 's,U', languages: '["en-CA","fr-CA"]' },
      { id: 's,C', lifecycle: 'current', superseded_by: null, languages: '[]' },
      { id: 's,U', lifecycle: 'cancelled', superseded_by: 's,C', languages: '["en-CA"]' },
    ]);
    // the reference to a message not received yet is remembered
    expect(db.prepare(`SELECT from_id FROM alert_refs WHERE to_id = 's,later'`).all()).toEqual([{ from_id: 's,U' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM alert_rtree').get()).toEqual({ n: 3 });
    db.close();
  });
});
