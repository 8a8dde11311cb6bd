import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openReplicaDb, REPLICA_KEY_BYTES } from '../main/replica/db';
import { tempDir, type BenchContext } from './harness';
import type { Figure } from './report';

/**
 * What encryption at rest costs (issue 7, decision 0025): 1 M upserts into a replica-shaped
 * table, in batches of 1000 per transaction, through the replica's own open path
 * (better-sqlite3-multiple-ciphers, WAL, synchronous NORMAL), plain and encrypted, with
 * SQLite's default page cache (2 MB), the replica's 64 MB and 256 MB.
 *
 * Ids repeat (1 M upserts over 750 k ids, in a scattered order), so a quarter are updates
 * and the B-tree is written all over: every page that leaves the cache is encrypted on
 * write and decrypted on the next read, which is where a larger cache pays.
 */

const BATCH = 1000;
const DISTINCT_IDS = 0.75;

/** cache_size in KiB: SQLite's default (-2000), the replica's, and 256 MB. */
export const CACHE_SIZES_KIB = [2000, 65536, 262144] as const;

/** Upserts per second of wall time, and per second of this process's CPU time (steadier on a shared machine). */
function upsertRate(rows: number, cacheKiB: number, encrypted: boolean): { wall: number; cpu: number } {
  const dir = tempDir('enc');
  try {
    const db = openReplicaDb({
      file: join(dir.path, 'replica.sqlite'),
      migrations: [],
      cacheKiB,
      ...(encrypted ? { key: randomBytes(REPLICA_KEY_BYTES) } : {}),
    });
    db.exec(
      'CREATE TABLE t (id TEXT PRIMARY KEY, severity INTEGER NOT NULL, sent TEXT NOT NULL, doc TEXT NOT NULL) STRICT',
    );
    const upsert = db.prepare(
      'INSERT INTO t (id, severity, sent, doc) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, sent = excluded.sent, doc = excluded.doc',
    );
    const distinct = Math.max(1, Math.floor(rows * DISTINCT_IDS));
    const doc = JSON.stringify({ headline: 'Flood warning for the river district', area: 'x'.repeat(160) });
    const write = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        // A multiplicative step scatters the ids over the key space (7919 is prime, so no cycles short of `distinct`).
        const n = (i * 7919) % distinct;
        upsert.run(`alert-${n.toString(36).padStart(6, '0')}`, i % 4, '2026-11-28T21:00:00Z', doc);
      }
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < rows; i += BATCH) write(i, Math.min(rows, i + BATCH));
    const cpu = process.cpuUsage(cpu0);
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    return { wall: rows / seconds, cpu: rows / ((cpu.user + cpu.system) / 1e6) };
  } finally {
    dir.remove();
  }
}

const cacheName = (kib: number): string => (kib === 2000 ? 'default-2MB' : `${Math.round(kib / 1024)}MB`);

export async function encryption(ctx: BenchContext): Promise<Figure[]> {
  // Sized to the run's 10-minute limit (issue 8): six passes of this many upserts; the ratios are
  // plain and encrypted back to back at the same size (issue 7's 1 000 000-row figures: FINDINGS.md).
  const rows = ctx.quick ? 10_000 : 150_000;
  const figures: Figure[] = [];
  let plainDefault = { wall: NaN, cpu: NaN };
  for (const cacheKiB of CACHE_SIZES_KIB) {
    // Plain and encrypted back to back, so both see the same load on a shared machine.
    const plain = upsertRate(rows, cacheKiB, false);
    const encrypted = upsertRate(rows, cacheKiB, true);
    if (cacheKiB === 2000) plainDefault = plain;
    const name = cacheName(cacheKiB);
    for (const clock of ['wall', 'cpu'] as const) {
      const unit = clock === 'wall' ? 'upserts/s' : 'upserts/CPU-s';
      const suffix = clock === 'wall' ? '' : '.cpu';
      figures.push({ name: `encryption.plain.${name}${suffix}`, value: plain[clock], unit });
      figures.push({
        name: `encryption.encrypted.${name}${suffix}`,
        value: encrypted[clock],
        unit,
        limit: plain[clock],
        ratio: encrypted[clock] / plain[clock],
      });
    }
    ctx.note(
      `encryption, cache ${name}, ${rows.toLocaleString('en')} upserts: encrypted ${(encrypted.wall / plain.wall).toFixed(2)}× plain ` +
        `with the same cache, ${(encrypted.wall / plainDefault.wall).toFixed(2)}× plain with the default cache (wall time); ` +
        `${(encrypted.cpu / plain.cpu).toFixed(2)}× and ${(encrypted.cpu / plainDefault.cpu).toFixed(2)}× per CPU-second.`,
    );
  }
  return figures;
}
