import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../shared/clock';
import { HubStore } from '../hub/store/hubStore';
import { Replica } from '../main/replica/replica';
import { alertTemplates, syntheticAssets } from './fixtures';
import { migrationsDir } from './harness';

/**
 * The city-scale fixture of figures 3, 5, 6 and 7 (issue 8): one hub log and the console
 * replica that has applied all of it, made with bulk SQL (not through the hub's append or
 * the console's apply, which are what the bench measures and far too slow to make a million
 * entries with) and cached under bench/out/fixtures keyed by size, schema and this file's
 * version, so a rerun copies two files instead of writing 3.5 GB (a newer schema migrates the
 * cached files once, as an upgraded hub and console would).
 *
 * The log: `assets` asset.upserted entries (synthetic assets over the demo city), then
 * `threads` alert threads of `versions` messages each — an Alert and its Updates, each
 * referencing the one before (CAP `references`), cloned from the demo simulator's Alerts —
 * so that a million entries leave `threads` active alerts (the current version of each
 * thread) and the rest superseded, as a city's log does after a long week.
 *
 * The replica: its events are the hub's rows; assets and their R*Tree are folded by SQL;
 * the first cycle of threads (one per simulator template) goes through the replica's real
 * `applyEvents`, and every later cycle is a copy of those rows with its ids renamed, so
 * lifecycle, references, ranks and boxes are the real apply's. Not made: affected assets
 * (decision 0029 computes them after the apply; the pending queue is emptied, so no console
 * spends the bench computing them), and correlation groups across cycles (each cycle keeps
 * its own groups).
 */
const here = dirname(fileURLToPath(import.meta.url));
const require_ = createRequire(import.meta.url);
const FIXTURE_VERSION = 1;
const AT = '2026-11-28T12:00:00.000Z';

export interface CitySpec {
  /** log entries in all */
  events: number;
  assets: number;
  /** alert threads = active alerts */
  threads: number;
}

export interface CityFixture extends CitySpec {
  hubFile: string;
  replicaFile: string;
  head: number;
  versions: number;
  /** whether it came from the cache */
  cached: boolean;
  /** seconds to build or find it */
  seconds: number;
}

/** Every migration of both schemas, by file, with a hash of its text. */
export function migrationHashes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [tag, dir] of [
    ['replica', migrationsDir],
    ['hub', join(here, '..', 'hub', 'store', 'migrations')],
  ] as const)
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.sql')))
      out[`${tag}/${name}`] = createHash('sha1')
        .update(readFileSync(join(dir, name)))
        .digest('hex')
        .slice(0, 12);
  return out;
}

/**
 * Whether cached files made with `made` can be brought to the current schema by migrating them:
 * yes when migrations were only added; no when one they already applied has changed since.
 */
function upgradable(made: Record<string, string>): boolean {
  const now = migrationHashes();
  return Object.entries(made).every(([name, hash]) => now[name] === hash);
}

