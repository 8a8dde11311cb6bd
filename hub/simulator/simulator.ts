import type { Clock } from '../../shared/clock';
import type { CapReference } from '../../shared/domain/cap';
import type { EventDraft } from '../events';
import { buildDemoCity, type CityAsset, type DemoCity } from './city';
import { capTime, refOf } from './capText';
import type { Xy } from './geometry';
import {
  bridgeStrainMessage,
  drillMessage,
  earthquakeMessage,
  pipelinePressureMessage,
  riverLevelMessage,
  weatherMessage,
  type Envelope,
  type Level,
  type Quake,
  type Reading,
  type SimulatedAlert,
  type Threshold,
  type Weather,
  type WeatherHazard,
} from './messages';
import { Prng } from './prng';

/**
 * The demo city's sensor world. Time moves in ticks of five simulated minutes.
 * Scenarios (a flood wave coming down the River Hald, a strain ramp on a bridge,
 * a pressure loss on a main, a quake, a weather warning) push readings; a
 * reading crossing a threshold (with hysteresis, so noise does not chatter)
 * becomes a CAP message. Everything the world needs to continue lives in one
 * plain JSON state, saved with each append, so a restarted hub carries on with
 * the very same stream.
 */
const TICK_MINUTES = 5;
const TICKS_PER_HOUR = 60 / TICK_MINUTES;
const TICKS_PER_DAY = 24 * TICKS_PER_HOUR;
const TIDE_TICKS = 149; // 12.4 h
const GAUGE_TICKS = 3;

export const THRESHOLDS = {
  river: { unit: 'm', warning: 3.0, alarm: 4.0, hysteresis: 0.15, falling: false, digits: 2 },
  strain: { unit: 'µε', warning: 600, alarm: 850, hysteresis: 30, falling: false, digits: 0 },
  gas: { unit: 'MPa', warning: 0.3, alarm: 0.22, hysteresis: 0.02, falling: true, digits: 3 },
  water: { unit: 'MPa', warning: 0.4, alarm: 0.3, hysteresis: 0.02, falling: true, digits: 3 },
} as const satisfies Record<string, Threshold>;

type Scenario =
  | { kind: 'flood'; start: number; peak: number; rise: number; fall: number; travel: number; end: number }
  | {
      kind: 'strain';
      assetId: string;
      start: number;
      add: number;
      rise: number;
      hold: number;
      fall: number;
      end: number;
      cause: string;
    }
  | {
      kind: 'pressure';
      assetId: string;
      start: number;
      drop: number;
      rise: number;
      hold: number;
      fall: number;
      end: number;
    }
  | {
      kind: 'weather';
      weather: Weather;
      first: CapReference;
      last: CapReference;
      updateAt: number;
      end: number;
      liftEarly: boolean;
    }
  | { kind: 'quake-revision'; quake: Quake; ref: CapReference; at: number; end: number };

interface Alarm {
  level: Level;
  refs: CapReference[];
  peak: number;
}

/**
 * Bump whenever SimulatorState changes shape: a data dir saved by another version then
 * resumes like a new seed (identifiers keep counting, scenarios restart) instead of
 * reading fields that are not there.
 */
export const SIMULATOR_STATE_VERSION = 2;

export interface SimulatorState {
  version: number;
  seed: number;
  rng: number;
  tick: number;
  /** CAP messages issued on this data dir, across seeds: keeps identifiers unique per sender */
  issued: number;
  lastSentMs: number;
  assetsEmitted: number;
  scenarios: Scenario[];
  alarms: Record<string, Alarm>;
  /** each watched sensor's previous reading, for the trend a message reports */
  lastReadings: Record<string, number>;
  queue: SimulatedAlert[];
}

export interface SimulatorOptions {
  seed: number;
  clock: Clock;
  city?: DemoCity;
}

export class DemoCitySimulator {
  private readonly rng: Prng;
  private readonly byId: Map<string, CityAsset>;
  private readonly gauges: CityAsset[];
  private readonly bridges: CityAsset[];
  private readonly pipelines: CityAsset[];

