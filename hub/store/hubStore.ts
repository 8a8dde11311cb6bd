import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { chainFields } from '../../shared/audit/chain';
import type { Clock } from '../../shared/clock';
import { ActivityLogEntry } from '../../shared/domain/activityLog';
import { AuditEntry, type HubEvent } from '../../shared/domain/events';
import { safeParseHubEvent } from '../../shared/domain/hubEventCheck';
import { Actor } from '../../shared/domain/officer';
import { newId } from '../../shared/ids';
import type { MutateAck, MutateRequest } from '../../shared/protocol';
import { alertIdOf } from '../../shared/domain/alert';
import { sha256 } from '../audit/sha256';
import type { EventDraft } from '../events';
import { migrate } from './migrate';
import { ResponseStore, type ResponseState } from './responseState';
import { eventFromRow, type EventRow } from './eventRow';
import { EdgeStore, type EdgeState } from './edgeState';
import { TelemetryRulesStore, type TelemetryRulesState } from './telemetryRulesState';

/** What the hub knows about one alert when deciding a mutation on it. */
export interface AlertState {
  readonly id: string;
  readonly receivedSeq: number;
  readonly ack: { readonly by: Actor; readonly at: string; readonly seq: number } | null;
}

/** The read side the mutation rules decide against. */
export interface HubState extends ResponseState, TelemetryRulesState, EdgeState {
  alert(id: string): AlertState | null;
}

export interface RememberedMutation {
  readonly type: string;
  readonly request: string;
  readonly answer: MutateAck;
}

export interface AppendOptions {
  readonly mutationId?: string | null;
  /** hub_meta values written in the same transaction (e.g. the simulator's state) */
  readonly meta?: Readonly<Record<string, string>>;
}

/**
 * A draft already checked against the log's schema by `HubStore.validate`, frozen so it cannot
 * change after the check, with its payload serialised once. `append` takes it without a second
 * parse; a look-alike object made anywhere else is parsed as any draft is.
 */
export interface ValidatedDraft {
  readonly type: EventDraft['type'];
  readonly payload: unknown;
  readonly json: string;
}
const validatedDrafts = new WeakSet<object>();

/** Chained entries get their chain fields at append time (`sealed`), so they cannot be checked ahead. */
const SEALED_AT_APPEND: ReadonlySet<string> = new Set(['log.appended', 'audit.recorded']);

/**
 * `HubEvent.parse`: the same acceptance, the same result and the same ZodError, with the
 * hand-written check in front for alerts and assets (decision 0039; ~5 µs against zod's 70–150 µs
 * per alert in a young process, which the simulator's stream and the bench's hub always are).
 */
