import type { Statement } from 'better-sqlite3';
import { alertIdOf, type AlertSource } from '../../shared/domain/alert';
import type { CapAlert, CapReference } from '../../shared/domain/cap';
import { capOfDraft, type EdgeAsset } from '../../shared/telemetry/edge';
import type { TelemetryAlertDraft } from '../../shared/telemetry/rules/drafts';
import type { Level } from '../../shared/telemetry/rules/hysteresis';
import type { OutgoingMutation } from './replica';
import type { WriteDb } from './db';

/**
 * Alerts raised by this console's rule engine (issue 9, decision 0032), kept in the
 * replica. A hit becomes, in ONE transaction: its row in `alerts` (received_seq 0, so the
 * queue shows it at once, also offline), its row in `edge_alerts` (this console's own
 * table, kept through a snapshot rebuild) and its `alert.raise` outbox row. When the hub's
 * `alert.received` for the same id comes back, the apply overwrites the row by id: the
 * alert is never shown twice. A Cancel hit becomes a CAP Cancel that references the
 * open messages it clears, so the lifecycle code closes them as it does any Cancel.
 */
export class EdgeAlertsReplica {
  private readonly s: {
    asset: Statement;
    open: Statement;
    insert: Statement;
    close: Statement;
    byMutation: Statement;
    setDuplicate: Statement;
    supersede: Statement;
    missingRows: Statement;
  };

