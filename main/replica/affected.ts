import type { Statement } from 'better-sqlite3';
import type { AffectedAsset } from '../../shared/domain/alert';
import type { Asset } from '../../shared/domain/asset';
import type { CapAlert } from '../../shared/domain/cap';
import type { BBox, LatLon } from '../../shared/domain/geo';
import { coverageOf } from '../../shared/geo/geo';
import type { ReadDb, WriteDb } from './db';

/**
 * Candidate assets for an alert's box: the R*Tree answers the box query (proved with
 * EXPLAIN QUERY PLAN in tests/main/alert-meaning.test.ts); the exact point-in-polygon /
 * circle test comes after, in JS. Only linear assets bring their document (their line):
 * copying every candidate's JSON made the query ~3x slower (bench/RESULTS.md).
 */
export const ASSET_CANDIDATES_SQL = `SELECT a.id, a.kind, a.lat, a.lon, a.updated_seq
  FROM asset_rtree r JOIN assets a ON a.rid = r.rid
  WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?`;

/** Alerts whose box contains a point (an asset upserted after the alert). */
export const ALERTS_AT_SQL = `SELECT a.id, json_extract(e.payload, '$.cap') AS cap
  FROM alert_rtree r JOIN alerts a ON a.rowid = r.rid JOIN events e ON e.seq = a.received_seq
  WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?`;

const LINEAR = new Set(['pipeline', 'bridge', 'tunnel']);

/**
 * Affected assets, stored per alert in `alert_assets` and counted in `alerts.affected_count`.
 * Computed when an alert arrives, and again for the alerts an asset falls into when the
 * asset is upserted later (the demo city announces assets first; real feeds need not).
 */
export class AffectedAssets {
  private readonly s: Record<
    'candidates' | 'alertsAt' | 'alertsOfAsset' | 'clear' | 'add' | 'remove' | 'count' | 'setCount' | 'boxPut' | 'list',
    Statement
  >;

  /** parsed lines of linear assets, by id, valid for the `updated_seq` they were read at */
  private readonly paths = new Map<string, { seq: number; path: LatLon[] }>();
  private readonly docById: Statement;

  constructor(db: WriteDb) {
    this.docById = db.prepare('SELECT doc FROM assets WHERE id = ?');
    this.s = {
      candidates: db.prepare(ASSET_CANDIDATES_SQL),
      alertsAt: db.prepare(ALERTS_AT_SQL),
      clear: db.prepare('DELETE FROM alert_assets WHERE alert_id = ?'),
      add: db.prepare('INSERT OR IGNORE INTO alert_assets (alert_id, asset_id) VALUES (?, ?)'),
      remove: db.prepare('DELETE FROM alert_assets WHERE alert_id = ? AND asset_id = ?'),
      alertsOfAsset: db.prepare('SELECT alert_id AS id FROM alert_assets WHERE asset_id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM alert_assets WHERE alert_id = ?'),
      setCount: db.prepare('UPDATE alerts SET affected_count = ? WHERE id = ?'),
      boxPut: db.prepare(
        'INSERT OR REPLACE INTO alert_rtree (rid, min_lat, max_lat, min_lon, max_lon) VALUES (?, ?, ?, ?, ?)',
      ),
      list: db.prepare(`SELECT a.id AS assetId, a.name, a.kind, a.district, a.criticality
        FROM alert_assets x JOIN assets a ON a.id = x.asset_id
        WHERE x.alert_id = ? ORDER BY a.criticality DESC, a.name, a.id`),
    };
  }

  /** Index the alert's box and store the assets inside its areas. Returns how many. */
  onAlert(alertId: string, rowid: number, cap: CapAlert, bbox: BBox | null): number {
    this.s.clear.run(alertId);
    let n = 0;
    if (bbox) {
      this.s.boxPut.run(rowid, bbox.minLat, bbox.maxLat, bbox.minLon, bbox.maxLon);
      const rows = this.s.candidates.all(bbox.minLat, bbox.maxLat, bbox.minLon, bbox.maxLon) as CandidateRow[];
      const covers = coverageOf(cap);
      for (const r of rows) {
        // A point asset is inside when its location is; a linear one when any point of its line is.
        if (covers({ lat: r.lat, lon: r.lon }) || (LINEAR.has(r.kind) && this.pathOf(r).some(covers))) {
          this.s.add.run(alertId, r.id);
          n++;
        }
      }
    }
    this.s.setCount.run(n, alertId);
    return n;
  }

  /** Re-test the alerts whose box meets an upserted asset. Returns the alerts whose list changed. */
  onAsset(asset: Asset): string[] {
    const pts = [asset.location, ...(asset.path ?? [])];
    const box = {
      minLat: Math.min(...pts.map((p) => p.lat)),
      maxLat: Math.max(...pts.map((p) => p.lat)),
      minLon: Math.min(...pts.map((p) => p.lon)),
      maxLon: Math.max(...pts.map((p) => p.lon)),
    };
    const changed: string[] = [];
    const rows = this.s.alertsAt.all(box.minLat, box.maxLat, box.minLon, box.maxLon) as { id: string; cap: string }[];
    // The alerts it was inside before, so an asset that moved out of one is removed from it.
    const before = new Set((this.s.alertsOfAsset.all(asset.id) as { id: string }[]).map((r) => r.id));
    const inside = new Set<string>();
    this.paths.delete(asset.id);
    for (const r of rows) {
      const covers = coverageOf(JSON.parse(r.cap) as CapAlert);
      if (LINEAR.has(asset.kind) ? pts.some(covers) : covers(asset.location)) {
        inside.add(r.id);
      }
    }
    for (const id of inside) {
      if (!before.has(id)) {
        this.s.add.run(id, asset.id);
        changed.push(id);
      }
    }
    for (const id of before) {
      if (!inside.has(id)) {
        this.s.remove.run(id, asset.id);
        changed.push(id);
      }
    }
    for (const id of changed) this.s.setCount.run((this.s.count.get(id) as { n: number }).n, id);
    return changed;
  }

  private pathOf(r: CandidateRow): LatLon[] {
    const hit = this.paths.get(r.id);
    if (hit && hit.seq === r.updated_seq) return hit.path;
    const row = this.docById.get(r.id) as { doc: string } | undefined;
    const path = row ? ((JSON.parse(row.doc) as Asset).path ?? []) : [];
    this.paths.set(r.id, { seq: r.updated_seq, path });
    return path;
  }

  list(alertId: string): AffectedAsset[] {
    return this.s.list.all(alertId) as AffectedAsset[];
  }
}

interface CandidateRow {
  id: string;
  kind: string;
  lat: number;
  lon: number;
  updated_seq: number;
}

/** For tests: the plan SQLite chooses for the candidate query. */
export function candidatePlan(db: ReadDb): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${ASSET_CANDIDATES_SQL}`).all(0, 0, 0, 0) as { detail: string }[]).map(
    (r) => r.detail,
  );
}