  private constructor(
    readonly city: DemoCity,
    private readonly clock: Clock,
    private readonly state: SimulatorState,
  ) {
    this.rng = new Prng(state.rng);
    this.byId = new Map(city.assets.map((a) => [a.asset.id, a]));
    this.gauges = city.assets.filter((a) => a.asset.kind === 'river_gauge');
    this.bridges = city.assets.filter((a) => a.asset.kind === 'bridge');
    this.pipelines = city.assets.filter((a) => a.asset.kind === 'pipeline');
  }

  static start(options: SimulatorOptions, previous?: SimulatorState | null): DemoCitySimulator {
    const city = options.city ?? buildDemoCity();
    if (previous && previous.seed === options.seed && previous.version === SIMULATOR_STATE_VERSION) {
      return new DemoCitySimulator(city, options.clock, previous);
    }
    // A new seed, or state saved by another version, on an old data dir: the city is
    // already on the log, and identifiers keep counting.
    const state: SimulatorState = {
      version: SIMULATOR_STATE_VERSION,
      seed: options.seed,
      rng: options.seed >>> 0,
      tick: 0,
      issued: previous?.issued ?? 0,
      lastSentMs: previous?.lastSentMs ?? 0,
      assetsEmitted: previous?.assetsEmitted ?? 0,
      scenarios: [],
      alarms: {},
      lastReadings: {},
      queue: [],
    };
    return new DemoCitySimulator(city, options.clock, state);
  }

  get seed(): number {
    return this.state.seed;
  }

  /** Whether every asset of the city has been announced on the log. */
  get cityAnnounced(): boolean {
    return this.state.assetsEmitted >= this.city.assets.length;
  }

  /** Plain JSON to store with the events it produced. */
  saveState(): string {
    this.state.rng = this.rng.seed;
    return JSON.stringify(this.state);
  }

  /** The next `count` log entries: the city's assets first, then alerts as the world runs. */
  take(count: number): EventDraft[] {
    const out: EventDraft[] = [];
    while (out.length < count && !this.cityAnnounced) {
      const next = this.city.assets[this.state.assetsEmitted++] as CityAsset;
      out.push({ type: 'asset.upserted', payload: next.asset });
    }
    while (out.length < count) {
      while (this.state.queue.length === 0) this.step();
      const alert = this.state.queue.shift() as SimulatedAlert;
      out.push({ type: 'alert.received', payload: alert });
    }
    return out;
  }

  /** Only the asset announcements still owed (first start of a hub with the simulator). */
  takeCity(): EventDraft[] {
    return this.take(this.city.assets.length - Math.min(this.state.assetsEmitted, this.city.assets.length));
  }

  // ── the world ──────────────────────────────────────────────────────────────

  private step(): void {
    const s = this.state;
    s.tick++;
    this.maybeStartScenarios();
    for (const scenario of s.scenarios) this.advance(scenario);
    for (const sc of s.scenarios) {
      if (sc.end > s.tick) continue;
      // A later scenario on the same sensor must not compute its trend from this one.
      if (sc.kind === 'flood') for (const g of this.gauges) delete s.lastReadings[g.asset.id];
      else if ('assetId' in sc) delete s.lastReadings[sc.assetId];
    }
    s.scenarios = s.scenarios.filter((sc) => sc.end > s.tick);
  }

  private busy(assetId: string): boolean {
    return this.state.scenarios.some((sc) => 'assetId' in sc && sc.assetId === assetId) || assetId in this.state.alarms;
  }

