import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { IntegrityAlarm } from '../../shared/export';
import { GENESIS, entryHash, linkHash, type Sha256 } from '../../shared/audit/chain';

/**
 * The console's check of the hub's tamper-evident log (issue 6). Every activity-log and
 * audit entry the replica applies (`log.appended`, `audit.recorded`, in seq order) is
 * re-hashed from the payload as the hub sent it and linked to the entry before it. The first
 * break raises an integrity alarm that stays (in `chain_watch`, across restarts) until the
 * replica is rebuilt from a hub whose chain is whole.
 *
 * The first entry a replica sees is its anchor (a console that starts from a snapshot has
 * not seen the entries before it); from then on every seq must follow the one before.
 */
const sha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

export const CHAINED_EVENT_TYPES: ReadonlySet<string> = new Set(['log.appended', 'audit.recorded']);

const HEX = /^[0-9a-f]{64}$/;

export class ChainWatch {
  private last: { seq: number; chain: string } | null;
  private alarmed: IntegrityAlarm | null;
  private readonly save: Database.Statement;

  constructor(db: Database.Database) {
    const row = db.prepare('SELECT last_seq, last_chain, alarm FROM chain_watch WHERE id = 1').get() as
      { last_seq: number | null; last_chain: string | null; alarm: string | null } | undefined;
    this.last =
      row && row.last_seq !== null && row.last_chain !== null ? { seq: row.last_seq, chain: row.last_chain } : null;
    this.alarmed = row?.alarm ? (JSON.parse(row.alarm) as IntegrityAlarm) : null;
    this.save = db.prepare('UPDATE chain_watch SET last_seq = ?, last_chain = ?, alarm = ? WHERE id = 1');
  }

  /** The first break found, or null while the chain is whole. */
  alarm(): IntegrityAlarm | null {
    return this.alarmed;
  }

  /**
   * Checks one entry as the hub sent it (inside the apply transaction). Returns true when
   * this entry raised the alarm.
   */
  check(payload: Readonly<Record<string, unknown>>, at: string): boolean {
    const seq = payload['seq'];
    if (typeof seq !== 'number') return false;
    const reason = this.problem(payload, seq);
    const chain = typeof payload['chainHash'] === 'string' ? payload['chainHash'] : '';
    this.last = { seq, chain };
    let raised = false;
    if (reason && !this.alarmed) {
      this.alarmed = {
        seq,
        entryId: typeof payload['id'] === 'string' ? payload['id'] : '',
        reason,
        detectedAt: at,
      };
      raised = true;
    }
    this.save.run(this.last.seq, this.last.chain, this.alarmed ? JSON.stringify(this.alarmed) : null);
    return raised;
  }

  private problem(e: Readonly<Record<string, unknown>>, seq: number): IntegrityAlarm['reason'] | null {
    const { hash, prevHash, chainHash } = e;
    if (typeof hash !== 'string' || typeof prevHash !== 'string' || typeof chainHash !== 'string') return 'unsealed';
    if (!HEX.test(hash) || !HEX.test(prevHash) || !HEX.test(chainHash)) return 'unsealed';
    let computed: string;
    try {
      computed = entryHash(sha256, e);
    } catch {
      return 'edited';
    }
    if (computed !== hash) return 'edited';
    if (chainHash !== linkHash(sha256, prevHash, hash)) return 'edited';
    if (this.last === null) return seq === 1 && prevHash !== GENESIS ? 'relinked' : null;
    if (seq !== this.last.seq + 1) return 'missing';
    if (prevHash !== this.last.chain) return 'relinked';
    return null;
  }
}
