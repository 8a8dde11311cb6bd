import type { Statement } from 'better-sqlite3';
import { alertIdOf } from '../../shared/domain/alert';
import type { CapAlert } from '../../shared/domain/cap';
import type { BBox } from '../../shared/domain/geo';
import { alertsOverlap } from '../../shared/geo/geo';
import type { WriteDb } from './db';

/** Alerts further apart than this (by `sent`) are never grouped. */
export const GROUP_WINDOW_MS = 30 * 60_000;

/** The asset a sensor alarm is about: a CAP parameter named `…ASSET-ID` (the city's sensors). */
export function sensorAssetOf(cap: CapAlert): string | null {
  for (const info of cap.infos)
    for (const p of info.parameter) if (/(^|[-_])ASSET[-_]ID$/i.test(p.valueName) && p.value) return p.value;
  return null;
}

/** The earliest current alert about the same sensor asset within the window (alerts_sensor_asset). */
export const SENSOR_CANDIDATES_SQL = `SELECT id, group_id FROM alerts
        WHERE sensor_asset = ? AND id <> ? AND lifecycle = 'current' AND sent_ms BETWEEN ? AND ?
        ORDER BY received_seq LIMIT 1`;

/**
 * Current alerts of the same event type within the window (alerts_group_candidates, migration
 * 0006) whose boxes meet; the CAP message is read only for the candidates actually tested.
 * Driving this from the R*Tree instead read every alert ever received over the same area.
 */
export const GROUP_CANDIDATES_SQL = `SELECT a.id, a.group_id, a.received_seq AS seq FROM alerts a
        WHERE lower(a.event) = lower(?) AND a.lifecycle = 'current' AND a.sent_ms BETWEEN ? AND ? AND a.id <> ?
          AND EXISTS (SELECT 1 FROM alert_rtree r WHERE r.rid = a.rowid
            AND r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?)
        ORDER BY a.received_seq LIMIT 50`;

/**
 * The first rows of the arrival-order walks (migration 0014): the current alerts about one sensor
 * asset, or of one event type, oldest arrival first. An alert joins the earliest-received match,
 * so in a burst (every earlier alert inside the window) the first row answers; the walk reads at
 * most FIRST_WALK rows and the (…, sent_ms) queries above take over when that did not decide.
 */
export const FIRST_WALK = 32;
export const SENSOR_FIRST_SQL = `SELECT id, group_id, sent_ms AS sentMs FROM alerts INDEXED BY alerts_sensor_first
        WHERE sensor_asset = ? AND lifecycle = 'current' ORDER BY received_seq LIMIT ${FIRST_WALK}`;
export const EVENT_FIRST_SQL = `SELECT a.id, a.group_id, a.received_seq AS seq, a.sent_ms AS sentMs,
          EXISTS (SELECT 1 FROM alert_rtree r WHERE r.rid = a.rowid
            AND r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?) AS meets
        FROM alerts a INDEXED BY alerts_event_first
        WHERE lower(a.event) = lower(?) AND a.lifecycle = 'current' ORDER BY a.received_seq LIMIT ${FIRST_WALK}`;

/** Group candidates tested at most (GROUP_CANDIDATES_SQL's limit). */
const MAX_CANDIDATES = 50;

/**
 * Correlation groups (a display aid: the queue shows one entry with its members).
 * A new current alert joins the group of the first (earliest received) current alert that
 * - is about the same sensor asset and was sent within the window, or
 * - has the same event type (case-insensitive), was sent within the window, and whose
 *   areas overlap (R*Tree on boxes, then shared/geo `alertsOverlap`).
 * The group's id is the id of its first member, which gets it too. Messages an alert
 * supersedes are its history, not its group; an Update inherits its predecessor's group.
 * Groups depend on arrival order (unlike lifecycle), so two consoles may group a burst
 * differently only if they applied the log in a different order — they never do (seq order).
 */
export class Correlator {
  private readonly s: Record<
    'bySensor' | 'byBox' | 'sensorFirst' | 'eventFirst' | 'capAt' | 'groupOf' | 'setGroup' | 'members',
    Statement
  >;

  constructor(db: WriteDb) {
    this.s = {
      bySensor: db.prepare(SENSOR_CANDIDATES_SQL),
      byBox: db.prepare(GROUP_CANDIDATES_SQL),
      sensorFirst: db.prepare(SENSOR_FIRST_SQL),
      eventFirst: db.prepare(EVENT_FIRST_SQL),
      capAt: db.prepare(`SELECT json_extract(payload, '$.cap') AS cap FROM events WHERE seq = ?`),
      groupOf: db.prepare('SELECT group_id FROM alerts WHERE id = ?'),
      setGroup: db.prepare('UPDATE alerts SET group_id = ? WHERE id = ? AND group_id IS NOT ?'),
      members: db.prepare(`SELECT id FROM alerts WHERE group_id = ? AND id <> ? AND lifecycle = 'current'
        ORDER BY received_seq`),
    };
  }

