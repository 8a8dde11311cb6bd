import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/**
 * The fault suite's verdicts. A console's replica log is compared with the hub's entry by
 * entry (seq and a hash of the whole entry); officer actions are looked up on the hub by
 * mutation id and by the unique marker each carries.
 */

export interface Entry {
  seq: number;
  type: string;
  at: string;
  mutationId: string | null;
  payload: unknown;
}

/** JSON with keys sorted, so the same entry hashes the same on both sides. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** [seq, hash of the entry] */
export type EntryHash = [number, string];

export const hashEntry = (e: Entry): EntryHash => [
  e.seq,
  createHash('sha1')
    .update(canonical({ seq: e.seq, type: e.type, at: e.at, mutationId: e.mutationId, payload: e.payload }))
    .digest('base64'),
];

/**
 * The hub's store, read-only from outside the hub process (WAL: readers never block its writer).
 * Entries below the log's tail (retention, issue 5) live on in `snapshot_base` when they still
 * count for the state; both tables are read as one log.
 */
export class HubLog {
  private readonly db: Database.Database;
  private readonly log: string;
  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    const base = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_base'").get();
    this.log = base
      ? '(SELECT seq, type, at, mutation_id, payload FROM events UNION ALL SELECT seq, type, at, mutation_id, payload FROM snapshot_base)'
      : 'events';
  }

  head(): number {
    return (this.db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null }).s ?? 0;
  }

  /** The oldest seq the hub still keeps in full. */
  tail(): number {
    const row = this.db.prepare("SELECT value FROM hub_meta WHERE key = 'tail'").get() as { value: string } | undefined;
    return Number(row?.value ?? '1');
  }

  hashes(after: number, upTo: number): Map<number, string> {
    const rows = this.db
      .prepare(`SELECT seq, type, at, mutation_id, payload FROM ${this.log} WHERE seq > ? AND seq <= ? ORDER BY seq`)
      .all(after, upTo) as Array<{
      seq: number;
      type: string;
      at: string;
      mutation_id: string | null;
      payload: string;
    }>;
    return new Map(
      rows.map((r) =>
        hashEntry({ seq: r.seq, type: r.type, at: r.at, mutationId: r.mutation_id, payload: JSON.parse(r.payload) }),
      ),
    );
  }

  /** The hub's answer to a mutation id, and the seqs of the entries it appended. */
  mutation(id: string): { ok: boolean; code: string | null; seqs: number[] } | null {
    const row = this.db.prepare('SELECT answer FROM mutations WHERE id = ?').get(id) as { answer: string } | undefined;
    if (!row) return null;
    const answer = JSON.parse(row.answer) as { ok: boolean; error?: { code: string } };
    const seqs = (
      this.db.prepare(`SELECT seq FROM ${this.log} WHERE mutation_id = ? ORDER BY seq`).all(id) as { seq: number }[]
    ).map((r) => r.seq);
    return { ok: answer.ok, code: answer.error?.code ?? null, seqs };
  }

  /** Mutation ids of the entries of `type` whose payload carries `marker` (plain text, '#'-terminated). */
  carriers(marker: string, type: string): Set<string | null> {
    const rows = this.db
      .prepare(`SELECT mutation_id FROM ${this.log} WHERE type = ? AND instr(payload, ?) > 0`)
      .all(type, marker) as {
      mutation_id: string | null;
    }[];
    return new Set(rows.map((r) => r.mutation_id));
  }

  close(): void {
    this.db.close();
  }
}

export interface LogVerdict {
  /** entries the console should hold (between its first and last) and does not */
  lost: number;
  /** entries the console holds twice */
  doubled: number;
  /** entries that differ from the hub's, or that the hub does not have */
  different: number;
  first: number | null;
  last: number | null;
}

/**
 * The console's log against the hub's over the range the console holds, from its first entry
 * to its last (its cursor): every entry the hub has there, the console has once and equal.
 * Below the hub's tail the hub keeps only what still counts (snapshot_base); an entry the
 * console holds there and the hub dropped cannot be compared and is skipped.
 */
export function compareLog(console: readonly EntryHash[], hub: HubLog): LogVerdict {
  const verdict: LogVerdict = { lost: 0, doubled: 0, different: 0, first: null, last: null };
  if (console.length === 0) return verdict;
  const first = console[0]![0];
  const last = console.at(-1)![0];
  verdict.first = first;
  verdict.last = last;
  const theirs = hub.hashes(first - 1, last);
  const tail = hub.tail();
  const mine = new Map<number, string>();
  for (const [seq, hash] of console) {
    if (mine.has(seq)) verdict.doubled++;
    else mine.set(seq, hash);
  }
  for (let seq = first; seq <= last; seq++) {
    const a = mine.get(seq);
    const b = theirs.get(seq);
    if (a === undefined) {
      if (b !== undefined || seq >= tail) verdict.lost++;
    } else if (b === undefined) {
      if (seq >= tail) verdict.different++;
    } else if (a !== b) verdict.different++;
  }
  return verdict;
}

/** The entry type that carries an action's marker: one entry per action, never another action's. */
const MARKED_EVENT: Record<string, string> = {
  appendLog: 'log.appended',
  setChecklistStep: 'checklist.stepSet',
  openIncident: 'incident.opened',
};

export interface WrittenAction {
  mutationId: string;
  type: string;
  marker: string;
  console: string;
}

/**
 * Every action a console answered (written to its outbox) and every action it showed as
 * confirmed, checked on the hub once everything has converged.
 */
export class Ledger {
  readonly written = new Map<string, WrittenAction>();
  readonly confirmed = new Set<string>();
  readonly refused = new Map<string, string>();

  verify(
    hub: HubLog,
    openOutbox: (mutationId: string) => boolean,
  ): { lost: number; doubled: number; refused: number; problems: string[] } {
    let lost = 0;
    let doubled = 0;
    const problems: string[] = [];
    const ids = new Set([...this.written.keys(), ...this.confirmed]);
    for (const id of ids) {
      const w = this.written.get(id);
      const decided = hub.mutation(id);
      if (!decided) {
        if (openOutbox(id)) problems.push(`${id} (${w?.type ?? 'confirmed'}) is still in its console's outbox`);
        else {
          lost++;
          problems.push(
            `LOST: ${id} (${w?.type ?? '?'}${this.confirmed.has(id) ? ', shown as confirmed' : ''}) is not on the hub`,
          );
        }
        continue;
      }
      if (!decided.ok) {
        if (this.confirmed.has(id)) {
          lost++;
          problems.push(`LOST: ${id} was shown as confirmed but the hub refused it (${decided.code})`);
        }
        continue;
      }
      if (decided.seqs.length === 0) {
        lost++;
        problems.push(`LOST: ${id} accepted but no entry carries it`);
      } else if (decided.seqs.at(-1)! - decided.seqs[0]! !== decided.seqs.length - 1) {
        doubled++;
        problems.push(`DOUBLED: ${id} has entries in more than one append (${decided.seqs.join(',')})`);
      }
      const markedType = w?.marker ? MARKED_EVENT[w.type] : undefined;
      if (w?.marker && markedType) {
        const carriers = hub.carriers(w.marker, markedType);
        carriers.delete(id);
        if (carriers.size > 0) {
          doubled++;
          problems.push(`DOUBLED: "${w.marker}" also carried by ${[...carriers].join(', ')}`);
        }
      }
    }
    return { lost, doubled, refused: this.refused.size, problems };
  }
}
