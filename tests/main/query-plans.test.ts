import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CapAlert } from '../../shared/domain/cap';
import type { HubEvent } from '../../shared/domain/events';
import type { LatLon } from '../../shared/domain/geo';
import { coverageOf } from '../../shared/geo/geo';
import {
  AFFECTED_LIST_SQL,
  ALERTS_AT_SQL,
  ALERTS_OF_ASSET_SQL,
  ASSET_CANDIDATES_SQL,
  PENDING_SQL,
} from '../../main/replica/affected';
import {
  EVENT_FIRST_SQL,
  GROUP_CANDIDATES_SQL,
  SENSOR_CANDIDATES_SQL,
  SENSOR_FIRST_SQL,
} from '../../main/replica/groups';
import { loadMigrations, migrate, schemaVersion } from '../../main/replica/migrate';
import { QUEUE_SQL, Replica } from '../../main/replica/replica';
import { buildDemoCity } from '../../hub/simulator/city';
import { squareAround } from '../support/geo';
import { tempDir } from './fixtures';

/**
 * The hot queries of the apply and of the affected-asset queue (issue 8) use their indexes:
 * each plan is read from SQLite itself, so a dropped index or a rewritten query that falls
 * back to a scan or a temporary sort fails here. And the deferred affected assets (decision
 * 0029, migration 0006) converge to exactly the assets inside each alert's areas.
 */

let dir: string;
let cleanup: () => void;
let replica: Replica;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  replica = new Replica({ file: path.join(dir, 'replica.sqlite'), consoleId: 'console-q' });
});
afterEach(() => {
  replica.close();
  cleanup();
});

