import type { Database as Db, Statement } from 'better-sqlite3';
import { alertIdOf } from '../../shared/domain/alert';
import { CapAlert, severityRank, urgencyRank } from '../../shared/domain/cap';
import type { HubEvent } from '../../shared/domain/events';
import { hazardKeyString, hazardOf } from '../../shared/telemetry/edge';

/** Without `expires`, a hazard alert counts as active for this long after it was sent. */
const DEFAULT_ACTIVE_MS = 6 * 3_600_000;

export interface ActiveHazard {
  readonly alertId: string;
  readonly seq: number;
  readonly severityRank: number;
  readonly urgencyRank: number;
}

export interface EdgeReport {
  readonly duplicateOf: string;
  readonly seq: number;
}

/** The read side `alert.raise` is decided against (issue 9, decision 0032). */
export interface EdgeState {
  /**
   * The worst (then oldest) alert on the log still active for this hazard key at `nowMs`, from
   * another sender than `exceptSender` (a console's own messages are distinct rules of one source).
   */
  activeHazard(hazard: string, nowMs: number, exceptSender?: string): ActiveHazard | null;
  /** a console report recorded as corroborating another alert */
  edgeReport(alertId: string): EdgeReport | null;
}

/**
 * Hub schema 8: which alerts on the log are about which hazard (asset + sensor + kind),
 * and the console reports folded into them. Projected from `alert.received` entries.
 */
export class EdgeStore implements EdgeState {
  private readonly s: {
    insertHazard: Statement<[string, string, string, number, number, number, number, number]>;
    endHazard: Statement<[string]>;
    active: Statement<
      [string, number, string],
      { alert_id: string; received_seq: number; severity_rank: number; urgency_rank: number }
    >;
    report: Statement<[string], { duplicate_of: string; duplicate_seq: number }>;
    putReport: Statement<[string, string, number, string, string, string, string]>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      insertHazard: db.prepare(`INSERT OR IGNORE INTO alert_hazards
        (alert_id, hazard, sender, received_seq, until_ms, severity_rank, urgency_rank, ended)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      endHazard: db.prepare('UPDATE alert_hazards SET ended = 1 WHERE alert_id = ?'),
      active: db.prepare(`SELECT alert_id, received_seq, severity_rank, urgency_rank FROM alert_hazards
        WHERE hazard = ? AND ended = 0 AND until_ms > ? AND sender <> ?
        ORDER BY severity_rank DESC, urgency_rank DESC, received_seq LIMIT 1`),
      report: db.prepare('SELECT duplicate_of, duplicate_seq FROM edge_reports WHERE alert_id = ?'),
      putReport: db.prepare(`INSERT OR IGNORE INTO edge_reports
        (alert_id, duplicate_of, duplicate_seq, console_id, officer, mutation_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  activeHazard(hazard: string, nowMs: number, exceptSender = ''): ActiveHazard | null {
    const row = this.s.active.get(hazard, nowMs, exceptSender);
    return row
      ? { alertId: row.alert_id, seq: row.received_seq, severityRank: row.severity_rank, urgencyRank: row.urgency_rank }
      : null;
  }

  edgeReport(alertId: string): EdgeReport | null {
    const row = this.s.report.get(alertId);
    return row ? { duplicateOf: row.duplicate_of, seq: row.duplicate_seq } : null;
  }

  recordReport(r: {
    alertId: string;
    duplicateOf: string;
    seq: number;
    consoleId: string;
    officer: string;
    mutationId: string;
    at: string;
  }): void {
    this.s.putReport.run(r.alertId, r.duplicateOf, r.seq, r.consoleId, r.officer, r.mutationId, r.at);
  }

  /** Call for every alert.received, in seq order. */
  project(event: Extract<HubEvent, { type: 'alert.received' }>): void {
    this.onAlert(event.payload.alertId, event.payload.cap, event.seq);
  }

  private onAlert(alertId: string, cap: CapAlert, seq: number): void {
    // An Update or Cancel ends the messages it names; the Update carries the hazard on.
    if (cap.msgType === 'Update' || cap.msgType === 'Cancel')
      for (const ref of cap.references) this.s.endHazard.run(alertIdOf(ref));
    const hazard = hazardOf(cap);
    if (!hazard) return;
    const info = cap.infos[0];
    const sentMs = Date.parse(cap.sent);
    const expires = info?.expires ? Date.parse(info.expires) : NaN;
    const until = Number.isFinite(expires) ? expires : (Number.isFinite(sentMs) ? sentMs : 0) + DEFAULT_ACTIVE_MS;
    const over = cap.msgType === 'Cancel' || info?.urgency === 'Past' || cap.status !== 'Actual';
    this.s.insertHazard.run(
      alertId,
      hazardKeyString(hazard),
      cap.sender,
      seq,
      until,
      severityRank[info?.severity ?? 'Unknown'],
      urgencyRank[info?.urgency ?? 'Unknown'],
      over ? 1 : 0,
    );
  }

  /**
   * A log written before schema 8: index its alerts once (hub_meta 'edge.hazards'). Only entries
   * that name an asset can be about a hazard (or end one: a sensor message's Update or Cancel
   * names its asset too), so the scan reads those rows alone, in pages, without the full
   * schema parse: a large log costs one pass of its alert rows, not of every entry.
   */
  backfill(): void {
    const page = this.db.prepare(`SELECT seq, payload FROM events
      WHERE type = 'alert.received' AND seq > ? AND payload LIKE '%ASSET%ID%' ORDER BY seq LIMIT 2000`);
    for (let after = 0; ;) {
      const rows = page.all(after) as { seq: number; payload: string }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const payload = JSON.parse(row.payload) as { alertId?: unknown; cap?: unknown };
        const cap = CapAlert.safeParse(payload.cap);
        if (typeof payload.alertId === 'string' && cap.success) this.onAlert(payload.alertId, cap.data, row.seq);
      }
      after = (rows[rows.length - 1] as { seq: number }).seq;
    }
  }
}
