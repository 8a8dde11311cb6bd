import { describe, expect, it } from 'vitest';
import { namedScenario, telemetryReading } from '../../hub/simulator/telemetry';
import { TelemetryRuleEngine } from '../../shared/telemetry/rules/engine';
import { demoCity, loadRuleSets, MINUTE, MONDAY, sensorsOfAsset, simulate } from './support';

describe('the rule engine', () => {
  it('is deterministic: the same readings give the same drafts, ids included', () => {
    const sc = namedScenario(demoCity(), 'strain-ramp', MONDAY + 10 * 60 * MINUTE);
    const from = MONDAY + 9 * 60 * MINUTE;
    const to = MONDAY + 13 * 60 * MINUTE;
    const a = simulate(sensorsOfAsset(sc.assetId), sc.scenarios, from, to).drafts;
    const b = simulate(sensorsOfAsset(sc.assetId), sc.scenarios, from, to).drafts;
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('counts and ignores readings that are not newer, and readings of sensors without rules', () => {
    const [strain] = sensorsOfAsset(namedScenario(demoCity(), 'strain-ramp', MONDAY).assetId);
    const engine = new TelemetryRuleEngine(loadRuleSets(), [strain!.asset.asset]);
    const r = telemetryReading(strain!.asset, 'strain', MONDAY)!;
    engine.ingest(r);
    expect(engine.ingest(r)).toEqual([]);
    expect(engine.ingest({ ...r, t: r.t - MINUTE })).toEqual([]);
    expect(engine.ingest({ ...r, assetId: 'XX-999' })).toEqual([]);
    expect(engine.stats).toEqual({ readings: 1, stale: 2, unknown: 1 });
  });

  it('clears a threshold only after the value is back past clear', () => {
    const [strain] = sensorsOfAsset(namedScenario(demoCity(), 'strain-ramp', MONDAY).assetId);
    const engine = new TelemetryRuleEngine(loadRuleSets(), [strain!.asset.asset]);
    const base = telemetryReading(strain!.asset, 'strain', MONDAY)!;
    // confirmSamples is 5: five readings at a value make the confirmed value
    const feed = (value: number, from: number) =>
      Array.from({ length: 5 }, (_, i) => engine.ingest({ ...base, t: from + i * MINUTE, value })).flat();
    const up = feed(620, MONDAY);
    expect(up.filter((d) => d.rule === 'threshold').map((d) => [d.msgType, d.level])).toEqual([['Alert', 'warning']]);
    expect(feed(580, MONDAY + 10 * MINUTE).filter((d) => d.rule === 'threshold')).toEqual([]);
    const down = feed(560, MONDAY + 20 * MINUTE);
    expect(down.filter((d) => d.rule === 'threshold').map((d) => [d.msgType, d.level])).toEqual([
      ['Cancel', 'warning'],
    ]);
  });
});
