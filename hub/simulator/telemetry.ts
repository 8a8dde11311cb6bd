import type { Reading } from '../../shared/telemetry/schema';
import { SENSOR_UNITS, SENSORS_BY_ASSET_KIND, sensorId, type SensorKind } from '../../shared/telemetry/sensors';
import type { CityAsset, DemoCity } from './city';
import { hashSeed, Prng } from './prng';

/**
 * Believable sensor signals for Port Halden's monitored assets (issue 9). Every
 * reading is a pure function of (asset, sensor, time, scenarios): no state, no
 * wall clock, so a simulated week is just a loop over timestamps and the same
 * seed always yields the same week. Levels follow the hub simulator's
 * (simulator.ts THRESHOLDS): strain near 260 µε, gas at 0.4 MPa, water at 0.55 MPa,
 * river stage 1.0–1.35 m with the tide at the harbour.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Port Halden keeps central European time; the daily cycles follow local hours. */
const UTC_OFFSET_HOURS = 1;
const TIDE_PERIOD_MINUTES = 745.2; // semi-diurnal, 12 h 25 min

export type TelemetryScenario =
  /** a slow strain ramp on one bridge (scour, a failing bearing) */
  | { readonly kind: 'strain_ramp'; readonly assetId: string; readonly startMs: number; readonly perMinute: number }
  /** a leak on a main: pressure falls steadily, flow rises, down to a floor */
  | {
      readonly kind: 'leak';
      readonly assetId: string;
      readonly startMs: number;
      readonly dropPerMinute: number;
      readonly maxDrop: number;
    }
  /** a flood wave from upstream: reaches each gauge later by its reach, rain upstream before it */
  | {
      readonly kind: 'flood_wave';
      readonly startMs: number;
      readonly peakM: number;
      readonly riseHours: number;
      readonly fallHours: number;
      readonly travelHours: number;
    }
  /** a faulty sensor that repeats its last value */
  | { readonly kind: 'frozen'; readonly assetId: string; readonly sensor: SensorKind; readonly startMs: number }
  /** a faulty sensor with one-minute glitches every `everyMinutes` */
  | {
      readonly kind: 'spiking';
      readonly assetId: string;
      readonly sensor: SensorKind;
      readonly startMs: number;
      readonly everyMinutes: number;
      readonly magnitude: number;
    }
  /** a sensor that stops reporting */
  | { readonly kind: 'silent'; readonly assetId: string; readonly sensor: SensorKind; readonly startMs: number };

export interface SimSensor {
  readonly asset: CityAsset;
  readonly sensor: SensorKind;
}

/** Every sensor in the city: three per bridge, two per tunnel, main and gauge. */
export function citySensors(city: DemoCity): SimSensor[] {
  const out: SimSensor[] = [];
  for (const asset of city.assets)
    for (const sensor of SENSORS_BY_ASSET_KIND[asset.asset.kind] ?? []) out.push({ asset, sensor });
  return out;
}

const localHour = (t: number): number => (((t / HOUR + UTC_OFFSET_HOURS) % 24) + 24) % 24;
const bump = (h: number, centre: number, width: number): number => Math.exp(-((h - centre) ** 2) / (2 * width * width));
/** Traffic and water/gas demand, 0 … 1: morning and evening peaks, quiet nights. */
export function demand(t: number): number {
  const h = localHour(t);
  return Math.min(1, 0.15 + 0.85 * (bump(h, 8, 1.3) + 0.8 * bump(h, 18.5, 1.6) + 0.45 * bump(h, 13, 2.5)));
}
/** +1 at 15:00 local, −1 at 03:00: the deck warms in the afternoon. */
const thermal = (t: number): number => Math.cos((2 * Math.PI * (localHour(t) - 15)) / 24);
/** Raised-cosine rise to 1, then a raised-cosine fall back to 0. */
function pulse(minutes: number, riseMin: number, fallMin: number): number {
  if (minutes <= 0) return 0;
  if (minutes < riseMin) return (1 - Math.cos((Math.PI * minutes) / riseMin)) / 2;
  const after = minutes - riseMin;
  if (after < fallMin) return (1 + Math.cos((Math.PI * after) / fallMin)) / 2;
  return 0;
}

/** Per-asset character (a bridge's own dead-load strain, a main's own flow): fixed by its id. */
const characters = new Map<string, number>();
function character(assetId: string): number {
  let c = characters.get(assetId);
  if (c === undefined) characters.set(assetId, (c = new Prng(hashSeed(`telemetry:${assetId}`)).next()));
  return c;
}

