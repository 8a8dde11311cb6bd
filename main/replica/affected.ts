import type { Statement } from 'better-sqlite3';
import type { AffectedAsset } from '../../shared/domain/alert';
import type { Asset } from '../../shared/domain/asset';
import type { CapAlert } from '../../shared/domain/cap';
import type { BBox, LatLon } from '../../shared/domain/geo';
import { boundsOf, coverageOf } from '../../shared/geo/geo';
import type { ReadDb, WriteDb } from './db';

/**
 * Candidate assets for an alert's box, from the R*Tree alone: it carries each asset's point,
 * whether it is a line and its version (auxiliary columns, migration 0008); the join to `assets`
 * was ~3/4 of this query's cost. The exact point-in-polygon / circle test comes after, in JS;
 * only lines bring their document. Plan proved in tests/main/query-plans.test.ts.
 */
export const ASSET_CANDIDATES_SQL = `SELECT rid, lat, lon, linear, updated_seq FROM asset_rtree
  WHERE max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?`;

/** Alerts whose box contains a point (an asset upserted after the alert), and whether they wait in the queue. */
export const ALERTS_AT_SQL = `SELECT a.rowid AS rid, a.id, p.alert_rid IS NOT NULL AS pending,
    json_extract(e.payload, '$.cap') AS cap
  FROM alert_rtree r JOIN alerts a ON a.rowid = r.rid JOIN events e ON e.seq = a.received_seq
    LEFT JOIN affected_pending p ON p.alert_rid = a.rowid
  WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?`;

/** The queue, newest first: the alerts an officer is most likely to look at next. */
export const PENDING_SQL = 'SELECT alert_rid AS rid FROM affected_pending ORDER BY alert_rid DESC LIMIT ?';

/** The alert detail's list (the alert by id, its rows by primary key, each asset by rid). */
export const AFFECTED_LIST_SQL = `SELECT a.id AS assetId, a.name, a.kind, a.district, a.criticality
  FROM alerts al JOIN alert_assets x ON x.alert_rid = al.rowid JOIN assets a ON a.rid = x.asset_rid
  WHERE al.id = ? ORDER BY a.criticality DESC, a.name, a.id`;

/** The alerts an asset is listed in (alert_assets_asset). */
export const ALERTS_OF_ASSET_SQL = 'SELECT alert_rid AS rid FROM alert_assets WHERE asset_rid = ?';

const LINEAR = new Set(['pipeline', 'bridge', 'tunnel']);
/** Assets drawn as a line: affected when any point of the line is inside. */
export const isLinear = (kind: string): boolean => LINEAR.has(kind);

/**
 * Affected assets, stored per alert in `alert_assets` and counted in `alerts.affected_count`
 * (decision 0029). The apply only indexes an alert's box and queues it in `affected_pending`:
 * an alert over a flooded district covers tens of thousands of assets at city scale, far too
 * many rows to write while the officer's actions wait. `drain` computes queued alerts in
 * short transactions when the sync engine is idle; `ensure` computes one at once when its
 * detail is read. An asset upserted later is added to (or removed from) the alerts already
 * computed; the queued ones see it when they are computed. Either way the rows converge to
 * the assets inside each alert's areas.
 */
export class AffectedAssets {
  private readonly s: Record<
    | 'candidates'
    | 'alertsAt'
    | 'alertsOfAsset'
    | 'clear'
    | 'addMany'
    | 'add'
    | 'remove'
    | 'count'
    | 'setCount'
    | 'boxPut'
    | 'list'
    | 'queue'
    | 'unqueue'
    | 'pending'
    | 'pendingOf'
    | 'alertForCompute'
    | 'docByRid'
    | 'anyPending',
    Statement
  >;

  /** the queued alert being computed across drain calls (its candidates read, some tested) */
  private job: AffectedJob | null = null;
  /** parsed lines of linear assets, by rid, valid for the `updated_seq` they were read at */
  private readonly paths = new Map<number, { seq: number; path: LatLon[] }>();

