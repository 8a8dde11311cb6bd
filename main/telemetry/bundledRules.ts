import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRuleFiles, type RuleFileRefusal } from '../../shared/telemetry/rules/edits';
import type { RuleSet } from '../../shared/telemetry/rules/schema';

/**
 * The telemetry rules shipped with the console (assets/telemetry-rules/*.json, decision
 * 0030), read once when the replica worker starts. The build copies them next to the
 * bundled worker (dist/main/telemetry-rules, which electron-builder packs with dist/main);
 * in a checkout, or under tsx, they are read from assets/. A file that fails the schema is
 * refused whole with RULES_FILE_INVALID and the others are kept.
 */
export function defaultTelemetryRulesDir(): string {
  const here =
    typeof import.meta !== 'undefined' && typeof import.meta.url === 'string'
      ? path.dirname(fileURLToPath(import.meta.url))
      : __dirname;
  const candidates = [path.join(here, 'telemetry-rules'), path.join(here, '..', '..', 'assets', 'telemetry-rules')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[1]!;
}

export interface BundledRules {
  readonly dir: string;
  readonly ruleSets: RuleSet[];
  readonly refused: RuleFileRefusal[];
}

export function loadBundledRules(dir: string = defaultTelemetryRulesDir()): BundledRules {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch (err) {
    return {
      dir,
      ruleSets: [],
      refused: [
        {
          file: dir,
          code: 'RULES_FILE_INVALID',
          message: `the rules folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); reinstall the console`,
        },
      ],
    };
  }
  const files = names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
  return { dir, ...parseRuleFiles(files) };
}
