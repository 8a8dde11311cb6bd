import type { Database as Db, Statement } from 'better-sqlite3';
import { GENESIS, sealChain, type Sha256 } from '../../shared/audit/chain';
import { authorLabel, type ActivityLogEntry } from '../../shared/domain/activityLog';
import type { ChecklistStep } from '../../shared/domain/checklist';
import type { HubEvent } from '../../shared/domain/events';
import type { Incident } from '../../shared/domain/incident';
import { applyIncidentChanges } from '../../shared/domain/responseEvents';
import type { Unit } from '../../shared/domain/unit';

/** What incident, unit, log and checklist rules read (issue 4). Part of HubState. */
export interface ResponseState {
  /** the hub's wall time, ISO 8601: what the entries appended by this decision will carry */
  now(): string;
  incident(id: string): Incident | null;
  /** the highest N of INC-000N given so far (0 before the first) */
  lastIncidentNumber(): number;
  /** incidents this alert is linked to, oldest first */
  incidentsOfAlert(alertId: string): Incident[];
  unit(id: string): Unit | null;
  unitsOnIncident(incidentId: string): Unit[];
  logEntry(id: string): ActivityLogEntry | null;
  /** the seq of the newest activity-log entry (0 before the first) */
  lastLogSeq(): number;
  checklistStep(incidentId: string, stepId: string): ChecklistStep | null;
}

/**
 * The hub's response tables (migration 0004), read by the rules and followed from the
 * log by `project`. Lives on the HubStore's connection, inside its transactions.
 */
export class ResponseStore implements Omit<ResponseState, 'now'> {
  private readonly s: Record<string, Statement>;