/** `root`: where fixtures are cached (default bench/out/fixtures; tests build small ones elsewhere). */
export function cityFixture(spec: CitySpec, root = join(here, 'out', 'fixtures')): CityFixture {
  const t0 = performance.now();
  const versions = Math.max(1, Math.floor((spec.events - spec.assets) / spec.threads));
  const dir = join(root, `city-e${spec.events}-a${spec.assets}-t${spec.threads}-v${FIXTURE_VERSION}`);
  const hubFile = join(dir, 'hub.sqlite');
  const replicaFile = join(dir, 'replica.sqlite');
  const done = join(dir, 'done');
  const head = spec.assets + spec.threads * versions;
  const out = { ...spec, hubFile, replicaFile, head, versions };
  const made = existsSync(done)
    ? (JSON.parse(readFileSync(done, 'utf8')) as { migrations: Record<string, string> })
    : null;
  if (made && upgradable(made.migrations) && unchanged(hubFile, replicaFile, head)) {
    // Migrations added since: migrate the cached files once, as an upgraded hub and console would.
    if (JSON.stringify(made.migrations) !== JSON.stringify(migrationHashes())) {
      HubStore.open(hubFile, systemClock).close();
      new Replica({ file: replicaFile, migrationsDir, consoleId: 'bench-city' }).close();
      writeFileSync(done, JSON.stringify({ migrations: migrationHashes(), at: new Date().toISOString() }));
    }
    return { ...out, cached: true, seconds: (performance.now() - t0) / 1000 };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const templates = alertTemplates().filter((t) => t.includes('"msgType":"Alert"') && t.includes('"references":[]'));
  const hub = startHubLog(hubFile, spec, versions, templates);
  try {
    writeReplica(replicaFile, hub.hubId, spec, versions, templates);
  } finally {
    hub.wait();
  }
  // Written last: a build interrupted part-way is never taken for a cached one.
  writeFileSync(done, JSON.stringify({ migrations: migrationHashes(), at: new Date().toISOString() }));
  return { ...out, cached: false, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The bench uses the files in place (copying them took a minute a run): whether they still
 * stand at `head` (a hub that appended, or a replica that applied more, makes a new fixture).
 */
function unchanged(hubFile: string, replicaFile: string, head: number): boolean {
  try {
    const hub = new Database(hubFile, { readonly: true });
    const replica = new Database(replicaFile, { readonly: true });
    try {
      const hubHead = hub.prepare('SELECT max(seq) FROM events').pluck().get();
      const cursor = replica.prepare('SELECT cursor FROM meta WHERE id = 1').pluck().get();
      return hubHead === head && cursor === head;
    } finally {
      hub.close();
      replica.close();
    }
  } catch {
    return false;
  }
}

/** The simulator template with its identifier made a placeholder, and its sender and sent time. */
function templateRows(templates: readonly string[]): { json: string; sender: string; sent: string }[] {
  return templates.map((t) => {
    const p = JSON.parse(t) as { cap: { identifier: string; sender: string; sent: string } };
    return { json: t.split(p.cap.identifier).join('@@ID@@'), sender: p.cap.sender, sent: p.cap.sent };
  });
}

/**
 * Pragmas for writing the fixture in bulk: no WAL (one big transaction into empty tables), no
 * fsync (a build interrupted part-way is made again: `done` is written last). Tried and dropped,
 * no gain measured (bench/FINDINGS.md): a 1 GiB page cache (slower: its pages written in one go
 * at the commit), and the alerts' indexes dropped for the copy and made again after it.
 * CHECK constraints are the schema's guards against a writer's mistakes (json_valid on every
 * 2 KB payload); the rows here are the simulator's own JSON with identifiers substituted, and
 * tests/bench/city.test.ts checks every one of a small fixture's rows against them.
 */
function bulkPragmas(db: Database.Database): void {
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('temp_store = MEMORY');
  db.pragma('ignore_check_constraints = ON');
}

/** Back to the pragmas the hub and the console run with. */
function endBulk(db: Database.Database): void {
  db.pragma('ignore_check_constraints = OFF');
  db.pragma('journal_mode = WAL');
}

/** The template rows as a temp table `tpl` on `db` (both builds generate the log from it). */
function createTemplateTable(db: Database.Database, templates: readonly string[]): void {
  db.exec('CREATE TEMP TABLE tpl (j INTEGER PRIMARY KEY, json TEXT NOT NULL, sender TEXT NOT NULL, sent TEXT NOT NULL)');
  const insertTpl = db.prepare('INSERT INTO tpl (j, json, sender, sent) VALUES (?, ?, ?, ?)');
  templateRows(templates).forEach((t, j) => insertTpl.run(j, t.json, t.sender, t.sent));
}

/**
 * The alert entries `from` ≤ i < `to` of the log as `INSERT INTO <table>`: thread k (template
 * k % nT), version v, at seq assets + k*versions + v + 1. The hub's log and the replica's are
 * made by this same statement, each into its own file (tests/bench/city.test.ts compares them).
 */
function alertEventsSql(table: string, versions: number, nT: number): string {
  // (better-sqlite3 binds a JavaScript number as REAL: cast, or k and v would print as 0.5, 1.0)
  return `WITH RECURSIVE n(i) AS (SELECT CAST(:from AS INTEGER) WHERE :from < :to
                                UNION ALL SELECT i + 1 FROM n WHERE i < :to - 1),
              m AS (SELECT i, i / ${versions} AS k, i % ${versions} AS v FROM n)
         INSERT INTO ${table} (seq, type, at, mutation_id, payload)
         SELECT :assets + i + 1, 'alert.received', :at, NULL,
                CASE WHEN v = 0 THEN replace(t.json, '@@ID@@', 'PH-T' || k || 'V0')
                ELSE replace(replace(replace(t.json, '@@ID@@', 'PH-T' || k || 'V' || v),
                       '"msgType":"Alert"', '"msgType":"Update"'),
                       '"references":[]',
                       '"references":[{"sender":' || json_quote(t.sender) || ',"identifier":"PH-T' || k || 'V' || (v - 1) ||
                       '","sent":' || json_quote(t.sent) || '}]') END
           FROM m JOIN tpl t ON t.j = m.k % ${nT}`;
}

/**
 * The hub's log, written by a worker thread while this thread writes the replica (the two halves
 * of the build each take a core; ~8 GB of writes between them). The file is created and migrated
 * here first (HubStore.open: hub id, one-time backfills on the empty log); the worker needs only
 * better-sqlite3 and the SQL, so it runs as plain JavaScript under tsx and vitest alike.
 * `wait()` blocks until it is done and throws what it threw.
 */
function startHubLog(
  file: string,
  spec: CitySpec,
  versions: number,
  templates: readonly string[],
): { hubId: string; wait(): void } {
  const store = HubStore.open(file, systemClock);
  const hubId = store.hubId;
  store.close();
  const nT = templates.length;
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(HUB_LOG_WORKER, {
    eval: true,
    execArgv: [],
    workerData: {
      sqlite: require_.resolve('better-sqlite3'),
      file,
      done: done.buffer,
      port: port2,
      templates: templateRows(templates),
      assets: syntheticAssets(spec.assets).map((a) => JSON.stringify(a)),
      at: AT,
      count: spec.threads * versions,
      eventsSql: alertEventsSql('events', versions, nT),
      // The hub's alert rows: the id is `sender,identifier` (alertIdOf), known without reading back
      // 2 GB of payloads with json_extract; same rows in the same order as the log.
      alertsSql: `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :count - 1)
         INSERT INTO alerts (id, received_seq)
         SELECT t.sender || ',PH-T' || (i / ${versions}) || 'V' || (i % ${versions}), :assets + i + 1
           FROM n JOIN tpl t ON t.j = (i / ${versions}) % ${nT} ORDER BY i`,
    },
    transferList: [port2],
  });
  worker.unref();
  return {
    hubId,
    wait() {
      while (Atomics.load(done, 0) === 0) Atomics.wait(done, 0, 0, 1_000);
      const failed = receiveMessageOnPort(port1)?.message as string | undefined;
      port1.close();
      if (Atomics.load(done, 0) !== 1) throw new Error(`bench: the city's hub log failed (${failed ?? 'no message'})`);
    },
  };
}

/** The hub log's worker (see startHubLog): the same pragmas as bulkPragmas, one transaction. */
const HUB_LOG_WORKER = `
const { workerData: d } = require('node:worker_threads');
const done = new Int32Array(d.done);
try {
  const Database = require(d.sqlite);
  const db = new Database(d.file);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('temp_store = MEMORY');
  db.pragma('ignore_check_constraints = ON');
  db.exec('CREATE TEMP TABLE tpl (j INTEGER PRIMARY KEY, json TEXT NOT NULL, sender TEXT NOT NULL, sent TEXT NOT NULL)');
  const tpl = db.prepare('INSERT INTO tpl (j, json, sender, sent) VALUES (?, ?, ?, ?)');
  d.templates.forEach((t, j) => tpl.run(j, t.json, t.sender, t.sent));
  const asset = db.prepare("INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (?, 'asset.upserted', ?, NULL, ?)");
  db.transaction(() => {
    d.assets.forEach((json, i) => asset.run(i + 1, d.at, json));
    db.prepare(d.eventsSql).run({ from: 0, to: d.count, assets: d.assets.length, at: d.at });
    db.prepare(d.alertsSql).run({ count: d.count, assets: d.assets.length });
  })();
  db.pragma('ignore_check_constraints = OFF');
  db.pragma('journal_mode = WAL');
  db.close();
  Atomics.store(done, 0, 1);
} catch (e) {
  d.port.postMessage(String(e && e.stack || e));
  Atomics.store(done, 0, 2);
}
Atomics.notify(done, 0);
`;

function writeReplica(file: string, hubId: string, spec: CitySpec, versions: number, templates: readonly string[]): void {
  const replica = new Replica({ file, migrationsDir, consoleId: 'bench-city' });
  const db = replica.db;
  const nT = templates.length;
  try {
    bulkPragmas(db);
    createTemplateTable(db, templates);
    replica.setHubId(hubId);
    const cycle0 = Math.min(nT, spec.threads) * versions;
    // The replica's log is made from the same templates by the same statement as the hub's.
    const insertAlertEvents = (table: string, from: number, to: number) =>
      db.prepare(alertEventsSql(table, versions, nT)).run({ from, to, assets: spec.assets, at: AT });
    const insertAsset = db.prepare(
      "INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (?, 'asset.upserted', ?, NULL, ?)",
    );
    db.transaction(() => {
      syntheticAssets(spec.assets).forEach((a, i) => insertAsset.run(i + 1, AT, JSON.stringify(a)));
      db.exec(`INSERT INTO assets (id, kind, name, district, criticality, lat, lon, doc, updated_seq)
        SELECT json_extract(payload, '$.id'), json_extract(payload, '$.kind'), json_extract(payload, '$.name'),
               json_extract(payload, '$.district'), json_extract(payload, '$.criticality'),
               json_extract(payload, '$.location.lat'), json_extract(payload, '$.location.lon'), payload, seq
          FROM events WHERE type = 'asset.upserted' ORDER BY seq`);
      db.exec(`INSERT INTO asset_rtree (rid, min_lat, max_lat, min_lon, max_lon, lat, lon, linear, updated_seq)
        SELECT rid, lat, lat, lon, lon, lat, lon, kind IN ('pipeline', 'bridge', 'tunnel'), updated_seq FROM assets`);
      db.prepare('UPDATE meta SET cursor = ? WHERE id = 1').run(spec.assets);
    })();
    // The first cycle through the real apply, with the schema's checks on as a console has them.
    db.pragma('ignore_check_constraints = OFF');
    db.exec('CREATE TEMP TABLE cycle0 (seq INTEGER PRIMARY KEY, type TEXT, at TEXT, mutation_id TEXT, payload TEXT)');
    insertAlertEvents('temp.cycle0', 0, cycle0);
    const read = db.prepare('SELECT seq, type, at, mutation_id, payload FROM temp.cycle0 WHERE seq > ? ORDER BY seq LIMIT ?');
    for (let after = spec.assets; after < spec.assets + cycle0;) {
      const rows = read.all(after, Math.min(1_000, spec.assets + cycle0 - after)) as {
        seq: number;
        type: string;
        at: string;
        mutation_id: string | null;
        payload: string;
      }[];
      const r = replica.applyEvents(
        rows.map((e) => ({
          seq: e.seq,
          type: e.type,
          at: e.at,
          mutationId: e.mutation_id,
          payload: JSON.parse(e.payload),
        })),
      );
      if (r.rejected || r.gap || r.applied !== rows.length)
        throw new Error(`bench: the city fixture's first cycle did not apply (${JSON.stringify(r.rejected ?? r.gap)})`);
      after = rows.at(-1)!.seq;
    }
    db.pragma('ignore_check_constraints = ON');
    // Every later cycle: the first cycle's rows, renamed thread by thread.
    const span = nT * versions;
    const cycles = Math.ceil(spec.threads / nT);
    const from = spec.assets + 1;
    const to = spec.assets + cycle0;
    const rename = (col: string) => `replace(${col}, 'PH-T' || j || 'V', 'PH-T' || (c * ${nT} + j) || 'V')`;
    db.exec('DROP TABLE temp.cycle0');
    db.transaction(() => {
      insertAlertEvents('events', cycle0, spec.threads * versions);
      const before = db.prepare('SELECT coalesce(max(rowid), 0) FROM alerts').pluck().get() as number;
      db.prepare(
        `WITH RECURSIVE cyc(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM cyc WHERE c < ${cycles} - 1),
              src AS (SELECT a.*, CAST(substr(a.identifier, 5, instr(a.identifier, 'V') - 5) AS INTEGER) AS j
                        FROM alerts a WHERE a.received_seq BETWEEN :from AND :to)
         INSERT INTO alerts (id, identifier, sender, sent, sent_ms, status, msg_type, event, headline, severity,
                             severity_rank, urgency, urgency_rank, certainty, center_lat, center_lon, bbox, received_seq,
                             received_at, ack_by, ack_at, ack_disposition, ack_note, superseded_by, expires_ms, lifecycle,
                             languages, affected_count, group_id, sensor_asset)
         SELECT ${rename('id')}, ${rename('identifier')}, sender, sent, sent_ms, status, msg_type, event, headline,
                severity, severity_rank, urgency, urgency_rank, certainty, center_lat, center_lon, bbox,
                received_seq + c * ${span}, received_at, ack_by, ack_at, ack_disposition, ack_note,
                ${rename('superseded_by')}, expires_ms, lifecycle, languages, affected_count,
                CASE WHEN group_id IS NULL THEN NULL ELSE group_id || '-c' || c END, sensor_asset
           FROM src, cyc WHERE c * ${nT} + j < ${spec.threads} ORDER BY c, src.received_seq`,
      ).run({ from, to });
      db.prepare(
        `WITH RECURSIVE cyc(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM cyc WHERE c < ${cycles} - 1),
              src AS (SELECT r.*, CAST(substr(a.identifier, 5, instr(a.identifier, 'V') - 5) AS INTEGER) AS j
                        FROM alert_refs r JOIN alerts a ON a.id = r.from_id
                       WHERE a.received_seq BETWEEN :from AND :to)
         INSERT INTO alert_refs (to_id, from_id, msg_type, from_sent_ms)
         SELECT ${rename('to_id')}, ${rename('from_id')}, msg_type, from_sent_ms FROM src, cyc
          WHERE c * ${nT} + j < ${spec.threads}`,
      ).run({ from, to });
      db.prepare(
        `INSERT INTO alert_rtree (rid, min_lat, max_lat, min_lon, max_lon)
         SELECT rowid, json_extract(bbox, '$.minLat'), json_extract(bbox, '$.maxLat'),
                json_extract(bbox, '$.minLon'), json_extract(bbox, '$.maxLon')
           FROM alerts WHERE rowid > ? AND bbox IS NOT NULL`,
      ).run(before);
      db.exec('DELETE FROM affected_pending');
      db.prepare('UPDATE meta SET cursor = ? WHERE id = 1').run(spec.assets + spec.threads * versions);
    })();
    endBulk(db);
  } finally {
    replica.close();
  }
}
