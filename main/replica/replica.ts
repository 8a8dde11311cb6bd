import type { Statement } from 'better-sqlite3';
import { AlertAck, type AlertDetail, type AlertSummary } from '../../shared/domain/alert';
import { type Asset } from '../../shared/domain/asset';
import type { HubEvent } from '../../shared/domain/events';
import { safeParseHubEvent } from '../../shared/domain/hubEventCheck';
import { Mutation, type MutationPayload, type MutationType } from '../../shared/domain/mutations';
import { CapAlert } from '../../shared/domain/cap';
import { AlertSource } from '../../shared/domain/alert';
import { systemClock, toIso, type Clock } from '../../shared/clock';
import { WatchfloorError, type AppError } from '../../shared/errors';
import { HybridLogicalClock, HlcString } from '../../shared/hlc';
import { newId } from '../../shared/ids';
import { alertColumns } from './alerts';
import { AffectedAssets, isLinear } from './affected';
import { Correlator, sensorAssetOf } from './groups';
import { consoleOfSender, edgeKindOf } from '../../shared/telemetry/edge';
import { AlertLifecycle, type LifecycleState } from './lifecycle';
import { openReplicaDb, type ReadDb, type WriteDb } from './db';
import { alertTarget, overlaysOf, parseTarget, targetOf } from './mutations';
import type { IntegrityAlarm } from '../../shared/export';
import { CHAINED_EVENT_TYPES, ChainWatch } from './chainWatch';
import { emptyTouched, ResponseReplica, type ResponseTouched } from './response';
import { EdgeAlertsReplica } from './edgeAlerts';
import { TelemetryRulesReplica } from './telemetryRules';

export type OutboxState = 'pending' | 'sent' | 'acked' | 'confirmed' | 'rejected';
const OPEN_STATES = `('pending', 'sent', 'acked')`;

export interface OutboxRow {
  ord: number;
  id: string;
  type: MutationType;
  target: string;
  payload: unknown;
  hlc: string;
  state: OutboxState;
  error: AppError | null;
  attempts: number;
  hubSeq: number | null;
  createdAt: string;
  updatedAt: string;
  /** who made it (officerKey), null for rows from before schema 13 (decision 0036) */
  officer: string | null;
}

/** One mutation as it goes on the wire. */
export interface OutgoingMutation {
  id: string;
  type: MutationType;
  payload: unknown;
  hlc: string;
  /** who made it (officerKey): it is sent only in that officer's name (decision 0036) */
  officer: string | null;
}

export interface LogEntry {
  seq: number;
  type: string;
  at: string;
  mutationId: string | null;
  payload: unknown;
}

export interface ApplyResult {
  applied: number;
  duplicates: number;
  /** the batch did not continue the cursor: the seq expected and the one found */
  gap: { expected: number; got: number } | null;
  /** the first entry that failed the HubEvent schema; nothing from it onwards was applied */
  rejected: { index: number; seq: number | null; message: string } | null;
  cursor: number;
  /** ids whose view changed: feed the change notifications */
  changedAlerts: string[];
  changedAssets: string[];
  /** outbox rows confirmed by this batch */
  confirmed: string[];
  /** incidents, units, log entries and checklist steps whose views changed (issue 4) */
  response: ResponseTouched;
}

export interface ReplicaOptions {
  file: string;
  clock?: Clock;
  /** used only when the replica has none yet; persisted on first start */
  consoleId?: string;
  migrationsDir?: string;
  /** a better-sqlite3 build for another ABI (Electron; decision 0005) */
  nativeBinding?: string;
  /** the replica's encryption key (decision 0025); none: plain SQLite */
  key?: Uint8Array;
  /** officerKey of the officer signed in: each action is stamped with its maker (decision 0036) */
  officer?: string | null;
}

interface AlertRow {
  id: string;
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msg_type: string;
  event: string;
  headline: string;
  severity: string;
  urgency: string;
  certainty: string;
  center_lat: number | null;
  center_lon: number | null;
  bbox: string | null;
  received_seq: number;
  received_at: string;
  ack_by: string | null;
  ack_at: string | null;
  ack_disposition: string | null;
  ack_note: string | null;
  lifecycle: string;
  superseded_by: string | null;
  group_id: string | null;
  affected_count: number;
  languages: string;
  edge_kind: string | null;
}

const SUMMARY_COLUMNS = `id, identifier, sender, sent, status, msg_type, event, headline, severity, urgency,
  certainty, center_lat, center_lon, bbox, received_seq, received_at, ack_by, ack_at, ack_disposition, ack_note,
  lifecycle, superseded_by, group_id, affected_count, languages, edge_kind`;

