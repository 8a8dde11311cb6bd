import type { TelemetryRules } from '../../shared/telemetry/api';
import { rulesInForce, type RuleInForce } from '../../shared/telemetry/rules/edits';
import type { RuleSet } from '../../shared/telemetry/rules/schema';
import type { TelemetryRulesReplica } from '../replica/telemetryRules';
import type { BundledRules } from './bundledRules';

export type RulesListener = (ruleSets: readonly RuleSet[]) => void;

/**
 * Where the rule sets in force come from (issue 9, decision 0034): the bundled files,
 * each overridden by the newest supervisor's edit on the hub's log for its asset kind
 * and name prefix, and by this console's own edits still in the outbox (their local
 * effect, gone again if the hub refuses them). The edge rule engine rebuilds from
 * `currentRuleSets()` whenever `onChange` fires.
 */
export class TelemetryRuleSource {
  private readonly listeners = new Set<RulesListener>();
  private cache: RuleInForce[] | null = null;
  /** The rules as the listeners last heard them, kept from `stale()` until `changed()`. */
  private heard: string | null = null;

  constructor(
    private readonly bundled: BundledRules,
    private readonly edits: TelemetryRulesReplica,
    /** "Name (Position)" of the officer signed in here, for this console's pending edits */
    private readonly officer: () => string,
  ) {}

  private inForce(): RuleInForce[] {
    this.cache ??= rulesInForce(this.bundled.ruleSets, [
      ...this.edits.edits(),
      ...this.edits.pendingEdits(this.officer()),
    ]);
    return this.cache;
  }

  /** The rule sets the engine evaluates now. */
  currentRuleSets(): RuleSet[] {
    return this.inForce().map((r) => r.ruleSet);
  }

  /** What `getTelemetryRules` answers: each rule set with where it came from, who and when. */
  rules(): TelemetryRules {
    return {
      ruleSets: this.inForce().map((r) => ({
        ruleSet: r.ruleSet,
        source: r.source,
        updatedAt: r.updatedAt,
        updatedBy: r.updatedBy,
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        ...(r.pending ? { pending: true } : {}),
      })),
      ...(this.bundled.refused.length ? { refusedFiles: this.bundled.refused } : {}),
    };
  }

  onChange(listener: RulesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The rules may have changed (an applied entry, an edit written or refused here): the
   * next read recomputes them at once, and `changed()` still compares against what the
   * listeners last heard. (A read between an edit and the change flush had answered the
   * rules of before the edit.)
   */
  stale(): void {
    this.heard ??= JSON.stringify(this.cache ?? this.inForce());
    this.cache = null;
  }

  /** Recompute, and tell the listeners only if the rules changed since they last heard. */
  changed(): boolean {
    const before = this.heard ?? JSON.stringify(this.cache ?? this.inForce());
    this.heard = null;
    this.cache = null;
    const now = this.inForce();
    if (JSON.stringify(now) === before) return false;
    const ruleSets = now.map((r) => r.ruleSet);
    for (const listener of this.listeners) listener(ruleSets);
    return true;
  }
}
