import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoCity, type DemoCity } from '../../hub/simulator/city';
import { citySensors, telemetryReading, type SimSensor, type TelemetryScenario } from '../../hub/simulator/telemetry';
import { parseRuleSet, type RuleSet } from '../../shared/telemetry/rules/schema';
import { TelemetryRuleEngine } from '../../shared/telemetry/rules/engine';
import type { TelemetryAlertDraft } from '../../shared/telemetry/rules/drafts';

export const RULES_DIR = join(__dirname, '..', '..', 'assets', 'telemetry-rules');
export const MINUTE = 60_000;
/** Monday 23 November 2026, 00:00 UTC: the simulated weeks start here. */
export const MONDAY = Date.UTC(2026, 10, 23);

export function loadRuleSets(): RuleSet[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const parsed = parseRuleSet(JSON.parse(readFileSync(join(RULES_DIR, f), 'utf8')));
      if (!parsed.ok) throw new Error(`${f}: ${parsed.message}`);
      return parsed.value;
    });
}

let cachedCity: DemoCity | undefined;
export const demoCity = (): DemoCity => (cachedCity ??= buildDemoCity());

export interface Run {
  readonly drafts: TelemetryAlertDraft[];
  readonly engine: TelemetryRuleEngine;
  readonly readings: number;
}

/**
 * Feed simulated readings for `sensors` from `from` to `to` (one a minute) through
 * a fresh engine over the real rule files, sweeping for silent sensors each minute.
 */
export function simulate(
  sensors: readonly SimSensor[],
  scenarios: readonly TelemetryScenario[],
  from: number,
  to: number,
  stepMs = MINUTE,
): Run {
  const assets = [...new Map(sensors.map((s) => [s.asset.asset.id, s.asset.asset])).values()];
  const engine = new TelemetryRuleEngine(loadRuleSets(), assets);
  const drafts: TelemetryAlertDraft[] = [];
  let readings = 0;
  for (let t = from; t <= to; t += stepMs) {
    for (const s of sensors) {
      const r = telemetryReading(s.asset, s.sensor, t, scenarios);
      if (!r) continue;
      readings++;
      drafts.push(...engine.ingest(r));
    }
    drafts.push(...engine.sweep(t));
  }
  return { drafts, engine, readings };
}

export const sensorsOfAsset = (assetId: string): SimSensor[] =>
  citySensors(demoCity()).filter((s) => s.asset.asset.id === assetId);
