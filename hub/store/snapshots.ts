import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { HubEvent } from '../../shared/domain/events';
import { newId } from '../../shared/ids';
import { eventFromRow, type EventRow } from './eventRow';

/**
 * Snapshots for consoles further behind than the log keeps (issue 5, decision 0016).
 *
 * A snapshot as of N is every entry that still shapes the state up to N: the rows
 * compaction kept in `snapshot_base` (seq < tail) followed by the log itself (tail..N),
 * in seq order. A console applies them through its normal apply, so it ends with the
 * same state as one that applied the whole log.
 *
 * Pages of one snapshot are read from ONE read transaction on a connection of its own
 * (WAL gives it a fixed view of the file), so appends and compactions that happen while
 * a console fetches cannot tear it. An idle snapshot is closed after `idleMs`; its next
 * page is then refused and the console starts over.
 */
export interface SnapshotPage {
  snapshotId: string;
  asOf: number;
  tail: number;
  events: HubEvent[];
  done: boolean;
}

interface Open {
  db: Db;
  page: Statement<[number, number, number, number, number], EventRow>;
  asOf: number;
  tail: number;
  /** for evicting the least recently used one */
  lastUsed: number;
  timer: ReturnType<typeof setTimeout>;
}

export class SnapshotDesk {
  private readonly open = new Map<string, Open>();
  /** a use counter, not the clock: two pages in the same millisecond still have an order */
  private uses = 0;

  constructor(
    private readonly file: string,
    private readonly options: { idleMs?: number; maxOpen?: number } = {},
  ) {}

  /** Starts a snapshot as of the current head; returns its first page. */
  begin(limit: number): SnapshotPage {
    if (this.open.size >= (this.options.maxOpen ?? 8)) this.evictOldest();
    const db = new Database(this.file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      // BEGIN is deferred: the first read below pins the view every later page sees.
      db.exec('BEGIN');
      const tail = Number(
        (db.prepare("SELECT value FROM hub_meta WHERE key = 'tail'").get() as { value: string } | undefined)?.value ??
          '1',
      );
      const max = (db.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number | null }).seq;
      const asOf = max ?? tail - 1;
      const page = db.prepare<[number, number, number, number, number], EventRow>(
        `SELECT seq, type, at, mutation_id, payload FROM snapshot_base WHERE seq > ? AND seq <= ?
         UNION ALL
         SELECT seq, type, at, mutation_id, payload FROM events WHERE seq > ? AND seq <= ?
         ORDER BY seq LIMIT ?`,
      );
      const id = newId();
      const entry: Open = { db, page, asOf, tail, lastUsed: ++this.uses, timer: this.idleTimer(id) };
      this.open.set(id, entry);
      return this.read(id, entry, 0, limit);
    } catch (err) {
      if (db.open) db.close();
      throw err;
    }
  }

  /** The next page of an open snapshot, or null when it is unknown (expired, evicted, hub restarted). */
  next(snapshotId: string, after: number, limit: number): SnapshotPage | null {
    const entry = this.open.get(snapshotId);
    if (!entry) return null;
    clearTimeout(entry.timer);
    entry.timer = this.idleTimer(snapshotId);
    return this.read(snapshotId, entry, after, limit);
  }

  openCount(): number {
    return this.open.size;
  }

  close(): void {
    for (const id of [...this.open.keys()]) this.end(id);
  }

  private read(id: string, entry: Open, after: number, limit: number): SnapshotPage {
    entry.lastUsed = ++this.uses;
    const rows = entry.page.all(after, entry.asOf, after, entry.asOf, limit + 1);
    const done = rows.length <= limit;
    const events = rows.slice(0, limit).map(eventFromRow);
    const page: SnapshotPage = { snapshotId: id, asOf: entry.asOf, tail: entry.tail, events, done };
    if (done) this.end(id);
    return page;
  }

  private idleTimer(id: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.end(id), this.options.idleMs ?? 60_000);
    timer.unref();
    return timer;
  }

  private evictOldest(): void {
    let oldest: [string, number] | null = null;
    for (const [id, e] of this.open) if (!oldest || e.lastUsed < oldest[1]) oldest = [id, e.lastUsed];
    if (oldest) this.end(oldest[0]);
  }

  private end(id: string): void {
    const entry = this.open.get(id);
    if (!entry) return;
    this.open.delete(id);
    clearTimeout(entry.timer);
    if (entry.db.open) {
      try {
        entry.db.exec('COMMIT');
      } catch {
        // nothing was written; closing ends the read transaction anyway
      }
      entry.db.close();
    }
  }
}
