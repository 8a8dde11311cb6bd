import { describe, expect, it } from 'vitest';
import { namedScenario, telemetryReading, type ScenarioName } from '../../hub/simulator/telemetry';
import { demoCity, MINUTE, MONDAY, sensorsOfAsset, simulate } from './support';

/**
 * Faulty sensors are a job for maintenance, not a danger: a frozen, spiking or
 * silent strain gauge raises its maintenance notice and nothing else, even
 * though the spikes are large enough to cross the alarm level on one reading.
 */
const START = MONDAY + 10 * 60 * MINUTE;

describe.each<[ScenarioName, string]>([
  ['frozen-sensor', 'frozen'],
  ['spiking-sensor', 'spiking'],
  ['silent-sensor', 'missing'],
])('%s', (name, rule) => {
  it(`raises a ${rule} maintenance notice and no danger alert`, () => {
    const city = demoCity();
    const sc = namedScenario(city, name, START);
    const run = simulate(sensorsOfAsset(sc.assetId), sc.scenarios, START - 60 * MINUTE, START + 6 * 60 * MINUTE);
    const raised = run.drafts.filter((d) => d.msgType === 'Alert');
    const notices = raised.filter((d) => d.kind === 'maintenance');
    console.log(JSON.stringify({ scenario: name, notices: notices.length, danger: raised.length - notices.length }));
    expect(raised.filter((d) => d.kind === 'danger').map((d) => d.info.headline)).toEqual([]);
    expect(notices.map((d) => [d.rule, d.sensor, d.assetId])).toEqual([[rule, sc.sensor, sc.assetId]]);
    expect(notices[0]?.info.severity).toBe('Minor');
    expect(notices[0]?.info.headline).toContain(`sensor ${rule === 'missing' ? 'silent' : rule}`);
  });
});

it('the spikes would cross the alarm level if thresholds read raw values', () => {
  // guards the test above against spikes too small to matter
  const city = demoCity();
  const sc = namedScenario(city, 'spiking-sensor', START);
  const [bridge] = sensorsOfAsset(sc.assetId);
  let highest = -Infinity;
  for (let t = START; t < START + 60 * MINUTE; t += MINUTE)
    highest = Math.max(highest, telemetryReading(bridge!.asset, 'strain', t, sc.scenarios)?.value ?? -Infinity);
  expect(highest).toBeGreaterThan(850);
});
