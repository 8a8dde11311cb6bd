import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadChecklists } from '../../hub/checklists';
import { loadMigrations, migrate } from '../../hub/store/migrate';
import { IncidentTypes } from '../../shared/domain/incident';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir();
  cleanups.push(t.remove);
  return t.dir;
};

describe('hub schema 4 (incident response state)', () => {
  it('0004 adds STRICT response tables to a store written under 0003 and keeps what was there', () => {
    const db = new Database(join(dir(), 'hub.sqlite'));
    cleanups.unshift(() => db.close());
    migrate(db, { target: 3 });
    db.prepare('INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (1, ?, ?, NULL, ?)').run(
      'alert.received',
      't1',
      JSON.stringify({ alertId: 's,a' }),
    );
    migrate(db, { target: 4 });
    expect(loadMigrations().length).toBeGreaterThanOrEqual(4);
    for (const table of ['incidents', 'units', 'activity_log', 'checklist_steps', 'incident_alerts']) {
      const sql = (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(table) as { sql: string }).sql;
      expect(sql, table).toMatch(/STRICT/);
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
    // The closing check ("units still committed") and the log by incident use their indexes.
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT doc FROM units WHERE incident_id = 'x' ORDER BY id")).toMatch(/USING INDEX units_incident/);
    expect(plan("SELECT doc FROM activity_log WHERE incident_id = 'x' ORDER BY seq")).toMatch(
      /USING INDEX activity_log_incident/,
    );
  });
});

describe('SOP checklists (assets/checklists)', () => {
  it('parse with the shared schema: one per type, real steps with due offsets', () => {
    const lists = loadChecklists();
    expect([...lists.keys()].sort()).toEqual(['bridge-structural', 'earthquake', 'flooding', 'gas-pressure-loss']);
    for (const [type, list] of lists) {
      expect(IncidentTypes).toContain(type);
      expect(list.steps.length).toBeGreaterThanOrEqual(6);
      expect(new Set(list.steps.map((s) => s.stepId)).size).toBe(list.steps.length);
      expect(list.steps.every((s) => s.dueOffsetMin > 0 && s.title.length > 10)).toBe(true);
    }
  });

  it('a file that fails the schema stops loading with its name, rather than attach half a checklist', () => {
    const d = dir();
    mkdirSync(d, { recursive: true });
    writeFileSync(
      join(d, 'broken.json'),
      JSON.stringify({
        id: 'x',
        title: 'X',
        incidentType: 'flooding',
        source: '',
        steps: [{ stepId: 'A B', title: 't', dueOffsetMin: -1 }],
      }),
    );
    expect(() => loadChecklists(d)).toThrow(/broken\.json/);
  });
});