/** The queue order; `alerts_queue` serves it without a sort (tested with EXPLAIN QUERY PLAN). */
export const QUEUE_SQL = `SELECT ${SUMMARY_COLUMNS} FROM alerts
  ORDER BY severity_rank DESC, urgency_rank DESC, sent_ms DESC, id`;

/** The HLC node id must be a short token; derive one from any console id. */
const hlcNode = (consoleId: string): string => consoleId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'console';

/** Best effort to name the seq of an entry that failed its schema. */
const rawSeq = (raw: unknown): number | null =>
  typeof raw === 'object' && raw !== null && typeof (raw as { seq?: unknown }).seq === 'number'
    ? (raw as { seq: number }).seq
    : null;

/**
 * The console's SQLite replica: the hub's log up to `cursor`, the state folded from it,
 * and the outbox. Lives in the replica worker; nothing else opens it for writing.
 */
export class Replica {
  readonly db: WriteDb;
  readonly consoleId: string;
  readonly hlc: HybridLogicalClock;
  private readonly clock: Clock;
  private readonly s: ReturnType<typeof prepare>;
  private readonly lifecycle: AlertLifecycle;
  /** incidents, units, activity log, checklists (schema 5) */
  readonly response: ResponseReplica;
  /** alerts raised by this console's own rule engine (schema 12, issue 9) */
  readonly edge: EdgeAlertsReplica;
  /** supervisors' edits of the telemetry rules (schema 11, decision 0034) */
  readonly telemetryRules: TelemetryRulesReplica;
  /** the hub's hash chain, re-checked on every activity-log and audit entry applied (issue 6) */
  private readonly chain: ChainWatch;
  private readonly affected: AffectedAssets;
  private readonly correlator: Correlator;

  constructor(private readonly options: ReplicaOptions) {
    this.clock = options.clock ?? systemClock;
    this.db = openReplicaDb({
      file: options.file,
      migrationsDir: options.migrationsDir,
      nativeBinding: options.nativeBinding,
      key: options.key,
    });
    this.s = prepare(this.db);
    this.lifecycle = new AlertLifecycle(this.db);
    this.affected = new AffectedAssets(this.db);
    this.correlator = new Correlator(this.db);
    this.response = new ResponseReplica(this.db, (type, payload) => this.enqueue(type, payload));
    this.telemetryRules = new TelemetryRulesReplica(this.db, (type, payload) => this.enqueue(type, payload));
    this.chain = new ChainWatch(this.db);
    const meta = this.s.meta.get() as { cursor: number; console_id: string | null; hlc: string | null };
    this.consoleId = meta.console_id ?? options.consoleId ?? newId();
    if (!meta.console_id) this.db.prepare('UPDATE meta SET console_id = ? WHERE id = 1').run(this.consoleId);
    this.edge = new EdgeAlertsReplica(
      this.db,
      this.consoleId,
      (alertId, cap, seq, at, alerts) => this.storeAlert(alertId, cap, seq, at, alerts),
      (type, payload) => this.enqueue(type, payload as MutationPayload<'alert.raise'>, null),
      () => toIso(this.clock.now()),
    );
    const restored = meta.hlc && HlcString.safeParse(meta.hlc).success ? meta.hlc : undefined;
    this.hlc = new HybridLogicalClock(this.clock, hlcNode(this.consoleId), restored);
    // A row "sent" when the process died may or may not have reached the hub; the hub
    // dedupes by id, so it is simply sent again.
    this.db.prepare(`UPDATE outbox SET state = 'pending' WHERE state = 'sent'`).run();
  }

  close(): void {
    this.db.close();
  }

  /** Another replica file opened like this one (same driver, migrations, clock): snapshot staging (issue 5). */
  openSibling(file: string): Replica {
    return new Replica({ ...this.options, file, consoleId: this.consoleId });
  }

  get readDb(): ReadDb {
    return this.db;
  }

  cursor(): number {
    return (this.s.cursor.get() as { cursor: number }).cursor;
  }

  hubId(): string | null {
    return (this.s.meta.get() as { hub_id: string | null }).hub_id;
  }

  setHubId(hubId: string): void {
    this.db.prepare('UPDATE meta SET hub_id = ? WHERE id = 1').run(hubId);
  }

  /** When this console last lost the hub (ms), kept across restarts; null while online. */
  offlineSince(): number | null {
    return (this.db.prepare('SELECT offline_since FROM meta WHERE id = 1').get() as { offline_since: number | null })
      .offline_since;
  }

