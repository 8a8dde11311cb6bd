import { openReadOnly } from '../../main/replica/db';
import { SNAPSHOT_TABLES } from '../../main/replica/snapshot';

/**
 * Opened with the replica's own driver (better-sqlite3-multiple-ciphers): two SQLite builds in
 * one process must not open the same file, their POSIX locks would trample each other.
 */
export const openReplicaFile = (file: string) => openReadOnly(file);

/**
 * The state tables of a replica file, row for row, for comparing two consoles (issue 5).
 * Internal integer keys (an asset's rid, an alert's rowid) depend on the order rows were
 * first written, so rows keyed by them are dumped with the ids they stand for instead.
 * `events` is left out: a rebuilt replica holds only the entries that still shape the
 * state (decision 0016); `eventsOf` reads it for the checks that need it.
 */
export type ReplicaDump = Record<string, unknown[]>;

export function dumpReplica(file: string): ReplicaDump {
  const db = openReplicaFile(file);
  try {
    const has = (t: string) =>
      db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t) !== undefined;
    const columns = (t: string) => db.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[];
    const all = (sql: string) => db.prepare(sql).all();
    const out: ReplicaDump = {};
    for (const table of SNAPSHOT_TABLES) {
      if (table === 'events' || !has(table)) continue;
      switch (table) {
        case 'assets':
          out[table] = all(
            `SELECT ${columns('assets')
              .filter((c) => c !== 'rid')
              .join(', ')} FROM assets ORDER BY id`,
          );
          break;
        case 'asset_rtree':
          out[table] = all(`SELECT a.id, r.min_lat, r.max_lat, r.min_lon, r.max_lon
            FROM asset_rtree r JOIN assets a ON a.rid = r.rid ORDER BY a.id`);
          break;
        case 'alert_rtree':
          out[table] = all(`SELECT a.id, r.min_lat, r.max_lat, r.min_lon, r.max_lon
            FROM alert_rtree r JOIN alerts a ON a.rowid = r.rid ORDER BY a.id`);
          break;
        case 'alert_assets':
          out[table] = columns('alert_assets').includes('alert_rid')
            ? all(`SELECT al.id AS alert_id, s.id AS asset_id FROM alert_assets x
                JOIN alerts al ON al.rowid = x.alert_rid JOIN assets s ON s.rid = x.asset_rid ORDER BY 1, 2`)
            : all('SELECT alert_id, asset_id FROM alert_assets ORDER BY 1, 2');
          break;
        case 'affected_pending':
          out[table] = all(`SELECT a.id FROM affected_pending p JOIN alerts a ON a.rowid = p.alert_rid ORDER BY 1`);
          break;
        default: {
          const cols = columns(table);
          out[table] = all(`SELECT * FROM "${table}" ORDER BY ${cols.map((_, i) => i + 1).join(', ')}`);
        }
      }
    }
    return out;
  } finally {
    db.close();
  }
}

export interface EventRow {
  seq: number;
  type: string;
  at: string;
  mutation_id: string | null;
  payload: string;
}

export function eventsOf(file: string): EventRow[] {
  const db = openReplicaFile(file);
  try {
    return db.prepare('SELECT seq, type, at, mutation_id, payload FROM events ORDER BY seq').all() as EventRow[];
  } finally {
    db.close();
  }
}

export function metaOf(file: string): { cursor: number; hub_id: string | null; console_id: string | null } {
  const db = openReplicaFile(file);
  try {
    return db.prepare('SELECT cursor, hub_id, console_id FROM meta WHERE id = 1').get() as {
      cursor: number;
      hub_id: string | null;
      console_id: string | null;
    };
  } finally {
    db.close();
  }
}

export function outboxOf(file: string): { id: string; type: string; state: string; hub_seq: number | null }[] {
  const db = openReplicaFile(file);
  try {
    return db.prepare('SELECT id, type, state, hub_seq FROM outbox ORDER BY ord').all() as {
      id: string;
      type: string;
      state: string;
      hub_seq: number | null;
    }[];
  } finally {
    db.close();
  }
}
