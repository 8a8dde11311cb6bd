import { existsSync, rmSync } from 'node:fs';
import { toIso, type Clock } from '../../shared/clock';
import type { AppError } from '../../shared/errors';
import { ErrorAck, SNAPSHOT_PAGE, SnapshotAck } from '../../shared/protocol';
import type { Replica } from './replica';
import { emptyTouched, type ResponseTouched } from './response';

/**
 * Snapshot rebuild (issue 5, decision 0016): a console further behind than the hub's log
 * keeps fetches the hub's state as of one seq N into a STAGING replica file, built by the
 * replica's own apply, then copies its hub-derived tables over the live ones in ONE
 * transaction (cursor := N). The outbox, the console id, the hub id and the HLC stay.
 *
 * A crash while fetching leaves the live replica as it was; the staging file is deleted
 * at the next start (`discardStaging`, called when the sync engine is made) and before
 * every fetch.
 */

/** Tables filled from the hub's log: replaced by the snapshot's. Every other table is this console's own. */
export const SNAPSHOT_TABLES = [
  'events',
  'assets',
  'asset_rtree',
  'alerts',
  'alert_refs',
  'alert_assets',
  'alert_rtree',
  // alerts whose affected assets are still to be computed (decision 0029): the live engine drains them
  'affected_pending',
  'incidents',
  'units',
  'activity_log',
  'checklist_steps',
  // the console's check of the activity-log hash chain (issue 6): re-checked over the snapshot's entries
  'chain_watch',
  // supervisors' edits of the telemetry rules (decision 0034): rebuilt from their log entries
  'telemetry_rules',
] as const;

/** This console's own tables, kept through a rebuild (tests check every table is in one list). */
export const LOCAL_TABLES = [
  'meta',
  'outbox',
  'schema_migrations',
  'sqlite_sequence',
  // sensor readings (issue 9, decision 0031): not on the log, so no snapshot holds them
  'telemetry_sensors',
  'telemetry_raw',
  'telemetry_minute',
  // alerts this console's rule engine raised (issue 9, decision 0032); their rows the hub does
  // not have yet are put back into `alerts` after a swap
  'edge_alerts',
] as const;

/** An in-memory replica (tests) stages in memory too. */
const inMemory = (file: string): boolean => file === ':memory:' || file === '';

export const stagingFileOf = (replicaFile: string): string =>
  inMemory(replicaFile) ? ':memory:' : `${replicaFile}.staging`;