  setOfflineSince(ms: number | null): void {
    this.db.prepare('UPDATE meta SET offline_since = ? WHERE id = 1').run(ms);
  }

  // ---------------------------------------------------------------- hub events

  /**
   * Apply a batch of hub log entries. Every entry is parsed with HubEvent before
   * anything touches the database. In one transaction: entries with seq <= cursor are
   * skipped as duplicates, entries with seq == cursor + 1 are applied in order, and the
   * apply stops at the first gap or at the first entry that fails its schema; the
   * cursor and the confirmation of this console's own mutations commit with them.
   */
  applyEvents(
    batch: readonly unknown[],
    options: { budgetMs?: number; minEntries?: number; urgent?: () => boolean } = {},
  ): ApplyResult {
    // With a budget the transaction ends after the first entry that passes it (but not before
    // `minEntries`): the caller goes on from `applied + duplicates` (the entries consumed).
    const deadline = options.budgetMs === undefined ? Infinity : performance.now() + options.budgetMs;
    const minEntries = Math.max(1, options.minEntries ?? 1);
    const result: ApplyResult = {
      applied: 0,
      duplicates: 0,
      gap: null,
      rejected: null,
      cursor: 0,
      changedAlerts: [],
      changedAssets: [],
      confirmed: [],
      response: emptyTouched(),
    };
    const alerts = new Set<string>();
    const assets = new Set<string>();
    this.db.transaction(() => {
      let cursor = this.cursor();
      let hlcMoved = false;
      for (let index = 0; index < batch.length; index++) {
        if (index >= minEntries && performance.now() >= deadline) break;
        // A call is waiting for this thread (decision 0037): commit what is done and let it in.
        if (index > 0 && options.urgent?.()) break;
        const raw = batch[index];
        // HubEvent.safeParse, with a check in front for the hot entry types (decision 0039).
        const r = safeParseHubEvent(raw);
        if (!r.success) {
          result.rejected = { index, seq: rawSeq(raw), message: r.error.issues[0]?.message ?? 'invalid event' };
          break;
        }
        const e = r.data;
        if (e.seq <= cursor) {
          result.duplicates++;
          continue;
        }
        if (e.seq !== cursor + 1) {
          result.gap = { expected: cursor + 1, got: e.seq };
          break;
        }
        this.s.insertEvent.run(
          e.seq,
          e.type,
          e.at,
          e.mutationId,
          JSON.stringify((raw as { payload: unknown }).payload),
        );
        hlcMoved = this.applyOne(e, alerts, assets, result.response) || hlcMoved;
        if (CHAINED_EVENT_TYPES.has(e.type))
          this.chain.check((raw as { payload: Record<string, unknown> }).payload, toIso(this.clock.now()));
        if (e.mutationId) {
          const row = this.s.confirm.get(e.seq, toIso(this.clock.now()), e.mutationId) as
            { target: string } | undefined;
          if (row) {
            result.confirmed.push(e.mutationId);
            const t = parseTarget(row.target);
            if (t.kind === 'alert') alerts.add(t.id);
          }
        }
        cursor = e.seq;
        result.applied++;
      }
      this.s.setCursor.run(cursor);
      if (hlcMoved) this.s.setHlc.run(this.hlc.current());
      result.cursor = cursor;
    })();
    result.changedAlerts = [...alerts];
    result.changedAssets = [...assets];
    return result;
  }