function parseEntry(raw: unknown): HubEvent {
  const r = safeParseHubEvent(raw);
  if (!r.success) throw r.error;
  return r.data;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The hub's SQLite store: the log, the mutation answers and the state tables
 * that mutations are decided against. Appending entries, changing state and
 * recording a mutation's answer happen in ONE transaction.
 */
export class HubStore implements HubState {
  readonly hubId: string;
  private readonly stmt: {
    head: Statement<[], { seq: number | null }>;
    insertEvent: Statement<[number, string, string, string | null, string]>;
    read: Statement<[number, number], EventRow>;
    getMeta: Statement<[string], { value: string }>;
    setMeta: Statement<[string, string]>;
    getAlert: Statement<[string], AlertRow>;
    insertAlert: Statement<[string, number]>;
    ackAlert: Statement<[number, string, string, string]>;
    reinstateAlert: Statement<[string]>;
    getMutation: Statement<[string], { type: string; request: string; answer: string }>;
    putMutation: Statement<[string, string, string, string, string]>;
  };

  private readonly compaction: {
    keep: Statement<[number]>;
    pruneAssets: Statement<[number]>;
    drop: Statement<[number]>;
  };

  private constructor(
    readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.stmt = {
      head: db.prepare('SELECT max(seq) AS seq FROM events'),
      insertEvent: db.prepare('INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (?, ?, ?, ?, ?)'),
      read: db.prepare('SELECT seq, type, at, mutation_id, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      getMeta: db.prepare('SELECT value FROM hub_meta WHERE key = ?'),
      setMeta: db.prepare(
        'INSERT INTO hub_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      getAlert: db.prepare('SELECT id, received_seq, ack_seq, ack_by, ack_at FROM alerts WHERE id = ?'),
      insertAlert: db.prepare('INSERT INTO alerts (id, received_seq) VALUES (?, ?) ON CONFLICT (id) DO NOTHING'),
      ackAlert: db.prepare('UPDATE alerts SET ack_seq = ?, ack_by = ?, ack_at = ? WHERE id = ? AND ack_seq IS NULL'),
      reinstateAlert: db.prepare('UPDATE alerts SET ack_seq = NULL, ack_by = NULL, ack_at = NULL WHERE id = ?'),
      getMutation: db.prepare('SELECT type, request, answer FROM mutations WHERE id = ?'),
      putMutation: db.prepare('INSERT INTO mutations (id, type, request, answer, decided_at) VALUES (?, ?, ?, ?, ?)'),
    };
    let hubId = this.meta('hub_id');
    if (!hubId) {
      hubId = newId();
      this.stmt.setMeta.run('hub_id', hubId);
    }
    this.hubId = hubId;
    this.compaction = {
      keep: db.prepare(`INSERT OR IGNORE INTO snapshot_base (seq, type, at, mutation_id, payload, asset_id)
      SELECT seq, type, at, mutation_id, payload,
             CASE WHEN type = 'asset.upserted' THEN json_extract(payload, '$.id') END
        FROM events WHERE seq < ?`),
      // only the assets upserted in the part being compacted can have a replaced base entry
      pruneAssets: db.prepare(`DELETE FROM snapshot_base
      WHERE asset_id IN (SELECT json_extract(payload, '$.id') FROM events WHERE type = 'asset.upserted' AND seq < ?)
        AND seq < (SELECT max(b.seq) FROM snapshot_base b WHERE b.asset_id = snapshot_base.asset_id)`),
      drop: db.prepare('DELETE FROM events WHERE seq < ?'),
    };
    this.response = new ResponseStore(db);
    this.telemetryRules = new TelemetryRulesStore(db);
    this.transaction(() => this.response.sealUnchainedLog(sha256));
    this.edge = new EdgeStore(db);
    // Schema 8 (issue 9): index the hazards of alerts appended before it, once.
    if (this.meta('edge.hazards') === null)
      this.transaction(() => {
        this.edge.backfill();
        this.stmt.setMeta.run('edge.hazards', '1');
      });
  }

  // ── console-raised alerts and their dedupe (issue 9; hub/store/edgeState.ts) ──
  readonly edge: EdgeStore;
  activeHazard(hazard: string, nowMs: number, exceptSender?: string) {
    return this.edge.activeHazard(hazard, nowMs, exceptSender);
  }
  edgeReport(alertId: string) {
    return this.edge.edgeReport(alertId);
  }
  /** Record an `alert.raise` that corroborates `duplicateOf` instead of becoming an alert. */
  recordEdgeReport(request: MutateRequest, actor: Actor, duplicateOf: string, seq: number): void {
    const cap = (request.payload as { cap?: { sender: string; identifier: string } }).cap;
    if (!cap) return;
    this.edge.recordReport({
      alertId: alertIdOf(cap),
      duplicateOf,
      seq,
      consoleId: actor.consoleId ?? '',
      officer: actor.name,
      mutationId: request.id,
      at: this.now(),
    });
  }

  // ── telemetry rule sets supervisors edited (issue 9; hub/store/telemetryRulesState.ts) ──
  private readonly telemetryRules: TelemetryRulesStore;
  editedRuleSet(assetKind: string, namePrefix: string) {
    return this.telemetryRules.editedRuleSet(assetKind, namePrefix);
  }

  // ── incident response state (issue 4; hub/store/responseState.ts) ──
  private readonly response: ResponseStore;
  now(): string {
    return new Date(this.clock.now()).toISOString();
  }
  incident(id: string) {
    return this.response.incident(id);
  }
  lastIncidentNumber(): number {
    return this.response.lastIncidentNumber();
  }
  incidentsOfAlert(alertId: string) {
    return this.response.incidentsOfAlert(alertId);
  }
  unit(id: string) {
    return this.response.unit(id);
  }
  unitsOnIncident(incidentId: string) {
    return this.response.unitsOnIncident(incidentId);
  }
  logEntry(id: string) {
    return this.response.logEntry(id);
  }
  lastLogSeq(): number {
    return this.response.lastLogSeq();
  }
  checklistStep(incidentId: string, stepId: string) {
    return this.response.checklistStep(incidentId, stepId);
  }

  /** Opens (creating if needed) and migrates the store at `file`. */
  static open(file: string, clock: Clock): HubStore {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL under WAL survives a process crash; an OS crash may lose the last commits, never corrupt.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, { now: () => new Date(clock.now()).toISOString() });
    return new HubStore(db, clock);
  }

  /** The newest seq; after a compaction that emptied the log, the last one compacted. */
  head(): number {
    return this.stmt.head.get()?.seq ?? this.tail() - 1;
  }

  tail(): number {
    return Number(this.meta('tail') ?? '1');
  }

  meta(key: string): string | null {
    return this.stmt.getMeta.get(key)?.value ?? null;
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Appends entries with consecutive seqs after the head and applies them to the
   * state tables. Every entry is checked against the shared schema first: nothing
   * the consoles would refuse ever reaches the log.
   */
  append(drafts: readonly (EventDraft | ValidatedDraft)[], options: AppendOptions = {}): HubEvent[] {
    return this.transaction(() => {
      const at = new Date(this.clock.now()).toISOString();
      const mutationId = options.mutationId ?? null;
      let seq = this.head();
      const appended: HubEvent[] = [];
      for (const draft of drafts) {
        seq += 1;
        let event: HubEvent;
        let json: string;
        if (validatedDrafts.has(draft)) {
          // Checked by validate() with the same schema; seq, at and mutationId are this store's own.
          const v = draft as ValidatedDraft;
          event = { seq, at, mutationId, type: v.type, payload: v.payload } as HubEvent;
          json = v.json;
        } else {
          event = parseEntry({ seq, at, mutationId, ...this.sealed(draft as EventDraft) });
          json = JSON.stringify(event.payload);
        }
        this.stmt.insertEvent.run(seq, event.type, at, event.mutationId, json);
        this.project(event);
        appended.push(event);
      }
      for (const [key, value] of Object.entries(options.meta ?? {})) this.stmt.setMeta.run(key, value);
      return appended;
    });
  }

  /**
   * Checks drafts against the log's schema now (the very parse `append` does), so that appending
   * them later costs no second parse: the simulator's stream made ahead of a benchmark's clock,
   * appended through the real append and publish path. Throws on the first draft the log would
   * refuse, as `append` does. Activity-log and audit entries are sealed into their chain at
   * append time and cannot be checked ahead.
   */
  validate(drafts: readonly EventDraft[]): ValidatedDraft[] {
    const at = new Date(this.clock.now()).toISOString();
    return drafts.map((draft) => {
      if (SEALED_AT_APPEND.has(draft.type))
        throw new Error(`A ${draft.type} entry is sealed into its chain when appended; it cannot be validated ahead.`);
      const event = parseEntry({ seq: 1, at, mutationId: null, ...draft });
      const validated: ValidatedDraft = Object.freeze({
        type: event.type,
        payload: deepFreeze(event.payload),
        json: JSON.stringify(event.payload),
      });
      validatedDrafts.add(validated);
      return validated;
    });
  }

  /**
   * Activity-log entries get their chain fields here, inside append's transaction, linked
   * to the entry projected just before (issue 6). Audit events (`audit.recorded`: sign-in,
   * export, refusals) are sealed at this same seam into the same chain.
   */
  private sealed(draft: EventDraft): EventDraft {
    if (draft.type === 'audit.recorded') {
      // Audit events (sign-in/out, handover, export, refusals) are log entries of the same chain.
      const entry = AuditEntry.parse(draft.payload);
      const prevHash = this.response.lastLogChainHash(sha256);
      return { ...draft, payload: { ...entry, ...chainFields(sha256, prevHash, entry) } };
    }
    if (draft.type !== 'log.appended') return draft;
    // hashed as the log will hold it (the schema trims text), so the stored entry verifies
    const entry = ActivityLogEntry.parse(draft.payload);
    const prevHash = this.response.lastLogChainHash(sha256);
    return { ...draft, payload: { ...entry, ...chainFields(sha256, prevHash, entry) } };
  }

  /**
   * Retention (issue 5): drops log entries with seq < beforeSeq and moves the tail there,
   * in one transaction. What those entries still contribute to the state a console
   * rebuilds is kept in `snapshot_base` first (every entry but an asset upsert replaced
   * by a later upsert of the same asset; decision 0016). The hub's own state tables are
   * not touched. Never goes past head + 1; asking for a tail at or below the current one
   * changes nothing. Returns the tail and how many entries left the log.
   */
  compactLog(beforeSeq: number): { tail: number; removed: number } {
    return this.transaction(() => {
      const tail = this.tail();
      const target = Math.min(Math.floor(beforeSeq), this.head() + 1);
      if (!(target > tail)) return { tail, removed: 0 };
      this.compaction.keep.run(target);
      this.compaction.pruneAssets.run(target);
      const removed = this.compaction.drop.run(target).changes;
      this.stmt.setMeta.run('tail', String(target));
      return { tail: target, removed };
    });
  }

  /** Entries with seq > after, oldest first, at most `limit`. */
  read(after: number, limit: number): HubEvent[] {
    return this.stmt.read.all(after, limit).map(eventFromRow);
  }

  alert(id: string): AlertState | null {
    const row = this.stmt.getAlert.get(id);
    if (!row) return null;
    return {
      id: row.id,
      receivedSeq: row.received_seq,
      ack:
        row.ack_seq !== null && row.ack_by !== null && row.ack_at !== null
          ? { by: Actor.parse(JSON.parse(row.ack_by)), at: row.ack_at, seq: row.ack_seq }
          : null,
    };
  }

  recallMutation(id: string): RememberedMutation | null {
    const row = this.stmt.getMutation.get(id);
    return row ? { type: row.type, request: row.request, answer: JSON.parse(row.answer) as MutateAck } : null;
  }

  rememberMutation(id: string, type: string, request: string, answer: MutateAck): void {
    this.stmt.putMutation.run(id, type, request, JSON.stringify(answer), new Date(this.clock.now()).toISOString());
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The state tables follow the log; one place says how each entry changes them. */
  private project(event: HubEvent): void {
    switch (event.type) {
      case 'alert.received':
        this.stmt.insertAlert.run(event.payload.alertId, event.seq);
        this.edge.project(event);
        return;
      case 'alert.acknowledged':
        this.stmt.ackAlert.run(event.seq, JSON.stringify(event.payload.by), event.at, event.payload.alertId);
        return;
      case 'alert.reinstated':
        this.stmt.reinstateAlert.run(event.payload.alertId);
        return;
      case 'asset.upserted':
        return;
      case 'telemetry.rules.changed':
        this.telemetryRules.project(event);
        return;
      default:
        this.response.project(event);
    }
  }
}

interface AlertRow {
  id: string;
  received_seq: number;
  ack_seq: number | null;
  ack_by: string | null;
  ack_at: string | null;
}