const plan = (sql: string, params: unknown[]): string =>
  (replica.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
    .map((r) => r.detail)
    .join('\n');

describe('query plans of the hot queries', () => {
  it('asset candidates: the R*Tree alone answers the box (auxiliary columns, no join)', () => {
    expect(plan(ASSET_CANDIDATES_SQL, [0, 0, 0, 0])).toMatch(/^SCAN asset_rtree VIRTUAL TABLE INDEX \d+:D1B0D3B2$/);
  });

  it('alerts at a point: the R*Tree, then alerts and their log entry by rowid', () => {
    const p = plan(ALERTS_AT_SQL, [0, 0, 0, 0]);
    expect(p).toMatch(/SCAN r VIRTUAL TABLE INDEX \d+:D1B0D3B2/);
    expect(p).toContain('SEARCH a USING INTEGER PRIMARY KEY (rowid=?)');
    expect(p).toContain('SEARCH e USING INTEGER PRIMARY KEY (rowid=?)');
    expect(p).not.toMatch(/SCAN (a|e|p)\b/);
  });

  it('group candidates: the (event, sent) index of current alerts, the R*Tree by rowid; no scan', () => {
    const p = plan(GROUP_CANDIDATES_SQL, ['Flood', 0, 1, 'x', 0, 0, 0, 0]);
    expect(p).toMatch(/SEARCH a USING INDEX alerts_group_candidates \(<expr>=\? AND sent_ms>\? AND sent_ms<\?\)/);
    expect(p).toMatch(/VIRTUAL TABLE INDEX 1:/); // R*Tree lookup by rowid
    expect(p).not.toMatch(/SCAN a\b/);
  });

  it('sensor candidates: the (sensor_asset, sent_ms) index', () => {
    expect(plan(SENSOR_CANDIDATES_SQL, ['b-1', 'x', 0, 1])).toMatch(/SEARCH alerts USING INDEX alerts_sensor_asset/);
  });

  it('group walks in arrival order (migration 0014): their indexes, no sort', () => {
    const s = plan(SENSOR_FIRST_SQL, ['b-1']);
    expect(s).toMatch(/SEARCH alerts USING INDEX alerts_sensor_first \(sensor_asset=\?\)/);
    expect(s).not.toContain('TEMP B-TREE');
    const e = plan(EVENT_FIRST_SQL, [0, 0, 0, 0, 'Flood']);
    expect(e).toMatch(/SEARCH a USING INDEX alerts_event_first \(<expr>=\?\)/);
    expect(e).toMatch(/VIRTUAL TABLE INDEX 1:/);
    expect(e).not.toContain('TEMP B-TREE');
  });

  it('the affected-asset queue is read newest first from its primary key, without a sort', () => {
    const p = plan(PENDING_SQL, [16]);
    expect(p).toMatch(/SCAN affected_pending/);
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('an alert detail lists its assets by primary keys; an asset finds its alerts by index', () => {
    const p = plan(AFFECTED_LIST_SQL, ['x']);
    expect(p).toMatch(/SEARCH al USING (COVERING )?INDEX sqlite_autoindex_alerts_1 \(id=\?\)/);
    expect(p).toMatch(/SEARCH x USING PRIMARY KEY \(alert_rid=\?\)/);
    expect(p).toContain('SEARCH a USING INTEGER PRIMARY KEY (rowid=?)');
    expect(plan(ALERTS_OF_ASSET_SQL, [1])).toMatch(/SEARCH alert_assets USING COVERING INDEX alert_assets_asset/);
  });

  it('the queue is served by alerts_queue without a sort', () => {
    const p = plan(QUEUE_SQL, []);
    expect(p).toMatch(/SCAN alerts USING INDEX alerts_queue/);
    expect(p).not.toContain('TEMP B-TREE');
  });
});

// ------------------------------------------------------------------ deferred affected assets

const AT = '2026-11-28T10:00:00.000Z';
const SENDER = 'eoc@porthalden.example';
const city = buildDemoCity();

function alertEvent(seq: number, identifier: string, ring: LatLon[]): HubEvent {
  const cap: CapAlert = {
    version: '1.2',
    identifier,
    sender: SENDER,
    sent: '2026-11-28T10:00:00-00:00',
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    code: [],
    references: [],
    infos: [
      {
        language: 'en-GB',
        category: ['Met'],
        event: 'Flood',
        responseType: [],
        urgency: 'Expected',
        severity: 'Severe',
        certainty: 'Likely',
        eventCode: [],
        parameter: [],
        resources: [],
        areas: [{ areaDesc: 'area', polygons: [ring], circles: [], geocodes: [] }],
      },
    ],
  };
  return {
    seq,
    at: AT,
    mutationId: null,
    type: 'alert.received',
    payload: { alertId: `${SENDER},${identifier}`, cap, source: { kind: 'cap-post', name: 'test' } },
  };
}

/** By brute force over every asset: the ids inside the ring (a line: any of its points). */
function inside(ring: LatLon[]): string[] {
  const covers = coverageOf({ infos: [{ areas: [{ polygons: [ring], circles: [] }] }] } as unknown as CapAlert);
  return city.assets
    .map((a) => a.asset)
    .filter((a) => [a.location, ...(a.path ?? [])].some(covers))
    .map((a) => a.id)
    .sort();
}

describe('deferred affected assets (decision 0029)', () => {
  const assets = (): HubEvent[] =>
    city.assets.map((a, i) => ({ seq: i + 1, at: AT, mutationId: null, type: 'asset.upserted', payload: a.asset }));
  const rings = [0.3, 0.8, 2].map((km, i) => squareAround(city.assets[i * 37]!.asset.location, km));

  it('the apply only queues an alert; draining computes exactly the assets inside its areas', () => {
    replica.applyEvents(assets());
    const n = city.assets.length;
    replica.applyEvents(rings.map((ring, i) => alertEvent(n + i + 1, `D${i}`, ring)));
    expect(replica.affectedPending()).toBe(true);
    expect(replica.alertSummaries([`${SENDER},D0`])[0]!.affectedCount).toBe(0);
    const changed: string[] = [];
    for (;;) {
      const r = replica.drainAffected(50);
      changed.push(...r.changed);
      if (!r.more) break;
    }
    expect(changed.sort()).toEqual(rings.map((_, i) => `${SENDER},D${i}`).sort());
    rings.forEach((ring, i) => {
      const d = replica.alertDetail(`${SENDER},D${i}`)!;
      const expected = inside(ring);
      expect(expected.length).toBeGreaterThan(0);
      expect(d.affectedAssets.map((a) => a.assetId).sort()).toEqual(expected);
      expect(d.summary.affectedCount).toBe(expected.length);
    });
  });

  it('opening a queued alert computes it at once; an asset moved out is removed from computed alerts', () => {
    replica.applyEvents(assets());
    const n = city.assets.length;
    const ring = rings[1]!;
    replica.applyEvents([alertEvent(n + 1, 'O', ring)]);
    const listed = replica.alertDetail(`${SENDER},O`)!.affectedAssets.map((a) => a.assetId);
    expect(listed.sort()).toEqual(inside(ring));
    expect(replica.affectedPending()).toBe(false);
    // Move a listed point asset far away: the computed alert drops it.
    const moved = city.assets.map((a) => a.asset).find((a) => listed.includes(a.id) && !a.path)!;
    const res = replica.applyEvents([
      {
        seq: n + 2,
        at: AT,
        mutationId: null,
        type: 'asset.upserted',
        payload: { ...moved, location: { lat: moved.location.lat + 1, lon: moved.location.lon } },
      },
    ]);
    expect(res.changedAlerts).toContain(`${SENDER},O`);
    const after = replica.alertDetail(`${SENDER},O`)!;
    expect(after.affectedAssets.map((a) => a.assetId)).not.toContain(moved.id);
    expect(after.summary.affectedCount).toBe(listed.length - 1);
  });

  it('an alert over thousands of assets is computed over several drain calls; an asset moved meanwhile counts', () => {
    const base = city.assets.find((a) => !a.asset.path)!.asset;
    // 3 000 point assets on a grid around one demo-city asset (more than one chunk of candidates).
    const grid: HubEvent[] = Array.from({ length: 3_000 }, (_, i) => ({
      seq: i + 1,
      at: AT,
      mutationId: null,
      type: 'asset.upserted',
      payload: {
        ...base,
        id: `grid-${i}`,
        location: {
          lat: base.location.lat + ((i % 60) - 30) * 0.001,
          lon: base.location.lon + (Math.floor(i / 60) - 25) * 0.001,
        },
      },
    }));
    replica.applyEvents(grid);
    const ring = squareAround(base.location, 1.5);
    replica.applyEvents([alertEvent(3_001, 'BIG', ring)]);
    const first = replica.drainAffected(0);
    expect(first).toEqual({ changed: [], more: true }); // one chunk tested, not done
    // Mid-computation, an asset inside moves far away: the alert starts again and does not list it.
    const moved = grid.find((e) => {
      const p = (e.payload as { location: LatLon }).location;
      return Math.abs(p.lat - base.location.lat) < 0.002 && Math.abs(p.lon - base.location.lon) < 0.002;
    })!;
    const payload = moved.payload as { id: string; location: LatLon };
    replica.applyEvents([
      {
        ...moved,
        seq: 3_002,
        payload: { ...payload, location: { lat: payload.location.lat + 1, lon: payload.location.lon } },
      },
    ]);
    let calls = 1;
    const changed: string[] = [];
    for (let more = true; more; calls++) {
      const r = replica.drainAffected(0);
      changed.push(...r.changed);
      more = r.more;
    }
    expect(calls).toBeGreaterThan(3);
    expect(changed).toEqual([`${SENDER},BIG`]);
    const covers = coverageOf({ infos: [{ areas: [{ polygons: [ring], circles: [] }] }] } as unknown as CapAlert);
    const expected = grid
      .filter((e) => e !== moved && covers((e.payload as { location: LatLon }).location))
      .map((e) => (e.payload as { id: string }).id)
      .sort();
    expect(expected.length).toBeGreaterThan(512);
    const d = replica.alertDetail(`${SENDER},BIG`)!;
    expect(d.affectedAssets.map((a) => a.assetId).sort()).toEqual(expected);
    expect(d.summary.affectedCount).toBe(expected.length);
  });

  it('a budget ends the apply transaction early; the rest applies from where it stopped', () => {
    const events = assets();
    const first = replica.applyEvents(events, { budgetMs: 0 });
    expect(first.applied).toBe(1); // at least one entry per transaction
    expect(first.cursor).toBe(1);
    const rest = replica.applyEvents(events.slice(first.applied));
    expect(rest.cursor).toBe(events.length);
  });

  it('a waiting call ends the apply transaction after the entry in progress, before its budget (decision 0037)', () => {
    const events = assets();
    let asked = 0;
    // The call arrives while the third entry is applied.
    const first = replica.applyEvents(events, { budgetMs: 60_000, minEntries: 100, urgent: () => ++asked >= 3 });
    expect(first.applied).toBe(3);
    expect(first.cursor).toBe(3);
    expect(replica.cursor()).toBe(3); // committed: the call sees it
    const rest = replica.applyEvents(events.slice(first.applied), { urgent: () => false });
    expect(rest.cursor).toBe(events.length);
    expect(replica.counts().assets).toBe(events.length);
  });
});

describe('replica migration 0008 (asset R*Tree with auxiliary columns)', () => {
  it('keeps every box and adds each asset point, line flag and version', () => {
    const db = new Database(path.join(dir, 'r7.sqlite'));
    migrate(db, loadMigrations(), 7);
    const asset =
      db.prepare(`INSERT INTO assets (rid, id, kind, name, district, criticality, lat, lon, doc, updated_seq)
      VALUES (?, ?, ?, 'n', 'd', 3, ?, ?, '{}', ?)`);
    const box = db.prepare('INSERT INTO asset_rtree VALUES (?, ?, ?, ?, ?)');
    asset.run(1, 'h', 'hospital', 51.5, -0.1, 7);
    box.run(1, 51.5, 51.5, -0.1, -0.1);
    asset.run(2, 'p', 'pipeline', 51.6, -0.2, 9);
    box.run(2, 51.6, 51.7, -0.3, -0.2);
    migrate(db, loadMigrations(), 8);
    expect(schemaVersion(db)).toBe(8);
    expect(
      db
        .prepare('SELECT rid, lat, lon, linear, updated_seq FROM asset_rtree WHERE max_lat >= 51.55 ORDER BY rid')
        .all(),
    ).toEqual([{ rid: 2, lat: 51.6, lon: -0.2, linear: 1, updated_seq: 9 }]);
    expect(db.prepare('SELECT rid, linear FROM asset_rtree ORDER BY rid').all()).toEqual([
      { rid: 1, linear: 0 },
      { rid: 2, linear: 1 },
    ]);
    db.close();
  });
});

describe('replica migration 0006 (deferred affected assets)', () => {
  it('re-keys alert_assets by integers and queues every alert with an area', () => {
    const db = new Database(path.join(dir, 'r5.sqlite'));
    migrate(db, loadMigrations(), 5);
    const al = db.prepare(`INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event, headline,
      severity, severity_rank, urgency, urgency_rank, certainty, received_seq, received_at, bbox)
      VALUES (?, ?, 's', 'x', 0, 'Actual', 'Alert', 'e', 'h', 'Minor', 1, 'Past', 1, 'Observed', ?, 'at', ?)`);
    al.run('s,A', 'A', 1, JSON.stringify({ minLat: 1, minLon: 2, maxLat: 3, maxLon: 4 }));
    al.run('s,B', 'B', 2, null);
    db.prepare(`INSERT INTO alert_assets (alert_id, asset_id) VALUES ('s,A', 'asset-1')`).run();
    migrate(db, loadMigrations(), 6);
    expect(schemaVersion(db)).toBe(6);
    const cols = (db.prepare('PRAGMA table_info(alert_assets)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(['alert_rid', 'asset_rid']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM alert_assets').get()).toEqual({ n: 0 });
    const rowidA = (db.prepare(`SELECT rowid AS r FROM alerts WHERE id = 's,A'`).get() as { r: number }).r;
    expect(db.prepare('SELECT alert_rid FROM affected_pending').all()).toEqual([{ alert_rid: rowidA }]);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'alerts_group_candidates'`).get()).toEqual({
      name: 'alerts_group_candidates',
    });
    db.close();
  });
});