  /** Fold one entry into the state tables. Returns whether the HLC moved. */
  private applyOne(e: HubEvent, alerts: Set<string>, assets: Set<string>, response: ResponseTouched): boolean {
    switch (e.type) {
      case 'asset.upserted': {
        const a = e.payload;
        this.s.upsertAsset.run(
          a.id,
          a.kind,
          a.name,
          a.district,
          a.criticality,
          a.location.lat,
          a.location.lon,
          JSON.stringify(a),
          e.seq,
        );
        const { rid } = this.s.assetRid.get(a.id) as { rid: number };
        const pts = [a.location, ...(a.path ?? [])];
        const lats = pts.map((p) => p.lat);
        const lons = pts.map((p) => p.lon);
        // Its point, whether it is a line and its version ride in the R*Tree (migration 0008).
        this.s.upsertAssetBox.run(
          rid,
          Math.min(...lats),
          Math.max(...lats),
          Math.min(...lons),
          Math.max(...lons),
          a.location.lat,
          a.location.lon,
          isLinear(a.kind) ? 1 : 0,
          e.seq,
        );
        assets.add(a.id);
        for (const id of this.affected.onAsset(a, rid)) alerts.add(id);
        return false;
      }
      case 'alert.received':
        this.storeAlert(e.payload.alertId, e.payload.cap, e.seq, e.at, alerts);
        return false;
      case 'alert.acknowledged': {
        const p = e.payload;
        this.s.ackAlert.run(p.by.name, e.at, p.disposition ?? null, p.note ?? null, p.alertId);
        alerts.add(p.alertId);
        return this.receiveHlc(p.hlc);
      }
      case 'alert.reinstated': {
        const p = e.payload;
        this.s.reinstateAlert.run(p.alertId);
        alerts.add(p.alertId);
        return this.receiveHlc(p.hlc);
      }
      case 'telemetry.rules.changed':
        this.telemetryRules.apply(e);
        return this.receiveHlc(e.payload.hlc);
      default: {
        // Incident response entries (issue 4): ./response folds them.
        this.response.apply(e, response);
        const hlc = (e.payload as { hlc?: unknown }).hlc;
        return typeof hlc === 'string' && this.receiveHlc(hlc);
      }
    }
  }

  /**
   * Write one alert's row and its meaning (references, affected assets, group). From the
   * hub's log (`seq` its entry), or raised here by the rule engine (`seq` 0: not on the log
   * yet; the hub's entry for the same id later replaces the row: merged by id).
   */
  storeAlert(alertId: string, cap: CapAlert, seq: number, at: string, alerts: Set<string>): void {
    const c = alertColumns(cap);
    const sentMs = Number.isFinite(c.sentMs) ? c.sentMs : 0;
    this.s.upsertAlert.run({
      id: alertId,
      identifier: cap.identifier,
      sender: cap.sender,
      sent: cap.sent,
      sent_ms: sentMs,
      status: cap.status,
      msg_type: cap.msgType,
      event: c.event,
      headline: c.headline,
      severity: c.severity,
      severity_rank: c.severityRank,
      urgency: c.urgency,
      urgency_rank: c.urgencyRank,
      certainty: c.certainty,
      center_lat: c.center?.lat ?? null,
      center_lon: c.center?.lon ?? null,
      bbox: c.bbox ? JSON.stringify(c.bbox) : null,
      received_seq: seq,
      received_at: at,
      expires_ms: c.expiresMs,
      languages: JSON.stringify(cap.infos.map((i) => i.language)),
      sensor_asset: sensorAssetOf(cap),
      edge_kind: edgeKindOf(cap),
    });
    const row = this.s.alertRid.get(alertId) as { rid: number } & LifecycleState;
    alerts.add(alertId);
    // Meaning (issue 3): references as a set, affected assets, correlation group.
    for (const id of this.lifecycle.onArrival(alertId, cap, sentMs, row)) alerts.add(id);
    // Only queued here: computed after the apply (decision 0029).
    this.affected.onAlert(row.rid, c.bbox);
    for (const id of this.correlator.onArrival(alertId, cap, c.event, sentMs, c.bbox)) alerts.add(id);
  }

  /**
   * Compute queued affected assets (decision 0029) in one transaction of about `budgetMs`.
   * Returns the alerts whose count and list are now known, and whether more are queued.
   */
  drainAffected(budgetMs: number): { changed: string[]; more: boolean } {
    return this.db.transaction(() => this.affected.drain(budgetMs))();
  }

  /** The first break in the hub's hash chain this replica has received, or null (issue 6). */
  integrity(): IntegrityAlarm | null {
    return this.chain.alarm();
  }

  /** The tables were replaced (snapshot rebuild): an alert part-way through its computation starts again. */
  restartAffected(): void {
    this.affected.restart();
  }

  /** Whether any alert's affected assets are still to be computed. */
  affectedPending(): boolean {
    return this.affected.hasPending();
  }

  private receiveHlc(hlc: string): boolean {
    if (!HlcString.safeParse(hlc).success) return false;
    this.hlc.receive(hlc);
    return true;
  }

  // ---------------------------------------------------------------- local actions