const seeds = new Map<string, number>();
/** Noise for one sensor at one instant, without carrying PRNG state between readings. */
function noiseAt(id: string, t: number, sd: number): number {
  let seed = seeds.get(id);
  if (seed === undefined) seeds.set(id, (seed = hashSeed(id)));
  return new Prng((seed ^ Math.imul(Math.floor(t / 1000), 0x9e3779b1)) >>> 0).noise(sd);
}

function rainfall(asset: CityAsset, t: number, scenarios: readonly TelemetryScenario[]): number {
  const m = t / MINUTE;
  const reach = asset.reach ?? 0;
  // passing showers, different at each gauge, dry about half the time
  const showers =
    1.1 * Math.sin((2 * Math.PI * m) / (31 * 60) + reach) +
    0.7 * Math.sin((2 * Math.PI * m) / (7.3 * 60) + 3 * reach) -
    0.6;
  let rain = Math.max(0, showers);
  for (const sc of scenarios) {
    if (sc.kind !== 'flood_wave') continue;
    // the storm in the upper catchment that starts the wave: heaviest upstream
    const since = (t - sc.startMs) / MINUTE + 6 * 60;
    rain += 28 * (1 - 0.5 * reach) * pulse(since, 3 * 60, 3 * 60);
  }
  return rain > 0 ? Math.max(0, rain + noiseAt(`${asset.asset.id}/rain`, t, 0.1)) : 0;
}

/** The true signal, before faults: what a healthy sensor would measure. */
function trueValue(asset: CityAsset, sensor: SensorKind, t: number, scenarios: readonly TelemetryScenario[]): number {
  const id = asset.asset.id;
  const c = character(id);
  const d = demand(t);
  const noise = (sd: number) => noiseAt(sensorId(id, sensor), t, sd);
  const own = <K extends TelemetryScenario['kind']>(kind: K) =>
    scenarios.length === 0
      ? []
      : scenarios.filter(
          (s): s is Extract<TelemetryScenario, { kind: K }> => s.kind === kind && 'assetId' in s && s.assetId === id,
        );
  switch (sensor) {
    case 'strain': {
      let v = 230 + 60 * c + 35 * thermal(t) + (20 + 40 * d) + noise(5 + 8 * d);
      for (const sc of own('strain_ramp')) v += Math.max(0, (t - sc.startMs) / MINUTE) * sc.perMinute;
      return v;
    }
    case 'deflection':
      return 6 + 4 * c + 14 * d + 0.8 * thermal(t) + noise(0.8 + 1.2 * d);
    case 'frequency':
      // warmer decks are slightly less stiff
      return 2.5 + 0.06 * c - 0.012 * thermal(t) + noise(0.004);
    case 'convergence':
      return 3 + 2 * c + 0.03 * thermal(t) + noise(0.03);
    case 'water_ingress':
      return 8 + 10 * c + 2 * Math.sin((2 * Math.PI * t) / (24 * HOUR)) + noise(0.8);
    case 'pressure': {
      const gas = asset.asset.name.startsWith('Gas');
      let v = (gas ? 0.4 : 0.55) + 0.01 * c - (gas ? 0.02 : 0.03) * d + noise(0.0015);
      for (const sc of own('leak'))
        v -= Math.min(sc.maxDrop, Math.max(0, (t - sc.startMs) / MINUTE) * sc.dropPerMinute);
      return v;
    }
    case 'flow': {
      let v = (250 + 300 * c) * (0.35 + 0.85 * d) + noise(12);
      for (const sc of own('leak')) {
        const drop = Math.min(sc.maxDrop, Math.max(0, (t - sc.startMs) / MINUTE) * sc.dropPerMinute);
        v += 2000 * drop; // the escaping gas or water shows as extra flow into the segment
      }
      return v;
    }
    case 'river_level': {
      const reach = asset.reach ?? 0;
      const m = t / MINUTE;
      // the tide reaches up the river weaker and later
      const tide = 0.35 * reach * reach * Math.sin((2 * Math.PI * (m - (1 - reach) * 40)) / TIDE_PERIOD_MINUTES);
      let v = 1.0 + 0.35 * reach + tide + noise(0.01);
      for (const sc of scenarios) {
        if (sc.kind !== 'flood_wave') continue;
        const since = (t - sc.startMs) / MINUTE - reach * sc.travelHours * 60;
        v += sc.peakM * (1 - 0.25 * reach) * pulse(since, sc.riseHours * 60, sc.fallHours * 60);
      }
      return v;
    }
    case 'rainfall':
      return rainfall(asset, t, scenarios);
  }
}