  constructor(db: WriteDb) {
    this.s = {
      // Rows as arrays: [rid, lat, lon, linear, updated_seq] (no object per candidate).
      candidates: db.prepare(ASSET_CANDIDATES_SQL).raw(),
      alertsAt: db.prepare(ALERTS_AT_SQL),
      clear: db.prepare('DELETE FROM alert_assets WHERE alert_rid = ?'),
      // One statement per alert: the rids go in as one JSON array.
      addMany: db.prepare(
        'INSERT OR IGNORE INTO alert_assets (alert_rid, asset_rid) SELECT ?, value FROM json_each(?)',
      ),
      add: db.prepare('INSERT OR IGNORE INTO alert_assets (alert_rid, asset_rid) VALUES (?, ?)'),
      remove: db.prepare('DELETE FROM alert_assets WHERE alert_rid = ? AND asset_rid = ?'),
      alertsOfAsset: db.prepare(ALERTS_OF_ASSET_SQL),
      count: db.prepare('SELECT COUNT(*) AS n FROM alert_assets WHERE alert_rid = ?'),
      setCount: db.prepare('UPDATE alerts SET affected_count = ? WHERE rowid = ?'),
      boxPut: db.prepare(
        'INSERT OR REPLACE INTO alert_rtree (rid, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)',
      ),
      list: db.prepare(AFFECTED_LIST_SQL),
      queue: db.prepare('INSERT OR IGNORE INTO affected_pending (alert_rid) VALUES (?)'),
      unqueue: db.prepare('DELETE FROM affected_pending WHERE alert_rid = ?'),
      pending: db.prepare(PENDING_SQL),
      pendingOf: db.prepare(
        'SELECT p.alert_rid AS rid FROM alerts a JOIN affected_pending p ON p.alert_rid = a.rowid WHERE a.id = ?',
      ),
      alertForCompute: db.prepare(`SELECT a.id, a.bbox, json_extract(e.payload, '$.cap') AS cap
        FROM alerts a JOIN events e ON e.seq = a.received_seq WHERE a.rowid = ?`),
      docByRid: db.prepare('SELECT doc FROM assets WHERE rid = ?'),
      anyPending: db.prepare('SELECT EXISTS (SELECT 1 FROM affected_pending) AS yes'),
    };
  }

  /**
   * In the apply: index the alert's box and queue it (its old rows, if it came again, go; the
   * upsert has set its count to 0).
   */
  onAlert(rowid: number, bbox: BBox | null): void {
    if (this.job?.rid === rowid) this.job = null;
    this.s.clear.run(rowid);
    if (bbox) {
      this.s.boxPut.run(rowid, bbox.minLat, bbox.maxLat, bbox.minLon, bbox.maxLon);
      this.s.queue.run(rowid);
    } else {
      this.s.unqueue.run(rowid);
    }
  }

  /**
   * In the apply: re-test the alerts whose box meets an upserted asset. Returns the alerts whose
   * list changed, or will change when they are computed (queued alerts get no rows here).
   */
  onAsset(asset: Asset, assetRid: number): string[] {
    // An alert part-way through its computation read its candidates before this asset: its
    // rows so far go, and it starts again (it is still queued).
    if (this.job) {
      this.s.clear.run(this.job.rid);
      this.job = null;
    }
    const pts = [asset.location, ...(asset.path ?? [])];
    const { minLat, maxLat, minLon, maxLon } = boundsOf(pts);
    this.paths.delete(assetRid);
    const rows = this.s.alertsAt.all(minLat, maxLat, minLon, maxLon) as {
      rid: number;
      id: string;
      pending: number;
      cap: string;
    }[];
    // The alerts it was inside before, so an asset that moved out of one is removed from it.
    const before = new Set((this.s.alertsOfAsset.all(assetRid) as { rid: number }[]).map((r) => r.rid));
    const changed: string[] = [];
    const recount: number[] = [];
    for (const r of rows) {
      const covers = coverageOf(JSON.parse(r.cap) as CapAlert);
      const inside = LINEAR.has(asset.kind) ? pts.some(covers) : covers(asset.location);
      if (r.pending) {
        if (inside) changed.push(r.id);
        continue;
      }
      if (inside && !before.has(r.rid)) {
        this.s.add.run(r.rid, assetRid);
        changed.push(r.id);
        recount.push(r.rid);
      } else if (!inside && before.has(r.rid)) {
        this.s.remove.run(r.rid, assetRid);
        changed.push(r.id);
        recount.push(r.rid);
      }
      before.delete(r.rid);
    }
    // Alerts it was in whose box it has left altogether.
    for (const rid of before) {
      this.s.remove.run(rid, assetRid);
      recount.push(rid);
      const row = this.s.alertForCompute.get(rid) as { id: string } | undefined;
      if (row) changed.push(row.id);
    }
    for (const rid of recount) this.s.setCount.run((this.s.count.get(rid) as { n: number }).n, rid);
    return changed;
  }