  /**
   * Record a local action: its outbox row is its local effect (replayed by the
   * overlay), written in one transaction with the HLC that stamps it.
   */
  /**
   * `officer`: who made it, the signed-in officer by default. The console's own rule hits pass
   * null: an automatic warning is the console's report, sent on whoever's connection is up, so
   * an officer signing out can never make it undeliverable (decision 0036).
   */
  enqueue<T extends MutationType>(
    type: T,
    payload: MutationPayload<T>,
    officer: string | null = this.options.officer ?? null,
  ): OutgoingMutation {
    const m = Mutation.parse({ type, payload });
    const id = newId();
    const now = toIso(this.clock.now());
    let hlc = '';
    this.db.transaction(() => {
      hlc = this.hlc.tick();
      this.s.insertOutbox.run(id, m.type, targetOf(m), JSON.stringify(m.payload), hlc, now, now, officer);
      this.s.setHlc.run(hlc);
    })();
    return { id, type: m.type, payload: m.payload, hlc, officer };
  }

  acknowledgeAlert(args: MutationPayload<'alert.acknowledge'>): { mutationId: string; created: boolean } {
    const row = this.s.alertAck.get(args.alertId) as { ack_by: string | null } | undefined;
    if (!row) {
      throw new WatchfloorError(
        'NOT_FOUND',
        `Alert ${args.alertId} is not on this console; refresh the queue and try again.`,
      );
    }
    if (row.ack_by) {
      throw new WatchfloorError('CONFLICT', `This alert was already acknowledged by ${row.ack_by}.`);
    }
    // A second click while the first is still on its way is the same action.
    const open = this.s.openForTarget.all(alertTarget(args.alertId)) as { id: string; type: string }[];
    const existing = open.find((o) => o.type === 'alert.acknowledge');
    if (existing) return { mutationId: existing.id, created: false };
    return { mutationId: this.enqueue('alert.acknowledge', args).id, created: true };
  }

  reinstateAlert(args: MutationPayload<'alert.reinstate'>): { mutationId: string; created: boolean } {
    const row = this.s.alertAck.get(args.alertId) as { ack_by: string | null } | undefined;
    if (!row) {
      throw new WatchfloorError(
        'NOT_FOUND',
        `Alert ${args.alertId} is not on this console; refresh the queue and try again.`,
      );
    }
    const open = this.s.openForTarget.all(alertTarget(args.alertId)) as { id: string; type: string }[];
    const existing = open.find((o) => o.type === 'alert.reinstate');
    if (existing) return { mutationId: existing.id, created: false };
    if (!row.ack_by) {
      throw new WatchfloorError('CONFLICT', 'This alert is not acknowledged, so it is already in the queue.');
    }
    return { mutationId: this.enqueue('alert.reinstate', args).id, created: true };
  }

  // ---------------------------------------------------------------- outbox

  /** The oldest action not yet answered by the hub, if any (flushed strictly in order). */
  nextToSend(): OutgoingMutation | null {
    const row = this.s.nextToSend.get() as
      { id: string; type: MutationType; payload: string; hlc: string; officer: string | null } | undefined;
    return row
      ? { id: row.id, type: row.type, payload: JSON.parse(row.payload), hlc: row.hlc, officer: row.officer }
      : null;
  }

  markSent(id: string): void {
    this.s.markSent.run(toIso(this.clock.now()), id);
  }

  /** The hub could not be reached or did not answer: send again after reconnecting. */
  markUnsent(id: string): void {
    this.s.markUnsent.run(toIso(this.clock.now()), id);
  }

  /** The hub accepted; the action is confirmed once its event is applied (maybe already). */
  markAcked(id: string, seq: number): { target: string; state: OutboxState } | null {
    const now = toIso(this.clock.now());
    const state: OutboxState = seq <= this.cursor() ? 'confirmed' : 'acked';
    const row = this.s.markAcked.get(state, seq, now, id) as { target: string; state: OutboxState } | undefined;
    return row ?? null;
  }

  /**
   * The hub took an `alert.raise` as a report of an alert it already has (issue 9): no entry
   * of its own will come, so the row is confirmed now and the local alert steps aside.
   */
  markCorroborated(id: string, seq: number, duplicateOf: string): { target: string; alerts: string[] } | null {
    return this.db.transaction(() => {
      const row = this.s.confirm.get(seq, toIso(this.clock.now()), id) as { target: string } | undefined;
      if (!row) return null;
      return { target: row.target, alerts: this.edge.markDuplicate(id, duplicateOf) };
    })();
  }

  /** The hub refused: kept, with the hub's reason, for the officer to see. */
  markRejected(id: string, error: AppError): { target: string } | null {
    const row = this.s.markRejected.get(error.code, error.message, toIso(this.clock.now()), id) as
      { target: string } | undefined;
    return row ?? null;
  }

  /** Officer keys of actions not yet sent (null: made before rows kept their maker); decision 0036. */
  waitingAuthors(): (string | null)[] {
    return (this.s.waitingAuthors.all() as { officer: string | null }[]).map((r) => r.officer);
  }