  constructor(
    private readonly db: WriteDb,
    private readonly consoleId: string,
    private readonly store: (alertId: string, cap: CapAlert, seq: number, at: string, alerts: Set<string>) => void,
    private readonly enqueue: (type: 'alert.raise', payload: unknown) => OutgoingMutation,
    private readonly now: () => string,
  ) {
    this.s = {
      asset: db.prepare('SELECT name, lat, lon FROM assets WHERE id = ?'),
      open: db.prepare('SELECT alert_id, cap FROM edge_alerts WHERE rule_key = ? AND open = 1'),
      insert: db.prepare(`INSERT OR IGNORE INTO edge_alerts
        (alert_id, rule_key, kind, msg_type, open, cap, source, mutation_id, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      close: db.prepare('UPDATE edge_alerts SET open = 0 WHERE alert_id = ?'),
      byMutation: db.prepare('SELECT alert_id FROM edge_alerts WHERE mutation_id = ?'),
      setDuplicate: db.prepare('UPDATE edge_alerts SET duplicate_of = ? WHERE alert_id = ?'),
      // only a row the hub has not replaced with its own entry
      supersede: db.prepare(`UPDATE alerts SET lifecycle = 'superseded', superseded_by = ?
        WHERE id = ? AND received_seq = 0`),
      missingRows: db.prepare(`SELECT x.alert_id, x.cap, x.created_at FROM edge_alerts x
        WHERE x.duplicate_of IS NULL AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = x.alert_id)
        ORDER BY x.created_at, x.alert_id`),
    };
  }

  /**
   * Record the engine's drafts. `levelNow`: the sensor's level after the reading, so a
   * threshold that fell from alarm straight to normal clears its warning too.
   * Returns the alert ids whose rows changed (for the change notification).
   */
  record(drafts: readonly TelemetryAlertDraft[], levelNow: (d: TelemetryAlertDraft) => Level | undefined): string[] {
    const changed = new Set<string>();
    if (drafts.length === 0) return [];
    this.db.transaction(() => {
      for (const d of drafts) {
        if (d.msgType === 'Alert') this.raise(d, changed);
        else this.cancel(d, clearedKeys(d, levelNow(d)), changed);
      }
    })();
    return [...changed];
  }

  private raise(d: TelemetryAlertDraft, changed: Set<string>): void {
    const key = ruleKey(d, d.level);
    // Already raised and not cleared (a restarted engine raises it again): once is enough.
    if ((this.s.open.all(key) as unknown[]).length > 0) return;
    this.write(d, key, capOfDraft(d, this.consoleId, this.assetOf(d.assetId)), true, changed);
  }

  private cancel(d: TelemetryAlertDraft, keys: readonly string[], changed: Set<string>): void {
    const refs: CapReference[] = [];
    const closing: string[] = [];
    for (const key of keys)
      for (const row of this.s.open.all(key) as { alert_id: string; cap: string }[]) {
        const cap = JSON.parse(row.cap) as CapAlert;
        refs.push({ sender: cap.sender, identifier: cap.identifier, sent: cap.sent });
        closing.push(row.alert_id);
      }
    if (refs.length === 0) return; // nothing of ours is open for it
    for (const id of closing) this.s.close.run(id);
    this.write(d, ruleKey(d, d.level), capOfDraft(d, this.consoleId, this.assetOf(d.assetId), refs), false, changed);
  }

  private write(d: TelemetryAlertDraft, key: string, cap: CapAlert, open: boolean, changed: Set<string>): void {
    const alertId = alertIdOf(cap);
    const source: AlertSource = { kind: 'sensor-rule', name: `Watchfloor console ${this.consoleId} (this console)` };
    const at = this.now();
    const m = this.enqueue('alert.raise', {
      cap,
      edge: { kind: d.kind, assetId: d.assetId, sensor: d.sensor, rule: d.rule },
    });
    this.s.insert.run(
      alertId,
      key,
      d.kind,
      cap.msgType,
      open ? 1 : 0,
      JSON.stringify(cap),
      JSON.stringify(source),
      m.id,
      at,
    );
    this.store(alertId, cap, 0, at, changed);
  }

  /**
   * The hub folded this console's report into `duplicateOf` (its own alert, or another
   * console's): the local row steps aside for it, as a superseded message would.
   */
  markDuplicate(mutationId: string, duplicateOf: string): string[] {
    const row = this.s.byMutation.get(mutationId) as { alert_id: string } | undefined;
    if (!row) return [];
    this.s.setDuplicate.run(duplicateOf, row.alert_id);
    this.s.supersede.run(duplicateOf, row.alert_id);
    return [row.alert_id, duplicateOf];
  }

  /** After a snapshot rebuild replaced `alerts`: put back the rows the hub does not have yet. */
  restoreLocalRows(): string[] {
    const changed = new Set<string>();
    for (const row of this.s.missingRows.all() as { alert_id: string; cap: string; created_at: string }[])
      this.store(row.alert_id, JSON.parse(row.cap) as CapAlert, 0, row.created_at, changed);
    return [...changed];
  }

  private assetOf(assetId: string): EdgeAsset | null {
    const row = this.s.asset.get(assetId) as { name: string; lat: number; lon: number } | undefined;
    return row ? { id: assetId, name: row.name, location: { lat: row.lat, lon: row.lon } } : null;
  }
}

/** What a raised message is about: one rule on one sensor (at one level for thresholds and predictions). */
export function ruleKey(d: Pick<TelemetryAlertDraft, 'assetId' | 'sensor' | 'rule'>, level?: string): string {
  const base = `${d.assetId}/${d.sensor}:${d.rule}`;
  return (d.rule === 'threshold' || d.rule === 'prediction') && level ? `${base}:${level}` : base;
}

/**
 * The open messages a Cancel hit ends. A threshold cleared at `alarm` ends the alarm; once
 * the sensor is back to normal it also ends the warning and any prediction of this episode.
 */
export function clearedKeys(d: TelemetryAlertDraft, levelNow: Level | undefined): string[] {
  if (d.rule !== 'threshold') return [ruleKey(d)];
  const keys = [ruleKey(d, d.level)];
  if (levelNow === 'normal' || levelNow === undefined) {
    keys.push(ruleKey(d, 'warning'), ruleKey(d, 'alarm'));
    keys.push(ruleKey({ ...d, rule: 'prediction' }, 'warning'), ruleKey({ ...d, rule: 'prediction' }, 'alarm'));
  }
  return [...new Set(keys)];
}
