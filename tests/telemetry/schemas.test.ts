import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Reading, TelemetryBatch } from '../../shared/telemetry/schema';
import { parseRuleSet } from '../../shared/telemetry/rules/schema';
import { ruleSetFor } from '../../shared/telemetry/rules/engine';
import { loadRuleSets, RULES_DIR } from './support';

describe('telemetry on the wire', () => {
  const reading = { assetId: 'BR-001', sensor: 'strain', unit: 'µε', t: 1_795_000_000_000, value: 312.4 };

  it('accepts a batch of readings with matching units', () => {
    const batch = { type: 'telemetry.batch', v: 1, source: 'hub', seq: 7, readings: [reading] };
    expect(TelemetryBatch.safeParse(batch).success).toBe(true);
  });

  it('refuses a reading whose unit does not match its sensor, or a value that is not finite', () => {
    expect(Reading.safeParse({ ...reading, sensor: 'pressure' }).success).toBe(false);
    expect(Reading.safeParse({ ...reading, unit: 'kPa' }).success).toBe(false);
    expect(Reading.safeParse({ ...reading, value: Number.NaN }).success).toBe(false);
    expect(Reading.safeParse({ ...reading, value: Number.POSITIVE_INFINITY }).success).toBe(false);
  });
});

describe('rule files', () => {
  it('every file in assets/telemetry-rules parses, one rule per sensor', () => {
    const sets = loadRuleSets();
    expect(sets.map((s) => s.assetKind).sort()).toEqual(['bridge', 'pipeline', 'pipeline', 'river_gauge', 'tunnel']);
  });

  it('picks gas-main rules by name prefix and water-main rules otherwise', () => {
    const sets = loadRuleSets();
    const gas = ruleSetFor(sets, { id: 'PL-001', kind: 'pipeline', name: 'Gas main, Halden Ring segment 1' });
    const water = ruleSetFor(sets, { id: 'PL-040', kind: 'pipeline', name: 'Water main, North Road segment 1' });
    expect(gas?.sensors.find((s) => s.sensor === 'pressure')?.alarm.enter).toBe(0.22);
    expect(water?.sensors.find((s) => s.sensor === 'pressure')?.alarm.enter).toBe(0.3);
  });

  it('refuses levels on the wrong side, an alarm short of the warning, and a sensor ruled twice', () => {
    const bridge = JSON.parse(readFileSync(join(RULES_DIR, 'bridge.json'), 'utf8')) as {
      sensors: { warning: { enter: number; clear: number }; alarm: { enter: number } }[];
    };
    const strain = bridge.sensors[0]!;
    const broken = (patch: (b: typeof bridge) => void) => {
      const copy = structuredClone(bridge);
      patch(copy);
      return parseRuleSet(copy);
    };
    expect(broken((b) => (b.sensors[0]!.warning.clear = strain.warning.enter + 1))).toMatchObject({ ok: false });
    expect(broken((b) => (b.sensors[0]!.alarm.enter = strain.warning.enter - 1))).toMatchObject({ ok: false });
    expect(broken((b) => b.sensors.push(b.sensors[0]!))).toMatchObject({
      ok: false,
      message: 'sensor strain has two rules',
    });
    expect(parseRuleSet({ assetKind: 'volcano', sensors: [] })).toMatchObject({ ok: false });
    expect(parseRuleSet(bridge)).toMatchObject({ ok: true });
  });
});