  pendingCount(): number {
    return (this.s.openCount.get() as { n: number }).n;
  }

  outbox(): OutboxRow[] {
    const rows = this.s.allOutbox.all() as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      ord: r.ord as number,
      id: r.id as string,
      type: r.type as MutationType,
      target: r.target as string,
      payload: JSON.parse(r.payload as string),
      hlc: r.hlc as string,
      state: r.state as OutboxState,
      error: r.error_code
        ? { code: r.error_code as AppError['code'], message: (r.error_message as string) ?? '' }
        : null,
      attempts: r.attempts as number,
      hubSeq: (r.hub_seq as number | null) ?? null,
      createdAt: r.created_at as string,
      updatedAt: r.updated_at as string,
      officer: (r.officer as string | null) ?? null,
    }));
  }

  // ---------------------------------------------------------------- queries

  assets(ids?: readonly string[]): Asset[] {
    const rows = (ids ? ids.map((id) => this.s.assetById.get(id)).filter(Boolean) : this.s.allAssets.all()) as {
      doc: string;
    }[];
    return rows.map((r) => JSON.parse(r.doc) as Asset);
  }

  /** Alert summaries in queue order, with this console's open actions replayed on top. */
  alertQueue(): AlertSummary[] {
    const open = this.openOverlays();
    return (this.s.queue.all() as AlertRow[]).map((r) => this.withOverlay(toSummary(r, this.consoleId), open));
  }

  alertSummaries(ids: readonly string[]): AlertSummary[] {
    const open = this.openOverlays();
    const out: AlertSummary[] = [];
    for (const id of ids) {
      const r = this.s.alertById.get(id) as AlertRow | undefined;
      if (r) out.push(this.withOverlay(toSummary(r, this.consoleId), open));
    }
    return out;
  }

  alertDetail(alertId: string): AlertDetail | null {
    // A queued alert's affected assets are computed now: the officer is looking at it.
    this.db.transaction(() => this.affected.ensure(alertId))();
    const r = this.s.alertDetail.get(alertId) as (AlertRow & { cap: string; source: string }) | undefined;
    if (!r) return null;
    const open = this.openOverlays();
    const cap = CapAlert.parse(JSON.parse(r.cap));
    const summary = this.withOverlay(toSummary(r, this.consoleId), open);
    return {
      summary,
      cap,
      source: AlertSource.parse(JSON.parse(r.source)),
      history: (this.s.historyOf.all(alertId) as AlertRow[]).map((h) =>
        this.withOverlay(toSummary(h, this.consoleId), open),
      ),
      affectedAssets: this.affected.list(alertId),
      groupMembers: summary.groupId ? this.alertSummaries(this.correlator.members(summary.groupId, alertId)) : [],
    };
  }

  counts(): { events: number; assets: number; alerts: number; unacknowledged: number; pendingActions: number } {
    const n = (stmt: Statement) => (stmt.get() as { n: number }).n;
    return {
      events: n(this.s.countEvents),
      assets: n(this.s.countAssets),
      alerts: n(this.s.countAlerts),
      unacknowledged: n(this.s.countUnacknowledged),
      pendingActions: this.pendingCount(),
    };
  }

  /** The replicated log, for proving it equals the hub's. */
  log(after = 0, limit = 10_000): LogEntry[] {
    const rows = this.s.log.all(after, limit) as {
      seq: number;
      type: string;
      at: string;
      mutation_id: string | null;
      payload: string;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      type: r.type,
      at: r.at,
      mutationId: r.mutation_id,
      payload: JSON.parse(r.payload),
    }));
  }

  /** Asset ids whose bounding box meets this one (R*Tree); exact geometry tests come after. */
  assetIdsInBox(box: { minLat: number; minLon: number; maxLat: number; maxLon: number }): string[] {
    const rows = this.s.assetsInBox.all(box.minLat, box.maxLat, box.minLon, box.maxLon) as { id: string }[];
    return rows.map((r) => r.id);
  }

  private openOverlays(): Map<string, Array<ReturnType<typeof overlaysOf>>> {
    const map = new Map<string, Array<ReturnType<typeof overlaysOf>>>();
    for (const row of this.s.openRows.all() as { type: string; target: string; payload: string }[]) {
      const m = Mutation.safeParse({ type: row.type, payload: JSON.parse(row.payload) });
      if (!m.success) continue;
      const list = map.get(row.target) ?? [];
      list.push(overlaysOf(m.data));
      map.set(row.target, list);
    }
    return map;
  }

  private withOverlay(view: AlertSummary, open: Map<string, Array<ReturnType<typeof overlaysOf>>>): AlertSummary {
    const list = open.get(alertTarget(view.id));
    if (!list) return view;
    return list.reduce((v, o) => (o.alert ? o.alert(v) : v), view);
  }
}

