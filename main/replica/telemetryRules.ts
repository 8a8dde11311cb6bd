import type { Database as Db, Statement } from 'better-sqlite3';
import type { HubEvent } from '../../shared/domain/events';
import type { MutationPayload } from '../../shared/domain/mutations';
import type { Role } from '../../shared/domain/officer';
import { WatchfloorError } from '../../shared/errors';
import { checkRuleSet, ruleSetKey, ruleSetLabel, type RuleEdit } from '../../shared/telemetry/rules/edits';
import { RuleSet } from '../../shared/telemetry/rules/schema';

type Enqueue = (type: 'telemetry.rules.set', payload: MutationPayload<'telemetry.rules.set'>) => { id: string };
type RulesChangedEvent = Extract<HubEvent, { type: 'telemetry.rules.changed' }>;

/** The outbox target of an edit: one per rule set, so the overlay and refusals name it. */
export const telemetryRulesTarget = (r: { assetKind: string; namePrefix?: string | undefined }): string =>
  `telemetryRules:${ruleSetKey(r)}`;

/**
 * Supervisors' edits of the telemetry rules in the replica (schema 11, decision 0034):
 * the hub's `telemetry.rules.changed` entries folded into `telemetry_rules` (the newest
 * per asset kind and prefix), and this console's own edits still in the outbox, which
 * are their local effect until the hub confirms or refuses them (decision 0008).
 */
export class TelemetryRulesReplica {
  private readonly s: {
    put: Statement;
    all: Statement<[], { rule_set: string; reason: string; updated_at: string; updated_by: string }>;
    open: Statement<[], { payload: string; created_at: string }>;
  };
  private changed = false;

  constructor(
    db: Db,
    private readonly enqueue: Enqueue,
  ) {
    this.s = {
      put: db.prepare(`INSERT INTO telemetry_rules (asset_kind, name_prefix, rule_set, reason, updated_at, updated_by, seq)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (asset_kind, name_prefix) DO UPDATE SET rule_set = excluded.rule_set, reason = excluded.reason,
          updated_at = excluded.updated_at, updated_by = excluded.updated_by, seq = excluded.seq
        WHERE excluded.seq > telemetry_rules.seq`),
      all: db.prepare(
        'SELECT rule_set, reason, updated_at, updated_by FROM telemetry_rules ORDER BY asset_kind, name_prefix',
      ),
      open: db.prepare(`SELECT payload, created_at FROM outbox
        WHERE type = 'telemetry.rules.set' AND state IN ('pending', 'sent', 'acked') ORDER BY ord`),
    };
  }

  /** Fold one hub entry (inside the apply's transaction). */
  apply(e: RulesChangedEvent): void {
    const r = e.payload.ruleSet;
    const by = e.payload.by.position ? `${e.payload.by.name} (${e.payload.by.position})` : e.payload.by.name;
    this.s.put.run(r.assetKind, r.namePrefix ?? '', JSON.stringify(r), e.payload.reason, e.at, by, e.seq);
    this.changed = true;
  }

  /** Whether an applied entry changed the rules since the last call. */
  takeChanged(): boolean {
    const was = this.changed;
    this.changed = false;
    return was;
  }

  /** The hub's edits, newest per rule set. */
  edits(): RuleEdit[] {
    return this.s.all.all().map((row) => ({
      ruleSet: RuleSet.parse(JSON.parse(row.rule_set)),
      reason: row.reason,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    }));
  }

  /** This console's edits not yet confirmed, oldest first (a later one of the same set wins). */
  pendingEdits(by: string): RuleEdit[] {
    return this.s.open.all().map((row) => {
      const p = JSON.parse(row.payload) as MutationPayload<'telemetry.rules.set'>;
      return { ruleSet: p.ruleSet, reason: p.reason, updatedAt: row.created_at, updatedBy: by, pending: true };
    });
  }

  /**
   * A supervisor's edit: checked with the same schema as the editor and the hub, then
   * written to the outbox. The console refuses a duty officer itself (the hub would too).
   */
  set(args: { ruleSet: unknown; reason: string }, role: Role | null): { mutationId: string } {
    if (role !== null && role !== 'supervisor')
      throw new WatchfloorError(
        'FORBIDDEN',
        'Only a supervisor may change the telemetry rules; ask the supervisor on duty.',
      );
    const checked = checkRuleSet(args.ruleSet);
    if (!checked.ok)
      throw new WatchfloorError(
        'BAD_REQUEST',
        `The rule set was refused: ${checked.message}. Correct it and save again.`,
      );
    const reason = args.reason.trim();
    if (!reason)
      throw new WatchfloorError(
        'BAD_REQUEST',
        `Say why the ${ruleSetLabel(checked.value)} rules change: the reason goes on the activity log.`,
      );
    return { mutationId: this.enqueue('telemetry.rules.set', { ruleSet: checked.value, reason }).id };
  }
}