/** Deletes a staging replica left by a rebuild that did not finish. Returns whether there was one. */
export function discardStaging(replicaFile: string): boolean {
  if (inMemory(replicaFile)) return false;
  const staging = stagingFileOf(replicaFile);
  const found = existsSync(staging);
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${staging}${suffix}`, { force: true });
  return found;
}

export interface RebuildProgress {
  /** the seq the snapshot stands at (0 until the first page) */
  asOf: number;
  /** entries received so far */
  received: number;
}

export type RebuildOutcome =
  | { ok: true; asOf: number; entries: number; confirmed: string[]; changed: RebuildChanges }
  | { ok: false; error: AppError; stale: boolean };

/** Everything the rebuilt replica holds, for the worker to push to the renderer. */
export interface RebuildChanges {
  alerts: string[];
  assets: string[];
  response: ResponseTouched;
}

export interface RebuildOptions {
  replica: Replica;
  clock: Clock;
  /** one acked `snapshot` request */
  ask: (payload: unknown) => Promise<unknown>;
  /** false once the connection this rebuild runs on is gone (or the console is closing) */
  current: () => boolean;
  onProgress?: (progress: RebuildProgress) => void;
  pageSize?: number;
}

/** A page that breaks the protocol's promises is refused with a code before it touches anything. */
class RefusedPage extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}

/**
 * Fetches the snapshot and swaps it in. Never throws for wire trouble: the outcome says
 * what happened; `stale: true` means the connection went away and nothing is to be told.
 */
export async function rebuildFromSnapshot(options: RebuildOptions): Promise<RebuildOutcome> {
  const { replica } = options;
  const file = replica.db.name;
  discardStaging(file);
  const staging = replica.openSibling(stagingFileOf(file));
  // A throwaway file: a crash discards it anyway, so it need not survive one.
  staging.db.pragma('synchronous = OFF');
  try {
    const fetched = await fetchInto(staging, options);
    if (!fetched.ok) return fetched;
    if (!options.current()) return { ok: false, stale: true, error: notCurrent };
    const confirmed = swapIn(replica, staging, fetched.asOf, options.clock);
    return {
      ok: true,
      asOf: fetched.asOf,
      entries: fetched.entries,
      confirmed,
      changed: everything(replica),
    };
  } catch (err) {
    if (err instanceof RefusedPage) return { ok: false, stale: false, error: err.appError };
    throw err;
  } finally {
    if (staging.db.open) staging.close();
    // left behind only when the process dies; a refused or abandoned fetch starts over
    discardStaging(file);
  }
}

/** entries per staging transaction */
const APPLY_SLICE = 100;

const notCurrent: AppError = { code: 'OFFLINE', message: 'The connection closed during the snapshot.' };

async function fetchInto(
  staging: Replica,
  options: RebuildOptions,
): Promise<{ ok: true; asOf: number; entries: number } | { ok: false; error: AppError; stale: boolean }> {
  const limit = options.pageSize ?? SNAPSHOT_PAGE;
  let snapshotId: string | undefined;
  let asOf = -1;
  let after = 0;
  let entries = 0;
  const setCursor = staging.db.prepare('UPDATE meta SET cursor = ? WHERE id = 1');
  // The next page is asked for before this one is applied: the hub reads while we write.
  let prefetched: Promise<unknown> | null = null;
  for (;;) {
    let raw: unknown;
    try {
      raw = await (prefetched ?? options.ask({ ...(snapshotId ? { snapshotId } : {}), after, limit }));
      prefetched = null;
    } catch (err) {
      return options.current()
        ? {
            ok: false,
            stale: false,
            error: { code: 'TIMEOUT', message: `The hub did not answer a snapshot page (${(err as Error).message}).` },
          }
        : { ok: false, stale: true, error: notCurrent };
    }
    if (!options.current()) return { ok: false, stale: true, error: notCurrent };
    const page = SnapshotAck.safeParse(raw);
    if (!page.success) {
      const refusal = ErrorAck.safeParse(raw);
      if (refusal.success) return { ok: false, stale: false, error: refusal.data.error };
      throw new RefusedPage({
        code: 'BAD_REQUEST',
        message: `The hub sent a snapshot page this console does not understand (${page.error.issues[0]?.message ?? 'malformed'}); nothing was changed, the console will ask again.`,
      });
    }
    const p = page.data;
    checkPage(p, { snapshotId, asOf, after, limit });
    snapshotId = p.snapshotId;
    asOf = p.asOf;
    const last = p.events.at(-1)?.seq ?? after;
    if (!p.done) {
      prefetched = options.ask({ snapshotId, after: last, limit });
      // awaited on the next round; an early return leaves it unanswered, not unhandled
      prefetched.catch(() => undefined);
    }
    // Runs of consecutive seqs go through the replica's normal apply; across a gap (what
    // compaction dropped) the staging cursor is moved to just before the next run. Slices
    // of APPLY_SLICE entries per transaction, yielding between them, so that an officer's
    // action waits for one slice, not a page (as the engine's own apply does).
    for (let start = 0; start < p.events.length; start += APPLY_SLICE) {
      if (start > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!options.current()) return { ok: false, stale: true, error: notCurrent };
      }
      const slice = p.events.slice(start, start + APPLY_SLICE);
      staging.db.transaction(() => {
        for (let i = 0; i < slice.length;) {
          let j = i + 1;
          while (j < slice.length && slice[j]!.seq === slice[j - 1]!.seq + 1) j++;
          setCursor.run(slice[i]!.seq - 1);
          const r = staging.applyEvents(slice.slice(i, j));
          if (r.rejected || r.gap || r.applied !== j - i) {
            throw new RefusedPage({
              code: 'BAD_REQUEST',
              message: `Snapshot entry ${r.rejected?.seq ?? slice[i]!.seq} could not be applied (${r.rejected?.message ?? 'out of order'}); nothing was changed, the console will ask again.`,
            });
          }
          i = j;
        }
      })();
    }
    setCursor.run(p.asOf);
    entries += p.events.length;
    after = last;
    options.onProgress?.({ asOf, received: entries });
    if (p.done) return { ok: true, asOf, entries };
    // let an officer's action in between two pages
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The promises a page makes (docs/protocol.md, "snapshot"); a page that breaks one is refused. */
function checkPage(
  p: SnapshotAck,
  expected: { snapshotId: string | undefined; asOf: number; after: number; limit: number },
): void {
  const refuse = (why: string) => {
    throw new RefusedPage({
      code: 'BAD_REQUEST',
      message: `The hub sent a snapshot page that ${why}; nothing was changed, the console will ask again.`,
    });
  };
  if (expected.snapshotId !== undefined && p.snapshotId !== expected.snapshotId) refuse('belongs to another snapshot');
  if (expected.asOf >= 0 && p.asOf !== expected.asOf) refuse(`moved from seq ${expected.asOf} to ${p.asOf}`);
  if (p.events.length > expected.limit) refuse('holds more entries than asked for');
  if (!p.done && p.events.length === 0) refuse('is empty but not the last');
  let last = expected.after;
  for (const e of p.events) {
    if (e.seq <= last) refuse(`is out of order at seq ${e.seq}`);
    if (e.seq > p.asOf) refuse(`holds seq ${e.seq} beyond its own seq ${p.asOf}`);
    last = e.seq;
  }
}

/**
 * One transaction on the live replica: every hub-derived table replaced by the staging
 * one's rows (rowids kept: alert_rtree is keyed by the alerts' rowid), cursor := asOf,
 * the staging HLC merged in, and open outbox rows whose action the snapshot already holds
 * confirmed. Returns the ids of those rows.
 */
function swapIn(replica: Replica, staging: Replica, asOf: number, clock: Clock): string[] {
  const live = replica.db;
  const stagingHlc = (staging.db.prepare('SELECT hlc FROM meta WHERE id = 1').get() as { hlc: string | null }).hlc;
  const exists = live.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck();
  const copies = SNAPSHOT_TABLES.filter((table) => exists.get(table) !== undefined).map((table) => {
    const columns = (live.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).map(
      (c) => `"${c}"`,
    );
    const cols = tableKind(live, table) === 'rowid' ? ['rowid', ...columns] : columns;
    return {
      clear: live.prepare(`DELETE FROM "${table}"`),
      read: staging.db.prepare(`SELECT ${cols.join(', ')} FROM "${table}"`).raw(),
      insert: live.prepare(`INSERT INTO "${table}" (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`),
    };
  });
  const confirm = live.prepare(`UPDATE outbox
       SET state = 'confirmed', hub_seq = (SELECT max(seq) FROM events WHERE mutation_id = outbox.id), updated_at = ?
     WHERE state IN ('pending', 'sent', 'acked')
       AND id IN (SELECT mutation_id FROM events WHERE mutation_id IS NOT NULL)
     RETURNING id`);
  let confirmed: string[] = [];
  live.transaction(() => {
    for (const c of copies) {
      c.clear.run();
      for (const row of c.read.iterate() as Iterable<unknown[]>) c.insert.run(...row);
    }
    live.prepare('UPDATE meta SET cursor = ? WHERE id = 1').run(asOf);
    if (stagingHlc) {
      replica.hlc.receive(stagingHlc);
      live.prepare('UPDATE meta SET hlc = ? WHERE id = 1').run(replica.hlc.current());
    }
    confirmed = (confirm.pluck().all(toIso(clock.now())) as string[]).slice();
    // the console's own raised alerts the snapshot does not hold yet stay in the queue
    replica.edge.restoreLocalRows();
  })();
  return confirmed;
}

/** 'rowid' when the table has a hidden rowid the copy must carry (no INTEGER PRIMARY KEY naming it). */
function tableKind(db: Replica['db'], table: string): 'rowid' | 'named-key' | 'without-rowid' | 'virtual' {
  const sql = (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(table) as { sql: string }).sql;
  if (/^CREATE VIRTUAL TABLE/i.test(sql)) return 'virtual';
  if (/WITHOUT ROWID/i.test(sql)) return 'without-rowid';
  const pk = db.prepare(`SELECT type FROM pragma_table_info('${table}') WHERE pk > 0`).all() as { type: string }[];
  return pk.length === 1 && pk[0]!.type.toUpperCase() === 'INTEGER' ? 'named-key' : 'rowid';
}

function everything(replica: Replica): RebuildChanges {
  const ids = (sql: string) => replica.db.prepare(sql).pluck().all() as string[];
  const response = emptyTouched();
  for (const id of ids('SELECT id FROM incidents')) response.incidents.add(id);
  for (const id of ids('SELECT id FROM units')) response.units.add(id);
  for (const id of ids('SELECT id FROM activity_log')) response.logEntries.add(id);
  for (const key of ids(`SELECT incident_id || '/' || step_id FROM checklist_steps`)) response.steps.add(key);
  return { alerts: ids('SELECT id FROM alerts'), assets: ids('SELECT id FROM assets'), response };
}