function toSummary(r: AlertRow, consoleId: string): AlertSummary {
  const raisedBy = r.edge_kind ? consoleOfSender(r.sender) : null;
  return {
    id: r.id,
    identifier: r.identifier,
    sender: r.sender,
    sent: r.sent,
    status: r.status as AlertSummary['status'],
    msgType: r.msg_type as AlertSummary['msgType'],
    event: r.event,
    headline: r.headline,
    severity: r.severity as AlertSummary['severity'],
    urgency: r.urgency as AlertSummary['urgency'],
    certainty: r.certainty as AlertSummary['certainty'],
    center: r.center_lat === null || r.center_lon === null ? null : { lat: r.center_lat, lon: r.center_lon },
    bbox: r.bbox ? JSON.parse(r.bbox) : null,
    receivedSeq: r.received_seq,
    receivedAt: r.received_at,
    ack: r.ack_by
      ? AlertAck.parse({
          by: r.ack_by,
          at: r.ack_at ?? '',
          ...(r.ack_disposition ? { disposition: r.ack_disposition } : {}),
          ...(r.ack_note ? { note: r.ack_note } : {}),
        })
      : null,
    pendingAck: false,
    lifecycle: r.lifecycle as AlertSummary['lifecycle'],
    supersededBy: r.superseded_by,
    groupId: r.group_id,
    affectedCount: r.affected_count,
    languages: JSON.parse(r.languages) as string[],
    edge:
      raisedBy !== null
        ? {
            kind: r.edge_kind === 'maintenance' ? 'maintenance' : 'danger',
            consoleId: raisedBy,
            here: raisedBy === consoleId,
            onHub: r.received_seq > 0,
          }
        : null,
  };
}

