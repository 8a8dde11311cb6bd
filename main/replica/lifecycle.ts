import type { Statement } from 'better-sqlite3';
import { lifecycleFrom, supersedes, type LifecycleState, type Referrer } from '../../shared/alerts/lifecycle';

export type { LifecycleState };
import { alertIdOf } from '../../shared/domain/alert';
import type { CapAlert } from '../../shared/domain/cap';
import type { WriteDb } from './db';

/**
 * Applies CAP Update/Cancel as a set (shared/alerts/lifecycle.ts) to the replica: each
 * arrival records the messages it names in `alert_refs` (even those not received yet)
 * and recomputes the state of every message it touches, itself included.
 */
export class AlertLifecycle {
  private readonly s: {
    addRef: Statement;
    referrers: Statement;
    setState: Statement;
  };

  constructor(db: WriteDb) {
    this.s = {
      addRef: db.prepare(`INSERT OR REPLACE INTO alert_refs (to_id, from_id, msg_type, from_sent_ms)
        VALUES (?, ?, ?, ?)`),
      referrers: db.prepare(`SELECT from_id AS id, msg_type AS msgType, from_sent_ms AS sentMs
        FROM alert_refs WHERE to_id = ?`),
      setState: db.prepare(`UPDATE alerts SET lifecycle = ?, superseded_by = ?
        WHERE id = ? AND (lifecycle IS NOT ? OR superseded_by IS NOT ?)`),
    };
  }

  /**
   * Call after the alert's row is written, with the state that row has now (read with its rowid).
   * Returns the ids whose lifecycle changed.
   */
  onArrival(alertId: string, cap: CapAlert, sentMs: number, stored: LifecycleState): string[] {
    const changed: string[] = [];
    if (supersedes(cap.msgType)) {
      for (const ref of cap.references) {
        const refId = alertIdOf(ref);
        if (refId === alertId) continue;
        this.s.addRef.run(refId, alertId, cap.msgType, sentMs);
        if (this.recompute(refId)) changed.push(refId);
      }
    }
    // An Update or Cancel that arrived first may already name this message. Its own row was read
    // after the upsert and the references above write only other rows: when the state stays, the
    // update (which would change nothing) is not run (decision 0039).
    if (this.recompute(alertId, stored)) changed.push(alertId);
    return changed;
  }

  private recompute(id: string, stored?: LifecycleState): boolean {
    const state = lifecycleFrom(this.s.referrers.all(id) as Referrer[]);
    if (stored && stored.lifecycle === state.lifecycle && stored.supersededBy === state.supersededBy) return false;
    return (
      this.s.setState.run(state.lifecycle, state.supersededBy, id, state.lifecycle, state.supersededBy).changes > 0
    );
  }
}
