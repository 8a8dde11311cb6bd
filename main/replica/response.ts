import type { Statement } from 'better-sqlite3';
import type { ActivityLogEntry, ActivityLogEntryView } from '../../shared/domain/activityLog';
import type { ChecklistStep, ChecklistStepView } from '../../shared/domain/checklist';
import type { HubEvent } from '../../shared/domain/events';
import type { Incident, IncidentView } from '../../shared/domain/incident';
import { Mutation, type MutationPayload } from '../../shared/domain/mutations';
import type { Actor } from '../../shared/domain/officer';
import { dispatchRefusal, incidentTransitionRefusal, unitTransitionRefusal } from '../../shared/domain/statusMachines';
import type { Unit, UnitView } from '../../shared/domain/unit';
import { applyIncidentChanges } from '../../shared/domain/responseEvents';
import { WatchfloorError, type AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { IncidentDetail, NeedsAttentionItem } from '../../shared/responseApi';
import type { WriteDb } from './db';
import { overlaysOf, touchesOf } from './mutations';
import { stepTarget, unitTarget, type OverlayRow, type ResponseOverlays } from './responseOverlays';

/** Ids whose views changed in one apply or one local action; the worker turns them into a ChangeSet. */
export interface ResponseTouched {
  incidents: Set<string>;
  units: Set<string>;
  logEntries: Set<string>;
  /** `${incidentId}/${stepId}` */
  steps: Set<string>;
}

export const emptyTouched = (): ResponseTouched => ({
  incidents: new Set(),
  units: new Set(),
  logEntries: new Set(),
  steps: new Set(),
});

interface OpenAction {
  row: OverlayRow;
  overlays: ResponseOverlays;
  mutation: Mutation;
}
interface OpenSet {
  list: OpenAction[];
  byTarget: Map<string, OpenAction[]>;
}

interface OpenRow {
  id: string;
  type: string;
  payload: string;
  created_at: string;
}

const fail = (e: AppError): never => {
  throw new WatchfloorError(e.code, e.message);
};

/**
 * The console's incidents, units, activity log and checklists (schema 5): folded from
 * the hub's log by `apply`, read with this console's open actions replayed on top.
 * Lives in the replica worker beside the Replica, on the same connection.
 */
export class ResponseReplica {
  private readonly s: Record<string, Statement>;
  /** who is signed in here, for the overlays of actions not yet confirmed */
  officer: Actor = { name: 'This console', role: 'officer' };
  private cache: { n: number; max: number; officer: Actor; set: OpenSet } | null = null;

  /** The officer the hub's hello named (the overlays of pending actions carry it). */
  setOfficer(officer: Actor | null): void {
    if (officer && (officer.name !== this.officer.name || officer.role !== this.officer.role)) this.officer = officer;
  }

  constructor(
    private readonly db: WriteDb,
    private readonly enqueue: <T extends Mutation['type']>(type: T, payload: MutationPayload<T>) => { id: string },
  ) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      putIncident: p(`INSERT INTO incidents (id, number, status, priority, opened_at, checklist_title, doc, updated_seq)
        VALUES (@id, @number, @status, @priority, @opened_at, @checklist_title, @doc, @seq)
        ON CONFLICT (id) DO UPDATE SET number = excluded.number, status = excluded.status, priority = excluded.priority,
          doc = excluded.doc, updated_seq = excluded.updated_seq,
          checklist_title = coalesce(excluded.checklist_title, incidents.checklist_title)`),
      incident: p('SELECT doc, checklist_title FROM incidents WHERE id = ?'),
      allIncidents: p("SELECT doc FROM incidents ORDER BY status = 'closed', priority, opened_at"),
      putUnit: p(`INSERT INTO units (id, type, status, incident_id, doc, updated_seq) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET type = excluded.type, status = excluded.status,
          incident_id = excluded.incident_id, doc = excluded.doc, updated_seq = excluded.updated_seq`),
      unit: p('SELECT doc FROM units WHERE id = ?'),
      allUnits: p('SELECT doc FROM units ORDER BY id'),
      putLog: p('INSERT OR IGNORE INTO activity_log (seq, id, incident_id, event_seq, doc) VALUES (?, ?, ?, ?, ?)'),
      logEntry: p('SELECT doc FROM activity_log WHERE id = ?'),
      logOf: p('SELECT doc FROM activity_log WHERE incident_id = ? ORDER BY seq'),
      logPage: p('SELECT doc FROM activity_log WHERE seq < ? ORDER BY seq DESC LIMIT ?'),
      logPageOf: p('SELECT doc FROM activity_log WHERE incident_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      logPageNone: p('SELECT doc FROM activity_log WHERE incident_id IS NULL AND seq < ? ORDER BY seq DESC LIMIT ?'),
      // newest first by seq, stopping after `limit` audit entries: a scan of the newest entries, not of all
      auditPage: p(`SELECT doc FROM activity_log WHERE seq < ? AND json_extract(doc, '$.action') LIKE 'audit.%'
        ORDER BY seq DESC LIMIT ?`),
      putStep: p(`INSERT INTO checklist_steps (incident_id, step_id, ord, state, due_at, doc) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (incident_id, step_id) DO UPDATE SET state = excluded.state, doc = excluded.doc`),
      step: p('SELECT doc FROM checklist_steps WHERE incident_id = ? AND step_id = ?'),
      stepsOf: p('SELECT doc FROM checklist_steps WHERE incident_id = ? ORDER BY ord'),
      openSteps: p(`SELECT incident_id, due_at FROM checklist_steps WHERE state = 'open' ORDER BY due_at`),
      openKey: p(`SELECT COUNT(*) AS n, max(ord) AS max FROM outbox
        WHERE state IN ('pending', 'sent', 'acked') AND type NOT LIKE 'alert.%'`),
      openRows: p(`SELECT id, type, payload, created_at FROM outbox
        WHERE state IN ('pending', 'sent', 'acked') AND type NOT LIKE 'alert.%' ORDER BY ord`),
      openRowsAfter: p(`SELECT id, type, payload, created_at FROM outbox
        WHERE ord > ? AND state IN ('pending', 'sent', 'acked') AND type NOT LIKE 'alert.%' ORDER BY ord`),
      rejected: p(`SELECT id, type, target, payload, error_code, error_message, created_at, updated_at FROM outbox
        WHERE state = 'rejected' ORDER BY ord DESC LIMIT ?`),
    };
  }

  // ---------------------------------------------------------------- hub events

  /** Fold one hub entry. Returns false for entries that are not about incident response. */
  apply(e: HubEvent, touched: ResponseTouched): boolean {
    switch (e.type) {
      case 'incident.opened': {
        const inc = e.payload.incident;
        this.putIncident(inc, e.seq, e.payload.checklistTitle);
        for (const st of e.payload.checklist) this.putStep(st);
        touched.incidents.add(inc.id);
        for (const st of e.payload.checklist) touched.steps.add(`${st.incidentId}/${st.stepId}`);
        return true;
      }
      case 'incident.statusChanged': {
        const inc = this.hubIncident(e.payload.incidentId);
        if (inc) this.putIncident({ ...inc, status: e.payload.to, statusSince: e.at }, e.seq, null);
        touched.incidents.add(e.payload.incidentId);
        return true;
      }
      case 'incident.updated': {
        const inc = this.hubIncident(e.payload.incidentId);
        if (inc) {
          this.putIncident(applyIncidentChanges(inc, e.payload.changes), e.seq, null);
        }
        touched.incidents.add(e.payload.incidentId);
        return true;
      }
      case 'unit.upserted':
        this.putUnit(e.payload, e.seq, touched);
        return true;
      case 'unit.dispatched': {
        const by = e.payload.by.position ? `${e.payload.by.name} (${e.payload.by.position})` : e.payload.by.name;
        for (const u of e.payload.units) {
          const unit = this.hubUnit(u.unitId);
          if (unit)
            this.putUnit(
              { ...unit, status: 'dispatched', statusSince: e.at, incidentId: e.payload.incidentId, assignedBy: by },
              e.seq,
              touched,
            );
          if (u.previousIncidentId) touched.incidents.add(u.previousIncidentId);
        }
        touched.incidents.add(e.payload.incidentId);
        return true;
      }
      case 'unit.released': {
        const unit = this.hubUnit(e.payload.unitId);
        if (unit)
          this.putUnit(
            {
              ...unit,
              status: 'available',
              statusSince: e.at,
              incidentId: null,
              assignedBy: null,
              ...(e.payload.position ? { position: e.payload.position } : {}),
            },
            e.seq,
            touched,
          );
        touched.incidents.add(e.payload.incidentId);
        return true;
      }
      case 'unit.statusChanged': {
        const unit = this.hubUnit(e.payload.unitId);
        if (unit) {
          const freed = e.payload.to === 'available' || e.payload.to === 'out-of-service';
          this.putUnit(
            {
              ...unit,
              status: e.payload.to,
              statusSince: e.at,
              ...(freed ? { incidentId: null, assignedBy: null } : {}),
              ...(e.payload.position ? { position: e.payload.position } : {}),
            },
            e.seq,
            touched,
          );
        }
        if (e.payload.incidentId) touched.incidents.add(e.payload.incidentId);
        return true;
      }
      // audit events are activity-log entries too (issue 6): kept so the supervisors' audit view has them
      case 'log.appended':
      case 'audit.recorded': {
        const l = e.payload;
        this.s.putLog!.run(l.seq, l.id, l.incidentId, e.seq, JSON.stringify(l));
        touched.logEntries.add(l.id);
        return true;
      }
      case 'checklist.stepSet': {
        const st = this.hubStep(e.payload.incidentId, e.payload.stepId);
        if (st) {
          const by = e.payload.by.position ? `${e.payload.by.name} (${e.payload.by.position})` : e.payload.by.name;
          this.putStep({ ...st, state: e.payload.state, remark: e.payload.remark, by, at: e.at });
        }
        touched.steps.add(`${e.payload.incidentId}/${e.payload.stepId}`);
        touched.incidents.add(e.payload.incidentId);
        return true;
      }
      default:
        return false;
    }
  }

  private putIncident(inc: Incident, seq: number, checklistTitle: string | null): void {
    this.s.putIncident!.run({
      id: inc.id,
      number: inc.number,
      status: inc.status,
      priority: inc.priority,
      opened_at: inc.openedAt,
      checklist_title: checklistTitle,
      doc: JSON.stringify(inc),
      seq,
    });
  }

  private putUnit(unit: Unit, seq: number, touched: ResponseTouched): void {
    const before = this.hubUnit(unit.id);
    if (before?.incidentId) touched.incidents.add(before.incidentId);
    if (unit.incidentId) touched.incidents.add(unit.incidentId);
    this.s.putUnit!.run(unit.id, unit.type, unit.status, unit.incidentId, JSON.stringify(unit), seq);
    touched.units.add(unit.id);
  }

  private putStep(st: ChecklistStep): void {
    this.s.putStep!.run(st.incidentId, st.stepId, st.ord, st.state, st.dueAt, JSON.stringify(st));
  }

  private hubIncident(id: string): Incident | null {
    const r = this.s.incident!.get(id) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as Incident) : null;
  }

  private hubUnit(id: string): Unit | null {
    const r = this.s.unit!.get(id) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as Unit) : null;
  }

  private hubStep(incidentId: string, stepId: string): ChecklistStep | null {
    const r = this.s.step!.get(incidentId, stepId) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as ChecklistStep) : null;
  }

  // ---------------------------------------------------------------- views

  /**
   * Open response actions, oldest first, with their overlays, indexed by every target they
   * touch. Cached: rows only leave the open set and new rows always get a higher `ord`, so
   * (count, max ord) of the open rows changes exactly when the set does.
   */
  private open(): OpenSet {
    const key = this.s.openKey!.get() as { n: number; max: number | null };
    const max = key.max ?? 0;
    const cache = this.cache;
    if (cache && cache.officer === this.officer) {
      if (cache.n === key.n && cache.max === max) return cache.set;
      // Only new rows (higher ord) since the cache was built: add them, keep the rest.
      const added = this.s.openRowsAfter!.all(cache.max) as OpenRow[];
      if (cache.n + added.length === key.n) {
        for (const r of added) this.addOpen(cache.set, r);
        cache.n = key.n;
        cache.max = max;
        return cache.set;
      }
    }
    const set: OpenSet = { list: [], byTarget: new Map() };
    for (const r of this.s.openRows!.all() as OpenRow[]) this.addOpen(set, r);
    this.cache = { n: key.n, max, officer: this.officer, set };
    return set;
  }

  private addOpen(set: OpenSet, r: OpenRow): void {
    const m = Mutation.safeParse({ type: r.type, payload: JSON.parse(r.payload) });
    if (!m.success) return;
    const action: OpenAction = {
      row: { mutationId: r.id, at: r.created_at, officer: this.officer },
      overlays: overlaysOf(m.data),
      mutation: m.data,
    };
    set.list.push(action);
    for (const target of touchesOf(m.data)) {
      const at = set.byTarget.get(target) ?? [];
      at.push(action);
      set.byTarget.set(target, at);
    }
  }

  units(ids?: readonly string[]): UnitView[] {
    const open = this.open();
    const rows = ids
      ? ids.map((id) => this.s.unit!.get(id) as { doc: string } | undefined).filter((r) => r !== undefined)
      : (this.s.allUnits!.all() as { doc: string }[]);
    return rows.map((r) => this.unitView(JSON.parse(r.doc) as Unit, open));
  }

  private unitView(unit: Unit, open: OpenSet): UnitView {
    let view: UnitView = { ...unit, pending: false };
    for (const o of open.byTarget.get(unitTarget(unit.id)) ?? [])
      if (o.overlays.unit) view = o.overlays.unit(view, o.row);
    return view;
  }

  /** Incidents (all, or these ids) with this console's open actions on top; closed last. */
  incidents(ids?: readonly string[]): IncidentView[] {
    const open = this.open();
    const wanted = ids ? new Set(ids) : null;
    const hub = ids
      ? ids.map((id) => this.s.incident!.get(id) as { doc: string } | undefined).filter((r) => r !== undefined)
      : (this.s.allIncidents!.all() as { doc: string }[]);
    const byId = new Map<string, IncidentView | null>();
    for (const r of hub) {
      const inc = JSON.parse(r.doc) as Incident;
      byId.set(inc.id, { ...inc, unitIds: [], openStepsDue: [], pending: false });
    }
    // Incidents opened here and not confirmed yet have no hub row.
    for (const [target, actions] of open.byTarget) {
      if (!target.startsWith('incident:')) continue;
      const id = target.slice('incident:'.length);
      if (wanted && !wanted.has(id)) continue;
      let view = byId.get(id) ?? null;
      for (const o of actions) if (o.overlays.incident) view = o.overlays.incident(view, o.row);
      if (view && actions.length && view.pending === false)
        view = { ...view, pending: actions.some((o) => o.mutation.type !== 'log.append') };
      byId.set(id, view);
    }
    const views = [...byId.values()].filter((v): v is IncidentView => v !== null);
    for (const view of views) {
      view.openStepsDue = this.openStepsDue(view.id, open);
    }
    const units = this.units();
    for (const u of units) {
      if (!u.incidentId) continue;
      byId.get(u.incidentId)?.unitIds.push(u.id);
    }
    return views;
  }

  /** Due times of steps still open, with this console's pending step changes applied. */
  private openStepsDue(incidentId: string, open: OpenSet): string[] {
    const steps = this.s.stepsOf!.all(incidentId) as { doc: string }[];
    if (steps.length === 0) return [];
    const due: string[] = [];
    for (const r of steps) {
      let st: ChecklistStepView = { ...(JSON.parse(r.doc) as ChecklistStep), pending: false };
      for (const o of open.byTarget.get(stepTarget(st.incidentId, st.stepId)) ?? [])
        if (o.overlays.step) st = o.overlays.step(st, o.row);
      if (st.state === 'open') due.push(st.dueAt);
    }
    return due.sort();
  }

  incident(id: string): IncidentView | null {
    return this.incidents([id])[0] ?? null;
  }

  private incidentFields(id: string): IncidentView | null {
    const row = this.s.incident!.get(id) as { doc: string } | undefined;
    let view: IncidentView | null = row
      ? { ...(JSON.parse(row.doc) as Incident), unitIds: [], openStepsDue: [], pending: false }
      : null;
    for (const o of this.open().byTarget.get(`incident:${id}`) ?? [])
      if (o.overlays.incident) view = o.overlays.incident(view, o.row);
    return view;
  }

  incidentDetail(id: string): IncidentDetail | null {
    const incident = this.incident(id);
    if (!incident) return null;
    const open = this.open();
    const title = (this.s.incident!.get(id) as { checklist_title: string | null } | undefined)?.checklist_title ?? null;
    const checklist = (this.s.stepsOf!.all(id) as { doc: string }[]).map((r) => {
      let v: ChecklistStepView = { ...(JSON.parse(r.doc) as ChecklistStep), pending: false };
      for (const o of open.byTarget.get(stepTarget(v.incidentId, v.stepId)) ?? [])
        if (o.overlays.step) v = o.overlays.step(v, o.row);
      return v;
    });
    return {
      incident,
      log: this.log({ incidentId: id, limit: 5_000 }),
      checklist,
      checklistTitle: title,
      units: this.units(incident.unitIds),
    };
  }

  /**
   * Activity-log entries, oldest first: the hub's (newest `limit` before `beforeSeq`), then
   * this console's unconfirmed manual entries.
   */
  log(
    q: { incidentId?: string | null; beforeSeq?: number; limit?: number; audit?: true } = {},
  ): ActivityLogEntryView[] {
    const before = q.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const limit = q.limit ?? 500;
    // The audit trail: audit events of every incident (a refusal is filed under its incident) and none.
    if (q.audit) {
      const audit = this.s.auditPage!.all(before, limit) as { doc: string }[];
      return audit.reverse().map((r) => ({ ...(JSON.parse(r.doc) as ActivityLogEntry), pending: false }));
    }
    const rows = (
      q.incidentId === undefined
        ? this.s.logPage!.all(before, limit)
        : q.incidentId === null
          ? this.s.logPageNone!.all(before, limit)
          : this.s.logPageOf!.all(q.incidentId, before, limit)
    ) as { doc: string }[];
    const confirmed = rows.reverse().map((r) => ({ ...(JSON.parse(r.doc) as ActivityLogEntry), pending: false }));
    const pending = q.beforeSeq === undefined ? this.pendingLogEntries(q.incidentId) : [];
    return [...confirmed, ...pending];
  }

  pendingLogEntries(incidentId?: string | null): ActivityLogEntryView[] {
    const out: ActivityLogEntryView[] = [];
    for (const o of this.open().list) {
      if (!o.overlays.logEntry) continue;
      const e = o.overlays.logEntry(o.row);
      if (incidentId === undefined || e.incidentId === incidentId) out.push(e);
    }
    return out;
  }

  logEntries(ids: readonly string[]): ActivityLogEntryView[] {
    const out: ActivityLogEntryView[] = [];
    for (const id of ids) {
      const r = this.s.logEntry!.get(id) as { doc: string } | undefined;
      if (r) out.push({ ...(JSON.parse(r.doc) as ActivityLogEntry), pending: false });
    }
    return out;
  }

  steps(keys: readonly string[]): ChecklistStepView[] {
    const open = this.open();
    const out: ChecklistStepView[] = [];
    for (const key of keys) {
      const i = key.indexOf('/');
      const st = this.hubStep(key.slice(0, i), key.slice(i + 1));
      if (!st) continue;
      let v: ChecklistStepView = { ...st, pending: false };
      for (const o of open.byTarget.get(stepTarget(st.incidentId, st.stepId)) ?? [])
        if (o.overlays.step) v = o.overlays.step(v, o.row);
      out.push(v);
    }
    return out;
  }

  /** Steps with an open action here (their views differ from the hub's). */
  pendingStepKeys(): string[] {
    return this.open()
      .list.filter((o) => o.mutation.type === 'checklist.setStep')
      .map((o) => {
        const p = o.mutation.payload as MutationPayload<'checklist.setStep'>;
        return `${p.incidentId}/${p.stepId}`;
      });
  }

  /** Actions the hub refused, newest first: rolled back here, kept with the hub's reason. */
  needsAttention(limit = 500): NeedsAttentionItem[] {
    const rows = this.s.rejected!.all(limit) as Array<{
      id: string;
      type: string;
      target: string;
      payload: string;
      error_code: string | null;
      error_message: string | null;
      created_at: string;
      updated_at: string;
    }>;
    return rows.map((r) => ({
      mutationId: r.id,
      type: r.type,
      payload: JSON.parse(r.payload) as unknown,
      target: r.target,
      error: { code: (r.error_code ?? 'INTERNAL') as AppError['code'], message: r.error_message ?? '' },
      createdAt: r.created_at,
      refusedAt: r.updated_at,
    }));
  }

  // ---------------------------------------------------------------- local actions
  //
  // Each predicts the hub's verdict from what this console knows (hub state up to the
  // cursor plus its own open actions), with the same shared rules and sentences. A
  // refusal here changes nothing; an accepted action is one outbox row (its local effect).

  /**
   * For predictions: the incident's own fields with this console's open actions on top,
   * without its units and steps (`full` adds them, for closing).
   */
  private incidentOrFail(id: string, full = false): IncidentView {
    const view = full ? this.incident(id) : this.incidentFields(id);
    if (!view)
      fail({ code: 'NOT_FOUND', message: `Incident ${id} is not on this console; refresh the incident board.` });
    return view as IncidentView;
  }

  private unitOrFail(id: string): UnitView {
    const view = this.units([id])[0];
    if (!view)
      fail({
        code: 'NOT_FOUND',
        message: `There is no unit ${id} on this console; check the call sign on the unit board.`,
      });
    return view as UnitView;
  }

  private notClosed(view: IncidentView): void {
    if (view.status === 'closed')
      fail({
        code: 'CONFLICT',
        message: `${view.number ?? 'This incident'} is closed; a closed incident cannot change.`,
      });
  }

  openIncident(
    args: Omit<MutationPayload<'incident.open'>, 'incidentId'> & { incidentId?: string | undefined },
    alertExists: (id: string) => boolean,
  ): { mutationId: string; incidentId: string } {
    const incidentId = args.incidentId ?? newId();
    if (this.incident(incidentId)) fail({ code: 'CONFLICT', message: `Incident ${incidentId} already exists.` });
    const missing = (args.alertIds ?? []).filter((id) => !alertExists(id));
    if (missing.length)
      fail({ code: 'NOT_FOUND', message: `Alert ${missing.join(', ')} is not on this console; refresh the queue.` });
    const { incidentId: _drop, ...rest } = args;
    return { mutationId: this.enqueue('incident.open', { ...rest, incidentId }).id, incidentId };
  }

  setIncidentStatus(p: MutationPayload<'incident.setStatus'>): { mutationId: string } {
    const view = this.incidentOrFail(p.incidentId, true);
    const refusal = incidentTransitionRefusal(view, p.status);
    if (refusal) fail(refusal);
    if (p.status === 'closed' && view.unitIds.length)
      fail({
        code: 'CONFLICT',
        message: `${view.number ?? 'This incident'} still has ${view.unitIds.join(', ')} committed; release them before closing it.`,
      });
    return { mutationId: this.enqueue('incident.setStatus', p).id };
  }

  updateIncident(p: MutationPayload<'incident.update'>): { mutationId: string } {
    this.notClosed(this.incidentOrFail(p.incidentId));
    return { mutationId: this.enqueue('incident.update', p).id };
  }

  dispatchUnits(p: MutationPayload<'unit.dispatch'>): { mutationId: string } {
    const incident = this.incidentOrFail(p.incidentId);
    this.notClosed(incident);
    const numberOf = (id: string | null): string | null =>
      id
        ? ((JSON.parse((this.s.incident!.get(id) as { doc: string } | undefined)?.doc ?? 'null') as Incident | null)
            ?.number ?? null)
        : null;
    const refusals: AppError[] = [];
    for (const id of p.unitIds) {
      const unit = this.unitOrFail(id);
      const r = dispatchRefusal({ ...unit, incidentNumber: numberOf(unit.incidentId) }, incident, p.reassign ?? false);
      if (r) refusals.push(r);
    }
    if (refusals.length)
      fail({
        code: 'CONFLICT',
        message: `${refusals.map((r) => r.message).join(' ')}${p.unitIds.length > 1 ? ' None of the units was dispatched.' : ''}`,
      });
    return { mutationId: this.enqueue('unit.dispatch', p).id };
  }

  releaseUnit(p: MutationPayload<'unit.release'>): { mutationId: string } {
    const unit = this.unitOrFail(p.unitId);
    const incident = this.incidentOrFail(p.incidentId);
    if (unit.incidentId !== p.incidentId)
      fail({
        code: 'CONFLICT',
        message: `${unit.id} is not committed to ${incident.number ?? 'this incident'}; nothing to release.`,
      });
    return { mutationId: this.enqueue('unit.release', p).id };
  }

  setUnitStatus(p: MutationPayload<'unit.setStatus'>): { mutationId: string } {
    const refusal = unitTransitionRefusal(this.unitOrFail(p.unitId), p.status);
    if (refusal) fail(refusal);
    return { mutationId: this.enqueue('unit.setStatus', p).id };
  }

  appendLog(args: Omit<MutationPayload<'log.append'>, 'entryId'>): { mutationId: string; entryId: string } {
    if (args.incidentId !== null) this.incidentOrFail(args.incidentId);
    if (args.corrects !== undefined) {
      const known =
        this.s.logEntry!.get(args.corrects) !== undefined ||
        this.pendingLogEntries().some((e) => e.id === args.corrects);
      if (!known)
        fail({ code: 'NOT_FOUND', message: `There is no log entry ${args.corrects} to correct on this console.` });
    }
    const entryId = newId();
    return { mutationId: this.enqueue('log.append', { ...args, entryId }).id, entryId };
  }

  setChecklistStep(p: MutationPayload<'checklist.setStep'>): { mutationId: string } {
    const incident = this.incidentOrFail(p.incidentId);
    this.notClosed(incident);
    if (!this.hubStep(p.incidentId, p.stepId))
      fail({
        code: 'NOT_FOUND',
        message: `${incident.number ?? 'This incident'}'s checklist has no step ${p.stepId}.`,
      });
    return { mutationId: this.enqueue('checklist.setStep', p).id };
  }

  counts(): { incidents: number; units: number; logEntries: number } {
    const n = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      incidents: n('SELECT COUNT(*) AS n FROM incidents'),
      units: n('SELECT COUNT(*) AS n FROM units'),
      logEntries: n('SELECT COUNT(*) AS n FROM activity_log'),
    };
  }
}
