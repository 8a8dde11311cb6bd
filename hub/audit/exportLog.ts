import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { GENESIS, type ChainStart } from '../../shared/audit/chain';
import type { ActivityLogEntry } from '../../shared/domain/activityLog';
import { WatchfloorError } from '../../shared/errors';
import { writePdf214, type Pdf214People } from './pdf214';

/**
 * Streams the hub's ICS 214 activity log as JSON, CSV or PDF (issue 6), to a file or to any
 * writable (the hub's GET /export answers with one). Rows are read one at a time in one
 * read transaction (a consistent snapshot while the hub keeps writing) and written in
 * ~64 KiB chunks that wait for the sink to drain, so memory stays flat whatever the size.
 * A file appears under its name only when complete.
 */
export const EXPORT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFilter {
  readonly incidentId?: string | undefined;
  /** ISO 8601; a time range selects the run of seqs from the first entry at or after `from` to the last at or before `to` */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface StreamOptions extends ExportFilter {
  readonly hubData: string;
  readonly format: ExportFormat;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((written: number, total: number) => void) | undefined;
  /** called once the entries are counted, before the first byte is written (the HTTP route sends headers then) */
  readonly onStart?: ((info: ExportStart) => void) | undefined;
  readonly now?: () => string;
  /** who the PDF names as its preparer and home agency (the CLI's flags, the supervisor's token) */
  readonly people?: Pdf214People | undefined;
}

export interface ExportOptions extends StreamOptions {
  readonly out: string;
}

export interface ExportStart {
  readonly entries: number;
  /** PDF only: the pages it will have */
  readonly pages?: number;
}

export interface ExportSummary {
  readonly entries: number;
  readonly head: string;
  readonly contiguous: boolean;
  readonly start: ChainStart;
  readonly pages?: number;
}

export const EXPORT_FORMAT = 'watchfloor.activity-log';

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

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

/** Writes to a file: `<out>.partial`, renamed to `out` when complete, removed on failure or cancel. */
export async function exportLog(options: ExportOptions): Promise<ExportSummary> {
  const partial = `${options.out}.partial`;
  const out = createWriteStream(partial);
  try {
    const summary = await streamExport(out, options);
    renameSync(partial, options.out);
    return summary;
  } catch (err) {
    out.destroy();
    rmSync(partial, { force: true });
    throw err;
  }
}

/** The log rows a filter selects, in seq order, inside one read transaction. */
export interface LogSelection {
  readonly db: Database.Database;
  readonly lo: number;
  readonly hi: number;
  readonly total: number;
  /** each entry, parsed, with the JSON text the hub stored */
  rows(): IterableIterator<{ readonly entry: ActivityLogEntry; readonly doc: string }>;
  close(): void;
}

export function selectLog(hubData: string, filter: ExportFilter): LogSelection {
  const db = new Database(join(hubData, 'hub.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'activity_log'").get();
    if (!hasLog)
      throw new WatchfloorError('NOT_FOUND', `${hubData} holds no activity log (a hub store before schema 4).`);
    db.exec('BEGIN');
    const { lo, hi } = seqRange(db, filter);
    const where = filter.incidentId !== undefined ? 'incident_id = ? AND seq BETWEEN ? AND ?' : 'seq BETWEEN ? AND ?';
    const params = filter.incidentId !== undefined ? [filter.incidentId, lo, hi] : [lo, hi];
    const total = (db.prepare(`SELECT count(*) AS n FROM activity_log WHERE ${where}`).get(...params) as { n: number })
      .n;
    const select = db.prepare(`SELECT doc FROM activity_log WHERE ${where} ORDER BY seq`).pluck();
    return {
      db,
      lo,
      hi,
      total,
      *rows() {
        for (const doc of select.iterate(...params) as IterableIterator<string>) {
          const entry = JSON.parse(doc) as ActivityLogEntry;
          if (!entry.hash || !entry.prevHash || !entry.chainHash)
            throw new WatchfloorError(
              'INTERNAL',
              `Log entry ${entry.seq} has no chain hashes; open the store with this hub once.`,
            );
          yield { entry, doc };
        }
      },
      close() {
        if (db.inTransaction) db.exec('COMMIT');
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Writes the export to `sink` and ends it; the caller destroys the sink if this throws. */
export async function streamExport(sink: Writable, options: StreamOptions): Promise<ExportSummary> {
  const selection = selectLog(options.hubData, options);
  try {
    if (options.format === 'pdf') {
      const summary = await writePdf214(sink, selection, options);
      await finish(sink);
      return summary;
    }
    options.onStart?.({ entries: selection.total });
    const summary = await writeText(sink, selection, options);
    await finish(sink);
    return summary;
  } finally {
    selection.close();
  }
}

async function finish(sink: Writable): Promise<void> {
  if (sink.writableFinished) return;
  const done = once(sink, 'finish');
  sink.end();
  await done;
}

/** Waits for the sink to drain when its buffer is full (the backpressure of every format). */
export async function drained(sink: Writable, signal?: AbortSignal): Promise<void> {
  if (!sink.writableNeedDrain) return;
  await once(sink, 'drain', signal ? { signal } : {});
}

async function writeText(sink: Writable, selection: LogSelection, options: StreamOptions): Promise<ExportSummary> {
  let buffer = '';
  const flush = async (force = false): Promise<void> => {
    if (buffer.length < CHUNK && !force) return;
    const chunk = buffer;
    buffer = '';
    sink.write(chunk, 'utf8');
    await drained(sink, options.signal);
  };
  const filter = {
    incidentId: options.incidentId ?? null,
    from: options.from ?? null,
    to: options.to ?? null,
  };
  const contiguous = options.incidentId === undefined;
  if (options.format === 'csv') buffer += `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
  else
    buffer += `{"format":"${EXPORT_FORMAT}","version":1,"exportedAt":${JSON.stringify(
      (options.now ?? (() => new Date().toISOString()))(),
    )},"filter":${JSON.stringify(filter)},"entries":[\n`;

  let written = 0;
  let start: ChainStart = { seq: selection.lo, prevHash: GENESIS };
  let head = GENESIS;
  for (const { entry, doc } of selection.rows()) {
    options.signal?.throwIfAborted();
    if (written === 0) start = { seq: entry.seq, prevHash: entry.prevHash! };
    head = entry.chainHash!;
    if (options.format === 'csv') buffer += `${CSV_COLUMNS.map((c) => csvField(entry[c])).join(',')}\r\n`;
    else buffer += `${written === 0 ? '' : ',\n'}${doc}`;
    written += 1;
    await flush();
    if (written % 10_000 === 0) options.onProgress?.(written, selection.total);
  }
  if (options.format === 'json')
    buffer += `\n],"chain":${JSON.stringify({ genesis: GENESIS, start, head, entries: written, contiguous })}}\n`;
  await flush(true);
  options.onProgress?.(written, selection.total);
  return { entries: written, head, contiguous, start };
}

/** The seqs a filter covers; a time range maps to the run of seqs between its first and last entry. */
function seqRange(db: Database.Database, o: ExportFilter): { lo: number; hi: number } {
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
