import type { Statement } from 'better-sqlite3';
import { USGS_SENDER, type CapDocumentVerdict, type CapIssue } from '../../shared/cap/index';
import { alertIdOf, type AlertSource } from '../../shared/domain/alert';
import type { CapAlert } from '../../shared/domain/cap';
import type { HubEvent } from '../../shared/domain/events';
import type { HubStore } from '../store/hubStore';
import type { ValidatorPool } from './pool';

/** Intake counters, served in `hub.metrics().intake` and GET /health. */
export interface IntakeCounters {
  /** documents submitted (POST, drop folder, feeds) */
  documents: number;
  /** alert.received events appended */
  alerts: number;
  /** the same message (sender, identifier, sent) seen again: counted, not appended */
  duplicates: number;
  /** entries rejected by the validator */
  rejectedEntries: number;
  /** documents that yielded no alert, by the first validator code (or HTTP refusal code) */
  rejected: Record<string, number>;
}

export const newIntakeCounters = (): IntakeCounters => ({
  documents: 0,
  alerts: 0,
  duplicates: 0,
  rejectedEntries: 0,
  rejected: {},
});

export interface IntakeOutcome {
  verdict: CapDocumentVerdict;
  /** alert ids appended now */
  stored: string[];
  /** alert ids already on the log (same sender, identifier, sent) */
  duplicates: string[];
  /** feed entries that only link to their CAP document */
  links: string[];
  /** every validator error, with the entry it concerns (null: the document) */
  issues: Array<CapIssue & { entry: number | null }>;
}

/**
 * Everything that reaches the hub as CAP goes through here: validated off the event loop
 * (ValidatorPool), deduplicated by (sender, identifier, sent) in `intake_seen`, and appended
 * as `alert.received` in the same transaction as its dedupe row. One message from two
 * feeds is one alert.
 */
export class CapIntake {
  private readonly s: { seen: Statement; record: Statement; dup: Statement; latestRevision: Statement };

  constructor(
    private readonly store: HubStore,
    private readonly pool: ValidatorPool,
    private readonly publish: (events: HubEvent[]) => void,
    readonly counters: IntakeCounters,
  ) {
    this.s = {
      seen: store.db.prepare('SELECT alert_id FROM intake_seen WHERE sender = ? AND identifier = ? AND sent = ?'),
      record: store.db.prepare(`INSERT INTO intake_seen (sender, identifier, sent, alert_id, seq, source)
        VALUES (?, ?, ?, ?, ?, ?)`),
      dup: store.db.prepare(`UPDATE intake_seen SET duplicates = duplicates + 1
        WHERE sender = ? AND identifier = ? AND sent = ?`),
      // USGS identifiers are `<event id>-<updated ms>`: a range on the primary key finds the revisions.
      latestRevision: store.db.prepare(`SELECT identifier, sent, alert_id FROM intake_seen
        WHERE sender = ? AND identifier > ? AND identifier < ? ORDER BY sent DESC LIMIT 1`),
    };
  }

  get maxBytes(): number {
    return this.pool.maxBytes;
  }

  /** Validate a document and take every accepted alert in it. */
  async submit(bytes: Uint8Array, source: AlertSource): Promise<IntakeOutcome> {
    this.counters.documents++;
    const verdict = await this.pool.validate(bytes);
    return this.take(verdict, source);
  }

  /** Append the accepted alerts of a verdict, skipping messages already on the log. */
  take(verdict: CapDocumentVerdict, source: AlertSource): IntakeOutcome {
    const alerts: CapAlert[] = [];
    const links: string[] = [];
    const issues: IntakeOutcome['issues'] = verdict.errors.map((e) => ({ ...e, entry: null }));
    for (const entry of verdict.entries) {
      if (entry.accepted && entry.alert) alerts.push(entry.alert);
      else if (entry.accepted && entry.link) links.push(entry.link);
      if (!entry.accepted) this.counters.rejectedEntries++;
      for (const e of entry.errors) issues.push({ ...e, entry: entry.index });
    }
    const stored: string[] = [];
    const duplicates: string[] = [];
    const appended = this.store.transaction(() => {
      const out: HubEvent[] = [];
      for (const received of alerts) {
        let cap = received;
        const alertId = alertIdOf(cap);
        const seen = this.s.seen.get(cap.sender, cap.identifier, cap.sent) as { alert_id: string } | undefined;
        if (seen) {
          this.s.dup.run(cap.sender, cap.identifier, cap.sent);
          duplicates.push(seen.alert_id);
          continue;
        }
        const revision = this.usgsRevision(cap);
        if (revision === 'stale') {
          duplicates.push(alertId);
          continue;
        }
        if (revision) cap = revision;
        const [event] = this.store.append([{ type: 'alert.received', payload: { alertId, cap, source } }]);
        this.s.record.run(cap.sender, cap.identifier, cap.sent, alertId, event!.seq, JSON.stringify(source));
        stored.push(alertId);
        out.push(event!);
      }
      return out;
    });
    this.counters.alerts += stored.length;
    this.counters.duplicates += duplicates.length;
    if (stored.length + duplicates.length + links.length === 0) {
      const code = issues[0]?.code ?? 'NO_ALERT';
      this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1;
    }
    this.publish(appended);
    return { verdict, stored, duplicates, links, issues };
  }

  /**
   * A USGS event is revised under a new identifier (`<id>-<updated>`, shared/cap/usgs.ts).
   * The hub keeps the newest: a newer revision becomes an Update referencing the latest one
   * on the log (so consoles supersede it); an older one arriving late is stale (counted as a
   * duplicate, not appended).
   */
  private usgsRevision(cap: CapAlert): CapAlert | 'stale' | null {
    if (cap.sender !== USGS_SENDER || !cap.incidents) return null;
    const base = cap.identifier.replace(/-\d+$/, '');
    if (base === cap.identifier) return null;
    const prev = this.s.latestRevision.get(cap.sender, `${base}-`, `${base}.`) as
      { identifier: string; sent: string } | undefined;
    if (!prev) return null;
    if (Date.parse(prev.sent) >= Date.parse(cap.sent)) return 'stale';
    return {
      ...cap,
      msgType: 'Update',
      references: [{ sender: cap.sender, identifier: prev.identifier, sent: prev.sent }],
    };
  }
}
