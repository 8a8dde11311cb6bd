import type { Database as Db, Statement } from 'better-sqlite3';
import { authorLabel } from '../../shared/domain/activityLog';
import type { HubEvent } from '../../shared/domain/events';
import { RuleSet } from '../../shared/telemetry/rules/schema';

/** The newest edit of one telemetry rule set, as the hub decides the next edit against it. */
export interface EditedRuleSet {
  readonly ruleSet: RuleSet;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly seq: number;
}

export interface TelemetryRulesState {
  /** the newest edit of the rule set with this asset kind and name prefix ('' for none), if any */
  editedRuleSet(assetKind: string, namePrefix: string): EditedRuleSet | null;
}

type EditedRuleSetEvent = Extract<HubEvent, { type: 'telemetry.rules.changed' }>;

/** Schema 7 (hub/store/migrations/0007_telemetry_rules.sql): projected from `telemetry.rules.changed`. */
export class TelemetryRulesStore implements TelemetryRulesState {
  private readonly get: Statement<
    [string, string],
    { rule_set: string; updated_at: string; updated_by: string; seq: number }
  >;
  private readonly put: Statement<[string, string, string, string, string, number]>;

  constructor(db: Db) {
    this.get = db.prepare(
      'SELECT rule_set, updated_at, updated_by, seq FROM telemetry_rules WHERE asset_kind = ? AND name_prefix = ?',
    );
    this.put = db.prepare(`INSERT INTO telemetry_rules (asset_kind, name_prefix, rule_set, updated_at, updated_by, seq)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (asset_kind, name_prefix) DO UPDATE SET
        rule_set = excluded.rule_set, updated_at = excluded.updated_at,
        updated_by = excluded.updated_by, seq = excluded.seq`);
  }

  editedRuleSet(assetKind: string, namePrefix: string): EditedRuleSet | null {
    const row = this.get.get(assetKind, namePrefix);
    if (!row) return null;
    return {
      ruleSet: RuleSet.parse(JSON.parse(row.rule_set)),
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
      seq: row.seq,
    };
  }

  project(event: EditedRuleSetEvent): void {
    const r = event.payload.ruleSet;
    this.put.run(
      r.assetKind,
      r.namePrefix ?? '',
      JSON.stringify(r),
      event.at,
      authorLabel(event.payload.by),
      event.seq,
    );
  }
}