/** Hot statements, prepared once per connection. */
function prepare(db: WriteDb) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    meta: p('SELECT cursor, hub_id, console_id, hlc FROM meta WHERE id = 1'),
    cursor: p('SELECT cursor FROM meta WHERE id = 1'),
    setCursor: p('UPDATE meta SET cursor = ? WHERE id = 1'),
    setHlc: p('UPDATE meta SET hlc = ? WHERE id = 1'),
    insertEvent: p('INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (?, ?, ?, ?, ?)'),
    upsertAsset: p(`INSERT INTO assets (id, kind, name, district, criticality, lat, lon, doc, updated_seq)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, district = excluded.district,
        criticality = excluded.criticality, lat = excluded.lat, lon = excluded.lon, doc = excluded.doc,
        updated_seq = excluded.updated_seq`),
    assetRid: p('SELECT rid FROM assets WHERE id = ?'),
    upsertAssetBox: p(
      `INSERT OR REPLACE INTO asset_rtree (rid, min_lat, max_lat, min_lon, max_lon, lat, lon, linear, updated_seq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    assetsInBox: p(`SELECT a.id FROM asset_rtree r JOIN assets a ON a.rid = r.rid
      WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?`),
    allAssets: p('SELECT doc FROM assets ORDER BY id'),
    assetById: p('SELECT doc FROM assets WHERE id = ?'),
    upsertAlert: p(`INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event, headline,
        severity, severity_rank, urgency, urgency_rank, certainty, center_lat, center_lon, bbox, received_seq,
        received_at, expires_ms, languages, sensor_asset, edge_kind)
      VALUES (@id, @identifier, @sender, @sent, @sent_ms, @status, @msg_type, @event, @headline, @severity,
        @severity_rank, @urgency, @urgency_rank, @certainty, @center_lat, @center_lon, @bbox, @received_seq,
        @received_at, @expires_ms, @languages, @sensor_asset, @edge_kind)
      ON CONFLICT (id) DO UPDATE SET identifier = excluded.identifier, sender = excluded.sender,
        sent = excluded.sent, sent_ms = excluded.sent_ms, status = excluded.status, msg_type = excluded.msg_type,
        event = excluded.event, headline = excluded.headline, severity = excluded.severity,
        severity_rank = excluded.severity_rank, urgency = excluded.urgency, urgency_rank = excluded.urgency_rank,
        certainty = excluded.certainty, center_lat = excluded.center_lat, center_lon = excluded.center_lon,
        bbox = excluded.bbox, received_seq = excluded.received_seq, received_at = excluded.received_at,
        expires_ms = excluded.expires_ms, languages = excluded.languages, sensor_asset = excluded.sensor_asset,
        edge_kind = excluded.edge_kind, affected_count = 0`),
    // The row's rowid after the upsert: a RETURNING clause cost ~3× the upsert itself (bench/RESULTS.md);
    // with its lifecycle, which the lifecycle then need not write when it stays (decision 0039).
    alertRid: p('SELECT rowid AS rid, lifecycle, superseded_by AS supersededBy FROM alerts WHERE id = ?'),
    reinstateAlert: p(`UPDATE alerts SET ack_by = NULL, ack_at = NULL, ack_disposition = NULL, ack_note = NULL
      WHERE id = ?`),
    // Every message this one superseded or cancelled, directly or down the chain, oldest first.
    historyOf: p(`WITH RECURSIVE h(id) AS (
        SELECT to_id FROM alert_refs WHERE from_id = ?
        UNION SELECT r.to_id FROM alert_refs r JOIN h ON r.from_id = h.id)
      SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE id IN (SELECT id FROM h) ORDER BY sent_ms, id`),
    ackAlert: p(`UPDATE alerts SET ack_by = ?, ack_at = ?, ack_disposition = ?, ack_note = ?
      WHERE id = ? AND ack_by IS NULL`),
    alertAck: p('SELECT ack_by FROM alerts WHERE id = ?'),
    queue: p(QUEUE_SQL),
    alertById: p(`SELECT ${SUMMARY_COLUMNS} FROM alerts WHERE id = ?`),
    // The CAP message comes from the log entry that delivered the alert (migration 0003).
    alertDetail: p(`SELECT ${SUMMARY_COLUMNS.replace(/(\w+)/g, 'a.$1')},
        coalesce(json_extract(e.payload, '$.cap'), x.cap) AS cap,
        coalesce(json_extract(e.payload, '$.source'), x.source) AS source
      FROM alerts a LEFT JOIN events e ON e.seq = a.received_seq LEFT JOIN edge_alerts x ON x.alert_id = a.id
      WHERE a.id = ? AND (e.seq IS NOT NULL OR x.alert_id IS NOT NULL)`),
    countEvents: p('SELECT COUNT(*) AS n FROM events'),
    countAssets: p('SELECT COUNT(*) AS n FROM assets'),
    countAlerts: p('SELECT COUNT(*) AS n FROM alerts'),
    countUnacknowledged: p('SELECT COUNT(*) AS n FROM alerts WHERE ack_by IS NULL'),
    log: p('SELECT seq, type, at, mutation_id, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    insertOutbox: p(`INSERT INTO outbox (id, type, target, payload, hlc, state, created_at, updated_at, officer)
      VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`),
    allOutbox: p('SELECT * FROM outbox ORDER BY ord'),
    openRows: p(`SELECT type, target, payload FROM outbox WHERE state IN ${OPEN_STATES} ORDER BY ord`),
    openForTarget: p(`SELECT id, type FROM outbox WHERE target = ? AND state IN ${OPEN_STATES} ORDER BY ord`),
    openCount: p(`SELECT COUNT(*) AS n FROM outbox WHERE state IN ${OPEN_STATES}`),
    waitingAuthors: p(`SELECT DISTINCT officer FROM outbox WHERE state IN ('pending', 'sent')`),
    nextToSend: p(
      `SELECT id, type, payload, hlc, officer FROM outbox WHERE state IN ('pending', 'sent') ORDER BY ord LIMIT 1`,
    ),
    markSent: p(`UPDATE outbox SET state = 'sent', attempts = attempts + 1, updated_at = ? WHERE id = ?`),
    markUnsent: p(`UPDATE outbox SET state = 'pending', updated_at = ? WHERE id = ? AND state = 'sent'`),
    markAcked: p(`UPDATE outbox SET state = ?, hub_seq = ?, updated_at = ?
      WHERE id = ? AND state IN ('pending', 'sent') RETURNING target, state`),
    markRejected: p(`UPDATE outbox SET state = 'rejected', error_code = ?, error_message = ?, updated_at = ?
      WHERE id = ? AND state IN ('pending', 'sent') RETURNING target`),
    confirm: p(`UPDATE outbox SET state = 'confirmed', hub_seq = ?, updated_at = ?
      WHERE id = ? AND state IN ${OPEN_STATES} RETURNING target`),
  };
}
