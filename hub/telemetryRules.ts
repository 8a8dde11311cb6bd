import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRuleFiles, ruleSetKey } from '../shared/telemetry/rules/edits';
import type { RuleSet } from '../shared/telemetry/rules/schema';

/**
 * The bundled telemetry rules (assets/telemetry-rules/*.json, decision 0030), read by the
 * hub only to say what a supervisor's first edit of a rule set replaced (decision 0034).
 * The consoles evaluate the rules; the hub never does. A file that fails the schema is
 * left out here as on the consoles.
 */
export const DEFAULT_TELEMETRY_RULES_DIR = fileURLToPath(new URL('../assets/telemetry-rules', import.meta.url));

export function loadBundledRuleSets(dir = DEFAULT_TELEMETRY_RULES_DIR): Map<string, RuleSet> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return new Map();
  }
  const { ruleSets } = parseRuleFiles(names.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })));
  return new Map(ruleSets.map((r) => [ruleSetKey(r), r]));
}

let cached: Map<string, RuleSet> | null = null;

/** The bundled rule set with this key (`<assetKind>/<namePrefix>`), read once. */
export function bundledRuleSet(key: string): RuleSet | null {
  cached ??= loadBundledRuleSets();
  return cached.get(key) ?? null;
}