/**
 * What the sensor reports at time t, faults included; null when it reports
 * nothing. Values are rounded to the sensor's resolution, as real loggers do.
 */
export function telemetryReading(
  asset: CityAsset,
  sensor: SensorKind,
  t: number,
  scenarios: readonly TelemetryScenario[] = [],
): Reading | null {
  const id = asset.asset.id;
  const mine =
    scenarios.length === 0
      ? []
      : scenarios.filter((s) => 'sensor' in s && s.assetId === id && s.sensor === sensor && t >= s.startMs);
  if (mine.some((s) => s.kind === 'silent')) return null;
  const frozen = mine.find((s) => s.kind === 'frozen');
  let value = trueValue(asset, sensor, frozen ? frozen.startMs : t, scenarios);
  for (const s of mine) {
    if (s.kind !== 'spiking') continue;
    const minute = Math.floor((t - s.startMs) / MINUTE);
    if (minute % s.everyMinutes === 0) value += (noiseAt(`${id}/spike`, t, 1) >= 0 ? 1 : -1) * s.magnitude;
  }
  return { assetId: id, sensor, unit: SENSOR_UNITS[sensor], t, value: roundTo(value, RESOLUTION[sensor]) };
}

const RESOLUTION: Readonly<Record<SensorKind, number>> = {
  strain: 0.1,
  deflection: 0.01,
  frequency: 0.001,
  convergence: 0.01,
  water_ingress: 0.1,
  pressure: 0.0001,
  flow: 0.1,
  river_level: 0.001,
  rainfall: 0.1,
};
const roundTo = (v: number, step: number): number => Math.round(v / step) * step;

export type ScenarioName =
  'strain-ramp' | 'gas-leak' | 'flood-wave' | 'frozen-sensor' | 'spiking-sensor' | 'silent-sensor';

export interface NamedScenario {
  readonly name: ScenarioName;
  readonly scenarios: readonly TelemetryScenario[];
  /** the asset and sensor the scenario is about, to look for its alerts */
  readonly assetId: string;
  readonly sensor: SensorKind;
}

function pick(city: DemoCity, test: (a: CityAsset) => boolean, what: string): CityAsset {
  const found = city.assets.find(test);
  if (!found) throw new Error(`the demo city has no ${what}`);
  return found;
}

/** The demo's named scenarios, starting at startMs, on fixed assets of the demo city. */
export function namedScenario(city: DemoCity, name: ScenarioName, startMs: number): NamedScenario {
  const bridge = pick(city, (a) => a.asset.kind === 'bridge' && a.asset.criticality === 5, 'major bridge');
  switch (name) {
    case 'strain-ramp':
      return {
        name,
        assetId: bridge.asset.id,
        sensor: 'strain',
        scenarios: [{ kind: 'strain_ramp', assetId: bridge.asset.id, startMs, perMinute: 4 }],
      };
    case 'gas-leak': {
      const main = pick(city, (a) => a.asset.name.startsWith('Gas main'), 'gas main');
      return {
        name,
        assetId: main.asset.id,
        sensor: 'pressure',
        scenarios: [{ kind: 'leak', assetId: main.asset.id, startMs, dropPerMinute: 0.0012, maxDrop: 0.25 }],
      };
    }
    case 'flood-wave': {
      const harbour = city.assets
        .filter((a) => a.asset.kind === 'river_gauge')
        .reduce((a, b) => ((a.reach ?? 0) >= (b.reach ?? 0) ? a : b));
      return {
        name,
        assetId: harbour.asset.id,
        sensor: 'river_level',
        scenarios: [{ kind: 'flood_wave', startMs, peakM: 3.6, riseHours: 5, fallHours: 10, travelHours: 3 }],
      };
    }
    case 'frozen-sensor':
      return {
        name,
        assetId: bridge.asset.id,
        sensor: 'strain',
        scenarios: [{ kind: 'frozen', assetId: bridge.asset.id, sensor: 'strain', startMs }],
      };
    case 'spiking-sensor':
      // glitches big enough to cross the alarm level on a single reading
      return {
        name,
        assetId: bridge.asset.id,
        sensor: 'strain',
        scenarios: [
          { kind: 'spiking', assetId: bridge.asset.id, sensor: 'strain', startMs, everyMinutes: 9, magnitude: 700 },
        ],
      };
    case 'silent-sensor':
      return {
        name,
        assetId: bridge.asset.id,
        sensor: 'strain',
        scenarios: [{ kind: 'silent', assetId: bridge.asset.id, sensor: 'strain', startMs }],
      };
  }
}
