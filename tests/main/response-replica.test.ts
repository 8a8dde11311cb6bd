import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import type { HubEvent } from '../../shared/domain/events';
import type { Incident } from '../../shared/domain/incident';
import type { Unit } from '../../shared/domain/unit';
import { loadMigrations, migrate } from '../../main/replica/migrate';
import { Replica } from '../../main/replica/replica';
import { tempDir } from './fixtures';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.reverse().forEach((c) => c());
  cleanups = [];
});
const file = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'replica.sqlite');
};

const AT = '2026-03-14T09:00:00.000Z';
const ada = { name: 'Ada Okafor', role: 'officer' as const, position: 'Duty Officer' };
const unit = (id: string): Unit => ({
  id,
  callSign: `Unit ${id}`,
  type: 'fire-engine',
  homeStation: { name: 'Harbour Fire Station', assetId: null },
  position: { lat: 45, lon: 10 },
  status: 'available',
  statusSince: AT,
  incidentId: null,
  assignedBy: null,
});
const incident = (id: string, n: number): Incident => ({
  id,
  number: `INC-${String(n).padStart(4, '0')}`,
  title: `Incident ${n}`,
  type: 'flooding',
  priority: 2,
  location: null,
  commanderName: 'Ada Okafor',
  status: 'open',
  statusSince: AT,
  alertIds: [],
  operationalPeriods: [{ number: 1, start: AT, end: null }],
  openedAt: AT,
  openedBy: ada,
});
const ev = (seq: number, e: Pick<HubEvent, 'type' | 'payload'>, mutationId: string | null = null): HubEvent =>
  ({ seq, at: AT, mutationId, ...e }) as HubEvent;

function seeded(): Replica {
  const r = new Replica({ file: file(), clock: new ManualClock(Date.parse(AT)), consoleId: 'console-a' });
  cleanups.push(() => r.close());
  const applied = r.applyEvents([
    ev(1, { type: 'unit.upserted', payload: unit('E1') }),
    ev(2, { type: 'unit.upserted', payload: unit('E2') }),
    ev(3, {
      type: 'incident.opened',
      payload: { incident: incident('i1', 1), checklist: [], checklistTitle: null, hlc: 'x' },
    }),
    ev(4, {
      type: 'incident.opened',
      payload: { incident: incident('i2', 2), checklist: [], checklistTitle: null, hlc: 'x' },
    }),
  ]);
  expect(applied).toMatchObject({ applied: 4, rejected: null });
  return r;
}

describe('replica schema 5 and the response overlays', () => {
  it('0005 adds STRICT tables on a schema-4 replica; the board and log queries use their indexes', () => {
    const db = new Database(file());
    cleanups.push(() => db.close());
    migrate(db, loadMigrations(), 4);
    migrate(db, loadMigrations(), 5);
    for (const t of ['incidents', 'units', 'activity_log', 'checklist_steps']) {
      const sql = (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(t) as { sql: string }).sql;
      expect(sql, t).toMatch(/STRICT/);
    }
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT doc FROM activity_log WHERE incident_id = 'x' AND seq < 10 ORDER BY seq DESC LIMIT 5")).toMatch(
      /activity_log_incident/,
    );
    expect(plan("SELECT doc FROM checklist_steps WHERE incident_id = 'x' ORDER BY ord")).toMatch(
      /checklist_steps_order|PRIMARY KEY/,
    );
  });

  it('a dispatch is visible at once as pending; a refusal rolls it back and stays listed with the hub reason', () => {
    const r = seeded();
    const { mutationId } = r.response.dispatchUnits({ incidentId: 'i1', unitIds: ['E1'] });
    expect(r.response.units(['E1'])[0]).toMatchObject({ status: 'dispatched', incidentId: 'i1', pending: true });
    expect(r.response.incident('i1')).toMatchObject({ unitIds: ['E1'], pending: true });
    // Predicted locally with the shared rule: a second dispatch elsewhere is refused here, nothing written.
    expect(() => r.response.dispatchUnits({ incidentId: 'i2', unitIds: ['E1'] })).toThrow(
      /E1 is committed to INC-0001/,
    );
    expect(r.pendingCount()).toBe(1);

    const reason = {
      code: 'CONFLICT' as const,
      message: 'E1 is committed to INC-0002 (dispatched by Ben Ito (Duty Officer)) …',
    };
    r.markRejected(mutationId, reason);
    expect(r.response.units(['E1'])[0]).toMatchObject({ status: 'available', incidentId: null, pending: false });
    expect(r.response.incident('i1')).toMatchObject({ unitIds: [], pending: false });
    expect(r.response.needsAttention()).toEqual([
      expect.objectContaining({ mutationId, type: 'unit.dispatch', error: reason, target: 'incident:i1' }),
    ]);
  });

  it('confirmation never flickers: the hub event and the outbox row change in one apply', () => {
    const r = seeded();
    const { mutationId } = r.response.dispatchUnits({ incidentId: 'i1', unitIds: ['E1', 'E2'] });
    const out = r.nextToSend()!;
    r.markSent(out.id);
    r.markAcked(out.id, 5);
    expect(r.response.units(['E1'])[0]).toMatchObject({ status: 'dispatched', pending: true });
    const res = r.applyEvents([
      ev(
        5,
        {
          type: 'unit.dispatched',
          payload: {
            incidentId: 'i1',
            units: [
              { unitId: 'E1', from: 'available', previousIncidentId: null },
              { unitId: 'E2', from: 'available', previousIncidentId: null },
            ],
            reassign: false,
            by: ada,
            hlc: out.hlc,
          },
        },
        mutationId,
      ),
    ]);
    expect(res.confirmed).toEqual([mutationId]);
    expect([...res.response.units].sort()).toEqual(['E1', 'E2']);
    expect(r.response.units()).toMatchObject([
      { id: 'E1', status: 'dispatched', incidentId: 'i1', assignedBy: 'Ada Okafor (Duty Officer)', pending: false },
      { id: 'E2', status: 'dispatched', incidentId: 'i1', pending: false },
    ]);
  });

  it('an incident and a log entry made offline show at once, and a correction may point at a pending entry', () => {
    const r = seeded();
    const { incidentId } = r.response.openIncident(
      { title: 'Gas smell', incidentType: 'gas-pressure-loss', priority: 1 },
      () => true,
    );
    expect(r.response.incident(incidentId)).toMatchObject({ number: null, pending: true, status: 'open' });
    r.response.dispatchUnits({ incidentId, unitIds: ['E2'] });
    const { entryId } = r.response.appendLog({ incidentId, text: 'Smell reported at 3 Mill Lane' });
    r.response.appendLog({ incidentId, text: 'Correction: 5 Mill Lane', corrects: entryId });
    expect(r.response.log({ incidentId })).toMatchObject([
      { id: entryId, pending: true, seq: null, kind: 'manual' },
      { corrects: entryId, pending: true },
    ]);
    expect(() => r.response.setIncidentStatus({ incidentId, status: 'closed' })).toThrow(/E2/);
    expect(() => r.response.setIncidentStatus({ incidentId, status: 'contained' })).toThrow(/cannot go to contained/);
  });
});