  /** Call after the alert's row, box and lifecycle are written. Returns the ids whose group changed. */
  onArrival(alertId: string, cap: CapAlert, event: string, sentMs: number, bbox: BBox | null): string[] {
    const changed: string[] = [];
    // `other` as read just now: when it is in the group already, its update would change nothing
    // and is not run (decision 0039).
    const join = (groupId: string, other?: { id: string; group_id: string | null }): void => {
      if (other && other.group_id !== groupId && this.s.setGroup.run(groupId, other.id, groupId).changes > 0)
        changed.push(other.id);
      if (this.s.setGroup.run(groupId, alertId, groupId).changes > 0) changed.push(alertId);
    };
    // An Update keeps the group of a message it supersedes.
    for (const ref of cap.references) {
      const g = (this.s.groupOf.get(alertIdOf(ref)) as { group_id: string | null } | undefined)?.group_id;
      if (g) {
        join(g);
        return changed;
      }
    }
    const lo = sentMs - GROUP_WINDOW_MS;
    const hi = sentMs + GROUP_WINDOW_MS;
    const referenced = new Set(cap.references.map(alertIdOf));
    const sensor = sensorAssetOf(cap);
    if (sensor) {
      const hit = this.firstBySensor(sensor, alertId, lo, hi);
      if (hit && !referenced.has(hit.id)) {
        join(hit.group_id ?? hit.id, hit);
        return changed;
      }
    }
    if (bbox && event) {
      // The first MAX_CANDIDATES matches in arrival order are tested, the first that overlaps wins.
      let tested = 0;
      let walkedTo = -1;
      // Reads only: the walk below is an open statement, and writes wait until it is closed.
      const overlaps = (r: { id: string; seq: number }): boolean => {
        tested++;
        if (referenced.has(r.id)) return false;
        const other = (this.s.capAt.get(r.seq) as { cap: string } | undefined)?.cap;
        return other !== undefined && alertsOverlap(cap, JSON.parse(other) as CapAlert);
      };
      // Read row by row: the walk usually ends at its first row.
      const walk = this.s.eventFirst.iterate(bbox.minLat, bbox.maxLat, bbox.minLon, bbox.maxLon, event) as Iterable<{
        id: string;
        group_id: string | null;
        seq: number;
        sentMs: number;
        meets: number;
      }>;
      let walked = 0;
      let found: { id: string; group_id: string | null } | null = null;
      for (const r of walk) {
        walked++;
        walkedTo = r.seq;
        if (r.id === alertId || r.sentMs < lo || r.sentMs > hi || !r.meets) continue;
        if (overlaps(r)) found = r;
        // Leaving the loop early ends the statement (the iterator's return()).
        if (found || tested >= MAX_CANDIDATES) break;
      }
      if (found) join(found.group_id ?? found.id, found);
      // Decided, or every current alert of this event was walked: nothing more to test.
      if (found || tested >= MAX_CANDIDATES || walked < FIRST_WALK) return changed;
      const rows = this.s.byBox.all(event, lo, hi, alertId, bbox.minLat, bbox.maxLat, bbox.minLon, bbox.maxLon) as {
        id: string;
        group_id: string | null;
        seq: number;
      }[];
      for (const r of rows) {
        if (tested >= MAX_CANDIDATES) break;
        if (r.seq <= walkedTo) continue; // tested (or skipped) by the walk
        if (overlaps(r)) {
          join(r.group_id ?? r.id, r);
          return changed;
        }
      }
    }
    return changed;
  }

  /**
   * The earliest-received current alert about `sensor` sent within [lo, hi], other than `alertId`:
   * the arrival-order walk first, the (sensor_asset, sent_ms) range sorted by arrival if the walk
   * did not reach one. Both give the same row.
   */
  private firstBySensor(
    sensor: string,
    alertId: string,
    lo: number,
    hi: number,
  ): { id: string; group_id: string | null } | undefined {
    let walked = 0;
    for (const r of this.s.sensorFirst.iterate(sensor) as Iterable<{
      id: string;
      group_id: string | null;
      sentMs: number;
    }>) {
      walked++;
      if (r.id !== alertId && r.sentMs >= lo && r.sentMs <= hi) return r;
    }
    if (walked < FIRST_WALK) return undefined;
    return this.s.bySensor.get(sensor, alertId, lo, hi) as { id: string; group_id: string | null } | undefined;
  }

  members(groupId: string, exceptId: string): string[] {
    return (this.s.members.all(groupId, exceptId) as { id: string }[]).map((r) => r.id);
  }
}