  private maybeStartScenarios(): void {
    const { rng } = this;
    const t = this.state.tick;
    const floodActive = this.state.scenarios.some((s) => s.kind === 'flood');
    if (!floodActive && rng.chance(1 / 600)) this.startFlood(t + 1);
    if (rng.chance(1 / 80)) this.startStrain(rng.pick(this.bridges), t, rng.pick(STRAIN_CAUSES));
    if (rng.chance(1 / 60)) this.startPressureLoss(rng.pick(this.pipelines), t);
    if (rng.chance(1 / 300)) this.quake();
    if (rng.chance(1 / 250)) this.startWeather();
    if (t % 700 === 350)
      this.emit((env) => drillMessage(this.city, env, 'siren-test', this.byId.get('WT-001') as CityAsset));
    if (rng.chance(1 / 1500)) {
      const target = rng.pick([...this.bridges, ...this.city.assets.filter((a) => a.asset.kind === 'tunnel')]);
      this.emit((env) => drillMessage(this.city, env, 'exercise', target));
    }
  }

  private startFlood(start: number): void {
    const rise = this.rng.int(3, 6) * TICKS_PER_HOUR;
    const fall = this.rng.int(6, 12) * TICKS_PER_HOUR;
    const travel = this.rng.int(2, 4) * TICKS_PER_HOUR;
    const peak = this.rng.range(1.2, 4.2);
    this.state.scenarios.push({
      kind: 'flood',
      start,
      peak,
      rise,
      fall,
      travel,
      end: start + travel + rise + fall + 2,
    });
  }

  private startStrain(bridge: CityAsset, start: number, cause: string): void {
    if (this.busy(bridge.asset.id)) return;
    const rise = this.rng.int(3, 18);
    const hold = this.rng.int(2, 24);
    const fall = this.rng.int(6, 30);
    const add = this.rng.range(330, 800);
    this.state.scenarios.push({
      kind: 'strain',
      assetId: bridge.asset.id,
      start,
      add,
      rise,
      hold,
      fall,
      end: start + rise + hold + fall + 2,
      cause,
    });
  }

  private startPressureLoss(pipe: CityAsset, start: number): void {
    if (this.busy(pipe.asset.id)) return;
    const rise = this.rng.int(2, 12);
    const hold = this.rng.int(6, 36);
    const fall = this.rng.int(3, 12);
    const drop = this.rng.range(0.1, 0.28);
    this.state.scenarios.push({
      kind: 'pressure',
      assetId: pipe.asset.id,
      start,
      drop,
      rise,
      hold,
      fall,
      end: start + rise + hold + fall + 2,
    });
  }

  private quake(): void {
    const { rng } = this;
    const angle = rng.range(0, 2 * Math.PI);
    const km = rng.range(0, 45);
    const quake: Quake = {
      magnitude: Math.round(rng.range(2.6, 5.6) * 10) / 10,
      depthKm: rng.range(5, 25),
      epicentre: { x: Math.cos(angle) * km, y: Math.sin(angle) * km },
    };
    const first = this.emit((env) => earthquakeMessage(this.city, env, quake, false));
    if (rng.chance(0.5)) {
      const revised = { ...quake, magnitude: Math.round((quake.magnitude + rng.range(-0.3, 0.3)) * 10) / 10 };
      const at = this.state.tick + rng.int(1, 4);
      this.state.scenarios.push({ kind: 'quake-revision', quake: revised, ref: first, at, end: at + 1 });
    }
    // Strong, near quakes load the bridges: the structural monitors see it next.
    if (quake.magnitude >= 4.3 && km < 30) {
      for (const bridge of this.bridges) {
        if (rng.chance(0.25)) this.startStrain(bridge, this.state.tick + 1, 'ground shaking from the earthquake');
      }
    }
  }

