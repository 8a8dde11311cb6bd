import { describe, expect, it } from 'vitest';
import { citySensors, namedScenario, type ScenarioName } from '../../hub/simulator/telemetry';
import type { TelemetryAlertDraft } from '../../shared/telemetry/rules/drafts';
import { demoCity, MINUTE, MONDAY, sensorsOfAsset, simulate } from './support';

/**
 * Each danger scenario, injected into the simulated signal, must raise its
 * warning and alarm, and the time-to-threshold prediction must come before the
 * level is actually reached. Lead times are measured, printed, and only
 * required to be positive: how long they are is a figure, not a pass mark.
 */
const START = MONDAY + 10 * 60 * MINUTE; // 10:00 UTC, after the morning peak began
const WARMUP = 2 * 60 * MINUTE;

function first(
  drafts: TelemetryAlertDraft[],
  rule: string,
  level: string,
  sensor: string,
): TelemetryAlertDraft | undefined {
  return drafts.find((d) => d.rule === rule && d.level === level && d.sensor === sensor && d.msgType === 'Alert');
}

describe.each<[ScenarioName, number]>([
  ['strain-ramp', 6],
  ['gas-leak', 6],
  ['flood-wave', 16],
])('scenario %s', (name, hours) => {
  it('raises its warning and alarm, predicted before the crossing', () => {
    const city = demoCity();
    const sc = namedScenario(city, name, START);
    const sensors =
      name === 'flood-wave'
        ? citySensors(city).filter((s) => s.asset.asset.kind === 'river_gauge')
        : sensorsOfAsset(sc.assetId);
    const run = simulate(sensors, sc.scenarios, START - WARMUP, START + hours * 60 * MINUTE);
    const mine = run.drafts.filter((d) => d.assetId === sc.assetId);

    const warning = first(mine, 'threshold', 'warning', sc.sensor);
    const alarm = first(mine, 'threshold', 'alarm', sc.sensor);
    const predictedWarning = first(mine, 'prediction', 'warning', sc.sensor);
    const predictedAlarm = first(mine, 'prediction', 'alarm', sc.sensor);
    expect(warning, 'threshold warning').toBeDefined();
    expect(alarm, 'threshold alarm').toBeDefined();
    expect(predictedWarning, 'predicted warning').toBeDefined();
    expect(predictedAlarm, 'predicted alarm').toBeDefined();
    const at = (d: TelemetryAlertDraft | undefined) => Date.parse(d?.sent ?? '');
    const leadMinutes = (at(alarm) - at(predictedAlarm)) / MINUTE;
    const warningLeadMinutes = (at(warning) - at(predictedWarning)) / MINUTE;
    console.log(
      JSON.stringify({
        scenario: name,
        leadMinutes,
        warningLeadMinutes,
        predictedAlarmMinutes: Math.round(predictedAlarm?.predictedMinutes ?? NaN),
        headline: predictedAlarm?.info.headline,
        dangerDrafts: mine.filter((d) => d.kind === 'danger' && d.msgType === 'Alert').length,
      }),
    );
    expect(leadMinutes).toBeGreaterThan(0);
    expect(warningLeadMinutes).toBeGreaterThan(0);
    expect(predictedAlarm?.info.headline).toMatch(/predicted to reach alarm level in ~\d+ min$/);
    expect(predictedAlarm?.raisedBy).toBe('console');
    // the signal is real, not broken: no maintenance notice for the scenario's asset
    expect(mine.filter((d) => d.kind === 'maintenance')).toEqual([]);
  });
});