  /**
   * Compute queued alerts, newest first, until `budgetMs` has passed. One alert over a whole
   * city (100 000 assets) is tested in several calls: its candidates are read once and tested
   * in chunks, its rows written as it goes, its count set when it is done. Call inside a
   * transaction. Returns the alerts completed and whether any are still queued.
   */
  drain(budgetMs: number): { changed: string[]; more: boolean } {
    const deadline = performance.now() + budgetMs;
    const changed: string[] = [];
    for (;;) {
      if (!this.job) {
        const next = this.s.pending.get(1) as { rid: number } | undefined;
        if (!next) return { changed, more: false };
        this.job = this.start(next.rid);
        if (!this.job) continue;
      }
      const job = this.job;
      if (!this.advance(job, deadline)) return { changed, more: true };
      this.job = null;
      changed.push(this.finish(job));
      if (performance.now() >= deadline) return { changed, more: this.hasPending() };
    }
  }

  /** Forget the alert part-way through its computation (its rows were replaced; it is still queued). */
  restart(): void {
    this.job = null;
  }

  hasPending(): boolean {
    return (this.s.anyPending.get() as { yes: number }).yes === 1;
  }

  /** Compute the alert now if it is still queued (its detail is being read). Returns whether it was. */
  ensure(alertId: string): boolean {
    const row = this.s.pendingOf.get(alertId) as { rid: number } | undefined;
    if (!row) return false;
    let job: AffectedJob | null;
    if (this.job?.rid === row.rid) {
      job = this.job;
      this.job = null;
    } else {
      job = this.start(row.rid);
    }
    if (job) {
      this.advance(job, Infinity);
      this.finish(job);
    }
    return true;
  }

  /** Reads a queued alert's candidates (its old rows go). Null, and unqueued, if it is gone. */
  private start(rid: number): AffectedJob | null {
    this.s.clear.run(rid);
    const alert = this.s.alertForCompute.get(rid) as
      { id: string; bbox: string | null; cap: string | null } | undefined;
    if (!alert) {
      this.s.unqueue.run(rid);
      return null;
    }
    if (!alert.bbox || !alert.cap) return { rid, id: alert.id, covers: () => false, rows: [], next: 0, count: 0 };
    const bbox = JSON.parse(alert.bbox) as BBox;
    return {
      rid,
      id: alert.id,
      covers: coverageOf(JSON.parse(alert.cap) as CapAlert),
      rows: this.s.candidates.all(bbox.minLat, bbox.maxLat, bbox.minLon, bbox.maxLon) as CandidateRow[],
      next: 0,
      count: 0,
    };
  }

  /** Tests candidates in chunks until done (true) or past the deadline (false); writes the rows found. */
  private advance(job: AffectedJob, deadline: number): boolean {
    const point = { lat: 0, lon: 0 };
    while (job.next < job.rows.length) {
      const end = Math.min(job.rows.length, job.next + CHUNK);
      const inside: number[] = [];
      for (let i = job.next; i < end; i++) {
        const r = job.rows[i]!;
        // A point asset is inside when its location is; a linear one when any point of its line is.
        point.lat = r[1];
        point.lon = r[2];
        if (job.covers(point) || (r[3] === 1 && this.pathOf(r[0], r[4]).some(job.covers))) inside.push(r[0]);
      }
      if (inside.length > 0) this.s.addMany.run(job.rid, JSON.stringify(inside));
      job.count += inside.length;
      job.next = end;
      if (job.next < job.rows.length && performance.now() >= deadline) return false;
    }
    return true;
  }

  /** The alert's count, and out of the queue; returns its id. */
  private finish(job: AffectedJob): string {
    this.s.setCount.run(job.count, job.rid);
    this.s.unqueue.run(job.rid);
    return job.id;
  }

  private pathOf(rid: number, updatedSeq: number): LatLon[] {
    const hit = this.paths.get(rid);
    if (hit && hit.seq === updatedSeq) return hit.path;
    const row = this.s.docByRid.get(rid) as { doc: string } | undefined;
    const path = row ? ((JSON.parse(row.doc) as Asset).path ?? []) : [];
    this.paths.set(rid, { seq: updatedSeq, path });
    return path;
  }

  list(alertId: string): AffectedAsset[] {
    return this.s.list.all(alertId) as AffectedAsset[];
  }
}

/** A candidate as a raw row: rid, lat, lon, linear (0/1), updated_seq. */
type CandidateRow = [number, number, number, number, number];

/** Candidates tested between two looks at the clock. */
const CHUNK = 512;

interface AffectedJob {
  rid: number;
  id: string;
  covers: (p: LatLon) => boolean;
  rows: CandidateRow[];
  /** the first candidate not tested yet */
  next: number;
  /** rows written so far (each candidate appears once) */
  count: number;
}

/** For tests: the plan SQLite chooses for the candidate query. */
export function candidatePlan(db: ReadDb): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${ASSET_CANDIDATES_SQL}`).all(0, 0, 0, 0) as { detail: string }[]).map(
    (r) => r.detail,
  );
}
