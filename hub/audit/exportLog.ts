import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS, type ChainStart } from '../../shared/audit/chain';
import type { ActivityLogEntry } from '../../shared/domain/activityLog';
import { WatchfloorError } from '../../shared/errors';

/**
 * Streams the hub's ICS 214 activity log to a JSON or CSV file (issue 6). Rows are read
 * one at a time in one read transaction (a consistent snapshot while the hub keeps
 * writing) and written in ~64 KiB chunks that wait for the file stream to drain, so
 * memory stays flat whatever the size. The file appears under its name only when complete.
 */
export interface ExportOptions {
  readonly hubData: string;
  readonly format: 'json' | 'csv';
  readonly out: string;
  readonly incidentId?: string | undefined;
  /** ISO 8601; a time range selects the run of seqs from the first entry at or after `from` to the last at or before `to` */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((written: number, total: number) => void) | undefined;
  readonly now?: () => string;
}

export interface ExportSummary {
  readonly entries: number;
  readonly head: string;
  readonly contiguous: boolean;
  readonly start: ChainStart;
}

export const EXPORT_FORMAT = 'watchfloor.activity-log';

/** CSV columns, in order: every field of an entry. */
export const CSV_COLUMNS = [
  'seq',
  'at',
  'incidentId',
  'operationalPeriod',
  'author',
  'position',
  'kind',
  'action',
  'corrects',
  'text',
  'id',
  'hash',
  'prevHash',
  'chainHash',
] as const satisfies readonly (keyof ActivityLogEntry)[];

/** RFC 4180: a field with a quote, comma, CR or LF is quoted, quotes doubled. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const CHUNK = 64 * 1024;

export async function exportLog(options: ExportOptions): Promise<ExportSummary> {
  const db = new Database(join(options.hubData, 'hub.sqlite'), { readonly: true, fileMustExist: true });
  const partial = `${options.out}.partial`;
  const out = createWriteStream(partial, { encoding: 'utf8' });
  let buffer = '';
  const flush = async (force = false): Promise<void> => {
    if (buffer.length < CHUNK && !force) return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'activity_log'").get();
    if (!hasLog)
      throw new WatchfloorError('NOT_FOUND', `${options.hubData} holds no activity log (a hub store before schema 4).`);
    db.exec('BEGIN');
    const { lo, hi } = seqRange(db, options);
    const where = options.incidentId !== undefined ? 'incident_id = ? AND seq BETWEEN ? AND ?' : 'seq BETWEEN ? AND ?';
    const params = options.incidentId !== undefined ? [options.incidentId, lo, hi] : [lo, hi];
    const total = (db.prepare(`SELECT count(*) AS n FROM activity_log WHERE ${where}`).get(...params) as { n: number })
      .n;
    const rows = db
      .prepare(`SELECT doc FROM activity_log WHERE ${where} ORDER BY seq`)
      .pluck()
      .iterate(...params);
    const contiguous = options.incidentId === undefined;
    const filter = {
      incidentId: options.incidentId ?? null,
      from: options.from ?? null,
      to: options.to ?? null,
    };

    if (options.format === 'csv') buffer += `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
    else
      buffer += `{"format":"${EXPORT_FORMAT}","version":1,"exportedAt":${JSON.stringify(
        (options.now ?? (() => new Date().toISOString()))(),
      )},"filter":${JSON.stringify(filter)},"entries":[\n`;

    let written = 0;
    let start: ChainStart = { seq: lo, prevHash: GENESIS };
    let head = GENESIS;
    for (const doc of rows as IterableIterator<string>) {
      options.signal?.throwIfAborted();
      const entry = JSON.parse(doc) as ActivityLogEntry;
      if (!entry.hash || !entry.prevHash || !entry.chainHash)
        throw new WatchfloorError(
          'INTERNAL',
          `Log entry ${entry.seq} has no chain hashes; open the store with this hub once.`,
        );
      if (written === 0) start = { seq: entry.seq, prevHash: entry.prevHash };
      head = entry.chainHash;
      if (options.format === 'csv') buffer += `${CSV_COLUMNS.map((c) => csvField(entry[c])).join(',')}\r\n`;
      else buffer += `${written === 0 ? '' : ',\n'}${doc}`;
      written += 1;
      await flush();
      if (written % 10_000 === 0) options.onProgress?.(written, total);
    }
    db.exec('COMMIT');
    if (options.format === 'json')
      buffer += `\n],"chain":${JSON.stringify({ genesis: GENESIS, start, head, entries: written, contiguous })}}\n`;
    await flush(true);
    out.end();
    await once(out, 'finish');
    renameSync(partial, options.out);
    options.onProgress?.(written, total);
    return { entries: written, head, contiguous, start };
  } catch (err) {
    out.destroy();
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
}

/** The seqs a filter covers; a time range maps to the run of seqs between its first and last entry. */
function seqRange(db: Database.Database, o: ExportOptions): { lo: number; hi: number } {
  const at = "json_extract(doc, '$.at')";
  const lo =
    o.from !== undefined
      ? (db.prepare(`SELECT min(seq) FROM activity_log WHERE ${at} >= ?`).pluck().get(o.from) as number | null)
      : 1;
  const hi =
    o.to !== undefined
      ? (db.prepare(`SELECT max(seq) FROM activity_log WHERE ${at} <= ?`).pluck().get(o.to) as number | null)
      : Number.MAX_SAFE_INTEGER;
  return lo === null || hi === null ? { lo: 1, hi: 0 } : { lo, hi };
}
