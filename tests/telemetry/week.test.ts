import { describe, expect, it } from 'vitest';
import { citySensors } from '../../hub/simulator/telemetry';
import { demoCity, MINUTE, MONDAY, simulate } from './support';

/**
 * A normal week in Port Halden: daily temperature cycles on the bridges, rush
 * hours, demand cycles on the mains, tides up the river, passing showers, and
 * noise on everything, one reading a minute from every sensor in the city.
 * Not one danger alert may come of it, and no maintenance notice either: every
 * sensor is healthy. One test per asset kind so two workers can share the week.
 */
const WEEK = 7 * 24 * 60 * MINUTE;

describe('a simulated week of normal signals', () => {
  it.each(['bridge', 'tunnel', 'pipeline', 'river_gauge'] as const)(
    'raises no danger alert on any %s sensor',
    (kind) => {
      const sensors = citySensors(demoCity()).filter((s) => s.asset.asset.kind === kind);
      expect(sensors.length).toBeGreaterThan(0);
      const run = simulate(sensors, [], MONDAY, MONDAY + WEEK);
      const danger = run.drafts.filter((d) => d.kind === 'danger' && d.msgType === 'Alert');
      const maintenance = run.drafts.filter((d) => d.kind === 'maintenance' && d.msgType === 'Alert');
      console.log(
        JSON.stringify({
          week: kind,
          sensors: sensors.length,
          readings: run.readings,
          falseAlarms: danger.length,
          maintenanceNotices: maintenance.length,
          firstFalseAlarm: danger[0]?.info.headline,
        }),
      );
      expect(run.readings).toBe(sensors.length * (WEEK / MINUTE + 1));
      expect(danger.map((d) => d.info.headline)).toEqual([]);
      expect(maintenance.map((d) => d.info.headline)).toEqual([]);
    },
    900_000,
  );
});