  private startWeather(): void {
    const { rng } = this;
    const hazard: WeatherHazard = rng.pick(['rain', 'rain', 'thunderstorm', 'wind']);
    const names = this.city.districts.map((d) => d.name);
    const first = rng.int(0, names.length - 1);
    const districts = Array.from({ length: rng.int(2, 6) }, (_, i) => names[(first + i * 3) % names.length] as string);
    const sentMs = this.sentMs();
    const onsetMs = sentMs + rng.int(1, 4) * 3_600_000;
    const weather: Weather = {
      hazard,
      districts: [...new Set(districts)],
      severe: rng.chance(0.3),
      onsetMs,
      expiresMs: onsetMs + rng.int(6, 14) * 3_600_000,
    };
    const ref = this.emit((env) => weatherMessage(this.city, env, weather, false));
    const duration = rng.int(8, 20) * TICKS_PER_HOUR;
    this.state.scenarios.push({
      kind: 'weather',
      weather,
      first: ref,
      last: ref,
      updateAt: this.state.tick + rng.int(2, 6) * TICKS_PER_HOUR,
      end: this.state.tick + duration,
      liftEarly: rng.chance(0.4),
    });
    // Heavy rain upstream is what sends a flood wave down the Hald.
    if (
      hazard !== 'wind' &&
      rng.chance(hazard === 'rain' ? 0.7 : 0.3) &&
      !this.state.scenarios.some((s) => s.kind === 'flood')
    ) {
      this.startFlood(this.state.tick + rng.int(2, 6) * TICKS_PER_HOUR);
    }
  }

  private advance(sc: Scenario): void {
    const t = this.state.tick;
    switch (sc.kind) {
      case 'flood': {
        // River gauges report every 15 minutes, as telemetered gauges commonly do.
        for (const g of t % GAUGE_TICKS === 0 ? this.gauges : []) {
          const reach = g.reach ?? 0;
          const base = 1.0 + 0.35 * reach + 0.35 * reach * reach * Math.sin((2 * Math.PI * t) / TIDE_TICKS);
          const u = t - sc.start - reach * sc.travel;
          const wave = sc.peak * (1 - 0.25 * reach) * pulse(u, sc.rise, 0, sc.fall);
          this.read(
            g,
            base + wave + this.rng.noise(0.02),
            THRESHOLDS.river,
            (env, r) => riverLevelMessage(this.city, env, r),
            GAUGE_TICKS,
          );
        }
        // A big flood scours bridge piers: strain follows on one bridge now and then.
        if (t === sc.start + sc.travel && sc.peak > 3.4 && this.rng.chance(0.5)) {
          this.startStrain(this.rng.pick(this.bridges), t, 'scour of the river piers during the flood');
        }
        return;
      }
      case 'strain': {
        const bridge = this.byId.get(sc.assetId) as CityAsset;
        const daily = 35 * Math.sin((2 * Math.PI * t) / TICKS_PER_DAY);
        const value = 260 + daily + sc.add * pulse(t - sc.start, sc.rise, sc.hold, sc.fall) + this.rng.noise(6);
        this.read(bridge, value, THRESHOLDS.strain, (env, r) => bridgeStrainMessage(this.city, env, r, sc.cause));
        return;
      }
      case 'pressure': {
        const pipe = this.byId.get(sc.assetId) as CityAsset;
        const gas = pipe.asset.name.startsWith('Gas');
        const nominal = gas ? 0.4 : 0.55;
        const demand = 0.015 * Math.sin((2 * Math.PI * (t + 40)) / TICKS_PER_DAY);
        const value =
          nominal - demand - sc.drop * pulse(t - sc.start, sc.rise, sc.hold, sc.fall) + this.rng.noise(0.003);
        this.read(pipe, value, gas ? THRESHOLDS.gas : THRESHOLDS.water, (env, r) =>
          pipelinePressureMessage(this.city, env, r),
        );
        return;
      }
      case 'weather': {
        if (t === sc.updateAt && !sc.liftEarly) {
          sc.weather = { ...sc.weather, severe: true, expiresMs: sc.weather.expiresMs + 3 * 3_600_000 };
          const w = sc.weather;
          sc.last = this.emit((env) =>
            weatherMessage(this.city, { ...env, msgType: 'Update', references: [sc.last] }, w, false),
          );
        }
        if (t === sc.end - 1) {
          const w = sc.weather;
          const msgType = sc.liftEarly ? 'Cancel' : 'Update';
          this.emit((env) =>
            weatherMessage(this.city, { ...env, msgType, references: [sc.first, sc.last].filter(uniqueRef) }, w, true),
          );
        }
        return;
      }
      case 'quake-revision': {
        if (t === sc.at) {
          const q = sc.quake;
          this.emit((env) =>
            earthquakeMessage(this.city, { ...env, msgType: 'Update', references: [sc.ref] }, q, true),
          );
        }
        return;
      }
    }
  }