  constructor(db: Db) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      incident: p('SELECT doc FROM incidents WHERE id = ?'),
      lastNumber: p('SELECT max(number) AS n FROM incidents'),
      putIncident: p(`INSERT INTO incidents (id, number, status, opened_seq, doc) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc`),
      linkAlert: p('INSERT OR IGNORE INTO incident_alerts (alert_id, incident_id) VALUES (?, ?)'),
      incidentsOfAlert: p(`SELECT i.doc FROM incident_alerts l JOIN incidents i ON i.id = l.incident_id
        WHERE l.alert_id = ? ORDER BY i.number`),
      unit: p('SELECT doc FROM units WHERE id = ?'),
      putUnit: p(`INSERT INTO units (id, status, incident_id, doc) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, incident_id = excluded.incident_id, doc = excluded.doc`),
      unitsOn: p('SELECT doc FROM units WHERE incident_id = ? ORDER BY id'),
      logEntry: p('SELECT doc FROM activity_log WHERE id = ?'),
      lastLogSeq: p('SELECT max(seq) AS n FROM activity_log'),
      lastLog: p('SELECT doc FROM activity_log ORDER BY seq DESC LIMIT 1'),
      allLog: p('SELECT doc FROM activity_log ORDER BY seq'),
      unchained: p("SELECT 1 FROM activity_log WHERE json_extract(doc, '$.chainHash') IS NULL LIMIT 1"),
      resealLog: p('UPDATE activity_log SET doc = ? WHERE seq = ?'),
      putLog: p('INSERT INTO activity_log (seq, id, incident_id, event_seq, doc) VALUES (?, ?, ?, ?, ?)'),
      step: p('SELECT doc FROM checklist_steps WHERE incident_id = ? AND step_id = ?'),
      putStep: p(`INSERT INTO checklist_steps (incident_id, step_id, ord, doc) VALUES (?, ?, ?, ?)
        ON CONFLICT (incident_id, step_id) DO UPDATE SET doc = excluded.doc`),
    };
  }

  incident(id: string): Incident | null {
    const row = this.s.incident!.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Incident) : null;
  }

  lastIncidentNumber(): number {
    return (this.s.lastNumber!.get() as { n: number | null }).n ?? 0;
  }

  incidentsOfAlert(alertId: string): Incident[] {
    return (this.s.incidentsOfAlert!.all(alertId) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Incident);
  }

  unit(id: string): Unit | null {
    const row = this.s.unit!.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Unit) : null;
  }

  unitsOnIncident(incidentId: string): Unit[] {
    return (this.s.unitsOn!.all(incidentId) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Unit);
  }

  logEntry(id: string): ActivityLogEntry | null {
    const row = this.s.logEntry!.get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as ActivityLogEntry) : null;
  }

  lastLogSeq(): number {
    return (this.s.lastLogSeq!.get() as { n: number | null }).n ?? 0;
  }

  /** The chain hash a new entry links to (issue 6): the newest entry's, or GENESIS. */
  lastLogChainHash(sha256: Sha256): string {
    const row = this.s.lastLog!.get() as { doc: string } | undefined;
    if (!row) return GENESIS;
    const last = JSON.parse(row.doc) as ActivityLogEntry;
    if (last.chainHash) return last.chainHash;
    this.sealUnchainedLog(sha256);
    return this.lastLogChainHash(sha256);
  }

  /**
   * Entries written before the chain existed (issue 4 stores) carry no hashes: they are
   * sealed once, in seq order, in the table the exports read. Their `log.appended` events
   * keep the unsealed payload consoles already hold. Returns how many were sealed.
   */
  sealUnchainedLog(sha256: Sha256): number {
    if (this.s.unchained!.get() === undefined) return 0;
    let prev = GENESIS;
    let sealed = 0;
    for (const doc of this.s.allLog!.pluck().all() as string[]) {
      const entry = JSON.parse(doc) as ActivityLogEntry;
      // a sealed entry is never resealed: a break in the chain must stay visible to verify
      if (entry.chainHash) {
        prev = entry.chainHash;
        continue;
      }
      const [next] = sealChain(sha256, [entry], { seq: entry.seq, prevHash: prev });
      this.s.resealLog!.run(JSON.stringify(next), entry.seq);
      prev = next!.chainHash;
      sealed += 1;
    }
    return sealed;
  }

  checklistStep(incidentId: string, stepId: string): ChecklistStep | null {
    const row = this.s.step!.get(incidentId, stepId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as ChecklistStep) : null;
  }

  /** Follow one log entry. Returns false for entries that are not about incident response. */
  project(e: HubEvent): boolean {
    switch (e.type) {
      case 'incident.opened': {
        const inc = e.payload.incident;
        this.putIncident(inc, e.seq);
        for (const alertId of inc.alertIds) this.s.linkAlert!.run(alertId, inc.id);
        for (const step of e.payload.checklist)
          this.s.putStep!.run(step.incidentId, step.stepId, step.ord, JSON.stringify(step));
        return true;
      }
      case 'incident.statusChanged': {
        const inc = this.incident(e.payload.incidentId);
        if (inc) this.putIncident({ ...inc, status: e.payload.to, statusSince: e.at }, e.seq);
        return true;
      }
      case 'incident.updated': {
        const inc = this.incident(e.payload.incidentId);
        if (!inc) return true;
        const next: Incident = applyIncidentChanges(inc, e.payload.changes);
        this.putIncident(next, e.seq);
        for (const alertId of next.alertIds) this.s.linkAlert!.run(alertId, inc.id);
        return true;
      }
      case 'unit.upserted':
        this.putUnit(e.payload);
        return true;
      case 'unit.dispatched': {
        for (const u of e.payload.units) {
          const unit = this.unit(u.unitId);
          if (!unit) continue;
          this.putUnit({
            ...unit,
            status: 'dispatched',
            statusSince: e.at,
            incidentId: e.payload.incidentId,
            assignedBy: authorLabel(e.payload.by),
          });
        }
        return true;
      }
      case 'unit.released': {
        const unit = this.unit(e.payload.unitId);
        if (unit)
          this.putUnit({
            ...unit,
            status: 'available',
            statusSince: e.at,
            incidentId: null,
            assignedBy: null,
            ...(e.payload.position ? { position: e.payload.position } : {}),
          });
        return true;
      }
      case 'unit.statusChanged': {
        const unit = this.unit(e.payload.unitId);
        if (!unit) return true;
        const freed = e.payload.to === 'available' || e.payload.to === 'out-of-service';
        this.putUnit({
          ...unit,
          status: e.payload.to,
          statusSince: e.at,
          ...(freed ? { incidentId: null, assignedBy: null } : {}),
          ...(e.payload.position ? { position: e.payload.position } : {}),
        });
        return true;
      }
      case 'log.appended':
      case 'audit.recorded': // an audit event is a log entry of the same chain (issue 6)
        this.s.putLog!.run(e.payload.seq, e.payload.id, e.payload.incidentId, e.seq, JSON.stringify(e.payload));
        return true;
      case 'checklist.stepSet': {
        const step = this.checklistStep(e.payload.incidentId, e.payload.stepId);
        if (!step) return true;
        const next: ChecklistStep = {
          ...step,
          state: e.payload.state,
          remark: e.payload.remark,
          by: authorLabel(e.payload.by),
          at: e.at,
        };
        this.s.putStep!.run(next.incidentId, next.stepId, next.ord, JSON.stringify(next));
        return true;
      }
      default:
        return false;
    }
  }

  private putIncident(inc: Incident, seq: number): void {
    this.s.putIncident!.run(inc.id, Number(inc.number.slice(4)), inc.status, seq, JSON.stringify(inc));
  }

  private putUnit(unit: Unit): void {
    this.s.putUnit!.run(unit.id, unit.status, unit.incidentId, JSON.stringify(unit));
  }
}

// Rows are trusted as their schema's type: every entry passed HubEvent before it was written.
