import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The raw limit for ingest: how many rows/s plain better-sqlite3 upserts on this machine,
 * in batches in one transaction each, with the same row shape and PRAGMAs as the replica.
 * Everything Watchfloor adds (parsing, validation, events log, IPC) is measured against it.
 */
export function rawUpsertRate(
  rows: ReadonlyArray<{ id: string; doc: string; severity: number; sent: string }>,
  batch = 500,
): number {
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-raw-'));
  try {
    const db = new Database(join(dir, 'raw.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'CREATE TABLE t (id TEXT PRIMARY KEY, severity INTEGER NOT NULL, sent TEXT NOT NULL, doc TEXT NOT NULL) STRICT',
    );
    const upsert = db.prepare(
      'INSERT INTO t (id, severity, sent, doc) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, sent = excluded.sent, doc = excluded.doc',
    );
    const write = db.transaction((slice: typeof rows) => {
      for (const r of slice) upsert.run(r.id, r.severity, r.sent, r.doc);
    });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += batch) write(rows.slice(i, i + batch));
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    return rows.length / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
