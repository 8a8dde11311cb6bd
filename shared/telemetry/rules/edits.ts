import { z } from 'zod';
import { Actor } from '../../domain/officer';
import { SENSOR_UNITS } from '../sensors';
import { RuleSet, parseRuleSet, type SensorRule } from './schema';

/**
 * Supervisors' edits of the telemetry rules (issue 9, decision 0034). An edit replaces
 * one whole rule set, named by its asset kind and name prefix; it travels as the
 * `telemetry.rules.set` mutation and comes back from the hub as a
 * `telemetry.rules.changed` entry, so every console lays the same edits over the same
 * bundled files, and the after-action review reads who changed which level, from what
 * to what, and why.
 */

/** The payload of `telemetry.rules.set`: the new rule set whole, and why. */
export const SetTelemetryRulePayload = z.object({
  ruleSet: RuleSet,
  reason: z.string().trim().min(1).max(2_000),
});
export type SetTelemetryRulePayload = z.infer<typeof SetTelemetryRulePayload>;

/** The payload of `telemetry.rules.changed`. */
export const TelemetryRulesChanged = z.object({
  ruleSet: RuleSet,
  /** what was in force before on the hub: the bundled file, an earlier edit, or nothing (a new prefix) */
  previous: z.object({ ruleSet: RuleSet, source: z.enum(['bundled', 'edited']) }).nullable(),
  reason: z.string().trim().min(1).max(2_000),
  by: Actor,
  hlc: z.string(),
});
export type TelemetryRulesChanged = z.infer<typeof TelemetryRulesChanged>;

/** One rule set per (asset kind, name prefix): '' stands for "no prefix". */
export const ruleSetKey = (r: { assetKind: string; namePrefix?: string | undefined }): string =>
  `${r.assetKind}/${r.namePrefix ?? ''}`;

/** "bridge" or "pipeline (Gas main)": how log entries and the editor name a rule set. */
export const ruleSetLabel = (r: { assetKind: string; namePrefix?: string | undefined }): string =>
  r.namePrefix ? `${r.assetKind} (${r.namePrefix})` : r.assetKind;

/**
 * The same checks at every boundary (editor, worker, hub): the schema, then one rule per
 * sensor. The message names the field ("sensors.0.warning: clear must lie on …").
 */
export function checkRuleSet(ruleSet: unknown): { ok: true; value: RuleSet } | { ok: false; message: string } {
  return parseRuleSet(ruleSet);
}

const fmt = (v: number): string => String(Number(v.toPrecision(6)));

/** Each setting's path and value, flattened: `warning.enter` → 600. */
function settings(rule: SensorRule): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (prefix: string, value: unknown): void => {
    if (value === undefined) return;
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
      return;
    }
    out.set(prefix, typeof value === 'number' ? fmt(value) : String(value));
  };
  const { sensor: _sensor, ...rest } = rule;
  walk('', rest);
  return out;
}

/**
 * What an edit changed, one phrase per setting, for the activity log:
 * "strain warning.enter 600 → 550 µε", "strain rate (none) → 12". Empty when nothing did.
 */
export function describeRuleChange(before: RuleSet | null, after: RuleSet): string[] {
  const changes: string[] = [];
  const old = new Map((before?.sensors ?? []).map((s) => [s.sensor, s]));
  for (const rule of after.sensors) {
    const prev = old.get(rule.sensor);
    old.delete(rule.sensor);
    if (!prev) {
      changes.push(`${rule.sensor} rule added`);
      continue;
    }
    const a = settings(prev);
    const b = settings(rule);
    const unit = SENSOR_UNITS[rule.sensor];
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      const from = a.get(key);
      const to = b.get(key);
      if (from === to) continue;
      const levelish = /^(warning|alarm)\./.test(key);
      changes.push(`${rule.sensor} ${key} ${from ?? '(none)'} → ${to ?? '(none)'}${levelish ? ` ${unit}` : ''}`);
    }
  }
  for (const sensor of old.keys()) changes.push(`${sensor} rule removed`);
  if ((before?.description ?? '') !== (after.description ?? '')) changes.push('description changed');
  return changes;
}

export interface RuleEdit {
  readonly ruleSet: RuleSet;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly reason?: string;
  /** still in this console's outbox: not yet confirmed by the hub */
  readonly pending?: boolean;
}

export interface RuleInForce {
  readonly ruleSet: RuleSet;
  readonly source: 'bundled' | 'edited';
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
  readonly reason?: string;
  readonly pending?: boolean;
}

/**
 * The rules in force: the bundled files, each replaced by the newest edit with its key;
 * edits of a key no file has (a new name prefix) are added. Sorted by asset kind, then prefix.
 */
export function rulesInForce(bundled: readonly RuleSet[], edits: readonly RuleEdit[]): RuleInForce[] {
  const byKey = new Map<string, RuleInForce>();
  for (const ruleSet of bundled)
    byKey.set(ruleSetKey(ruleSet), { ruleSet, source: 'bundled', updatedAt: null, updatedBy: null });
  for (const e of edits)
    byKey.set(ruleSetKey(e.ruleSet), {
      ruleSet: e.ruleSet,
      source: 'edited',
      updatedAt: e.updatedAt,
      updatedBy: e.updatedBy,
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      ...(e.pending ? { pending: true } : {}),
    });
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** A rules file as read from disk, and what became of it. */
export interface RuleFile {
  readonly name: string;
  readonly text: string;
}
export type RuleFileRefusal = { readonly file: string; readonly code: 'RULES_FILE_INVALID'; readonly message: string };

/**
 * Parse the bundled rules files (decision 0030): a file that is not JSON or fails the
 * schema is refused whole, with the file and the first problem named; the others are
 * kept. Two files for the same asset kind and prefix: the second is refused.
 */
export function parseRuleFiles(files: readonly RuleFile[]): { ruleSets: RuleSet[]; refused: RuleFileRefusal[] } {
  const ruleSets: RuleSet[] = [];
  const refused: RuleFileRefusal[] = [];
  const seen = new Map<string, string>();
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    let json: unknown;
    try {
      json = JSON.parse(f.text);
    } catch (err) {
      refused.push({ file: f.name, code: 'RULES_FILE_INVALID', message: `not JSON: ${(err as Error).message}` });
      continue;
    }
    const parsed = parseRuleSet(json);
    if (!parsed.ok) {
      refused.push({ file: f.name, code: 'RULES_FILE_INVALID', message: parsed.message });
      continue;
    }
    const key = ruleSetKey(parsed.value);
    const first = seen.get(key);
    if (first) {
      refused.push({
        file: f.name,
        code: 'RULES_FILE_INVALID',
        message: `a second rule set for ${ruleSetLabel(parsed.value)} (the first is ${first})`,
      });
      continue;
    }
    seen.set(key, f.name);
    ruleSets.push(parsed.value);
  }
  return { ruleSets, refused };
}