  /** Threshold logic with hysteresis; a change of level becomes a message. */
  private read(
    asset: CityAsset,
    value: number,
    th: Threshold,
    write: (env: Envelope, r: Reading) => SimulatedAlert,
    everyTicks = 1,
  ): void {
    const key = asset.asset.id;
    const alarm = this.state.alarms[key];
    const previous: Level = alarm?.level ?? 0;
    const sign = th.falling ? -1 : 1;
    const v = sign * value;
    const warn = sign * th.warning;
    const high = sign * th.alarm;
    const h = th.hysteresis;
    let level: Level = previous;
    if (v >= high) level = 2;
    else if (previous === 2 && v < high - h) level = v >= warn ? 1 : 0;
    else if (previous === 2) level = 2;
    else if (v >= warn) level = 1;
    else if (previous === 1 && v < warn - h) level = 0;
    const lastValue = this.state.lastReadings[key] ?? value;
    this.state.lastReadings[key] = value;
    if (alarm) alarm.peak = th.falling ? Math.min(alarm.peak, value) : Math.max(alarm.peak, value);
    if (level === previous) return;
    const reading: Reading = {
      asset,
      value,
      level,
      previous,
      threshold: th,
      trend: ((value - lastValue) * TICKS_PER_HOUR) / everyTicks,
      peak: alarm?.peak ?? value,
    };
    if (!alarm) {
      const ref = this.emit((env) => write(env, reading));
      this.state.alarms[key] = { level, refs: [ref], peak: value };
      return;
    }
    const refs = alarm.refs;
    const ref = this.emit((env) => write({ ...env, msgType: 'Update', references: [...refs] }, reading));
    if (level === 0) delete this.state.alarms[key];
    else {
      alarm.level = level;
      alarm.refs = [refs[0] as CapReference, ref].filter(uniqueRef);
    }
  }

  private sentMs(): number {
    // Live, CAP `sent` is now; in a fast bulk run it never goes backwards.
    this.state.lastSentMs = Math.max(this.state.lastSentMs, Math.floor(this.clock.now() / 1000) * 1000);
    return this.state.lastSentMs;
  }

  private emit(make: (env: Envelope) => SimulatedAlert): CapReference {
    const n = ++this.state.issued;
    const env: Envelope = { identifier: `PH-${String(n).padStart(8, '0')}`, sentMs: this.sentMs(), msgType: 'Alert' };
    const alert = make(env);
    this.state.queue.push(alert);
    return refOf(alert.cap);
  }
}

const STRAIN_CAUSES = [
  'an overweight vehicle convoy',
  'a seized expansion bearing',
  'thermal loading on the deck',
  'a crane working on the deck without a permit',
  'settlement of a pier foundation',
];

/** 0 → 1 over `rise` ticks (smooth), held for `hold`, back to 0 over `fall`. */
function pulse(u: number, rise: number, hold: number, fall: number): number {
  if (u <= 0) return 0;
  if (u < rise) return 0.5 - 0.5 * Math.cos((Math.PI * u) / rise);
  if (u < rise + hold) return 1;
  if (u < rise + hold + fall) return 0.5 + 0.5 * Math.cos((Math.PI * (u - rise - hold)) / fall);
  return 0;
}

const uniqueRef = (r: CapReference, i: number, all: CapReference[]): boolean =>
  all.findIndex((o) => o.identifier === r.identifier && o.sender === r.sender) === i;

export { capTime };
export type { Xy };
