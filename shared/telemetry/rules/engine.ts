import type { AssetKind } from '../../domain/asset';
import type { Reading } from '../schema';
import { sensorId, type SensorKind } from '../sensors';
import { toAlertDraft, type RuleHit, type TelemetryAlertDraft } from './drafts';
import { levelRank, nextLevel, type Level } from './hysteresis';
import type { RuleSet, SensorRule } from './schema';
import { MAD_TO_SIGMA, mad, median, theilSen } from './stats';

// Reused between evaluations: the engine fits one line per reading per sensor.
let scratchX = new Float64Array(256);
let scratchY = new Float64Array(256);

/** Most readings kept per sensor window, whatever the sample rate: bounds the pairwise fit. */
const WINDOW_CAP = 120;
const MINUTE = 60_000;

export interface MonitoredAsset {
  readonly id: string;
  readonly kind: AssetKind;
  readonly name: string;
}

interface SensorState {
  readonly rule: SensorRule;
  readonly asset: MonitoredAsset;
  readonly sensor: SensorKind;
  /** the sliding window: times (ms) and values, oldest first */
  readonly ts: number[];
  readonly vs: number[];
  lastT: number | undefined;
  level: Level;
  rateActive: boolean;
  /** the highest level a prediction has been raised for in this episode */
  predicted: Level;
  /** readings in a row for which no prediction held; ends the episode after a window's worth */
  quietReadings: number;
  unchanged: number;
  frozen: boolean;
  spiking: boolean;
  missing: boolean;
  /** the last fit's slope (units per minute); null while the window is too thin */
  slope: number | null;
  /** the time-to-threshold prediction that held at the last reading, if any */
  prediction: { level: 'warning' | 'alarm'; minutes: number; atT: number } | null;
}

/** One sensor as the engine sees it now (issue 9: the status push and the charts read it). */
export interface SensorSnapshot {
  readonly assetId: string;
  readonly sensor: SensorKind;
  readonly t: number | null;
  readonly value: number | null;
  readonly level: Level;
  readonly health: 'ok' | 'frozen' | 'spiking' | 'missing';
  readonly slopePerMinute: number | null;
  readonly prediction: { readonly level: 'warning' | 'alarm'; readonly minutes: number; readonly atT: number } | null;
}

export interface EngineStats {
  readings: number;
  /** readings refused because they were not newer than the sensor's last one */
  stale: number;
  /** readings for sensors no rule covers */
  unknown: number;
}

/**
 * The console's early-warning rule engine (issue 9, decision 0030). Pure in the
 * sense that matters: no I/O and no clock. Time comes only from readings and
 * from `sweep(now)`, so a simulated week runs in seconds and every run of the
 * same readings yields the same drafts.
 */
export class TelemetryRuleEngine {
  private readonly sensors = new Map<string, SensorState>();
  private sweepStart: number | undefined;
  readonly stats: EngineStats = { readings: 0, stale: 0, unknown: 0 };

  constructor(ruleSets: readonly RuleSet[], assets: readonly MonitoredAsset[]) {
    for (const asset of assets) {
      for (const rule of ruleSetFor(ruleSets, asset)?.sensors ?? []) {
        this.sensors.set(sensorId(asset.id, rule.sensor), {
          rule,
          asset,
          sensor: rule.sensor,
          ts: [],
          vs: [],
          lastT: undefined,
          level: 'normal',
          rateActive: false,
          predicted: 'normal',
          quietReadings: 0,
          unchanged: 0,
          frozen: false,
          spiking: false,
          missing: false,
          slope: null,
          prediction: null,
        });
      }
    }
  }

  /**
   * Carry over what `previous` has learnt (windows, levels, episodes, health) for every sensor
   * whose asset and rule are unchanged: a rebuild for a new asset or an edited rule set must not
   * make every other sensor start its window again. Sensors whose rule changed start afresh.
   */
  adoptFrom(previous: TelemetryRuleEngine): void {
    for (const [key, s] of this.sensors) {
      const old = previous.sensors.get(key);
      if (!old || old.asset.name !== s.asset.name || old.asset.kind !== s.asset.kind) continue;
      if (JSON.stringify(old.rule) !== JSON.stringify(s.rule)) continue;
      this.sensors.set(key, { ...old, asset: s.asset, rule: s.rule, ts: old.ts, vs: old.vs });
    }
    this.sweepStart ??= previous.sweepStart;
  }

  get sensorCount(): number {
    return this.sensors.size;
  }

  /** The level each sensor is at now, for the map and lists. */
  levelOf(assetId: string, sensor: SensorKind): Level | undefined {
    return this.sensors.get(sensorId(assetId, sensor))?.level;
  }

  /** Every sensor the rules cover, as (asset, sensor) pairs. */
  *sensorKeys(): IterableIterator<{ assetId: string; sensor: SensorKind }> {
    for (const s of this.sensors.values()) yield { assetId: s.asset.id, sensor: s.sensor };
  }

  /** A sensor's state now, or undefined when no rule covers it. */
  snapshotOf(assetId: string, sensor: SensorKind): SensorSnapshot | undefined {
    const s = this.sensors.get(sensorId(assetId, sensor));
    if (!s) return undefined;
    const n = s.vs.length;
    return {
      assetId,
      sensor,
      t: s.lastT ?? null,
      value: n > 0 ? (s.vs[n - 1] as number) : null,
      level: s.level,
      // missing outranks the others: a silent sensor's last readings say nothing now
      health: s.missing ? 'missing' : s.frozen ? 'frozen' : s.spiking ? 'spiking' : 'ok',
      slopePerMinute: s.slope,
      prediction: s.prediction,
    };
  }

  /** Evaluate one reading; returns the drafts for every rule whose state it changed. */
  ingest(reading: Reading): TelemetryAlertDraft[] {
    const s = this.sensors.get(sensorId(reading.assetId, reading.sensor));
    if (!s) {
      this.stats.unknown++;
      return [];
    }
    if (s.lastT !== undefined && reading.t <= s.lastT) {
      this.stats.stale++;
      return [];
    }
    this.stats.readings++;
    const hits: RuleHit[] = [];
    const base = { assetId: s.asset.id, assetName: s.asset.name, sensor: s.sensor, t: reading.t };
    const { rule } = s;

    const previous = s.vs.length > 0 ? (s.vs[s.vs.length - 1] as number) : undefined;
    s.lastT = reading.t;
    s.ts.push(reading.t);
    s.vs.push(reading.value);
    const from = reading.t - rule.trend.windowMinutes * MINUTE;
    let drop = 0;
    while (drop < s.ts.length && ((s.ts[drop] as number) <= from || s.ts.length - drop > WINDOW_CAP)) drop++;
    if (drop > 0) {
      s.ts.splice(0, drop);
      s.vs.splice(0, drop);
    }

    // Health first: it never raises danger, but it is what an engineer fixes.
    if (s.missing) {
      s.missing = false;
      hits.push({ ...base, rule: 'missing', phase: 'cleared' });
    }
    s.unchanged = previous === reading.value ? s.unchanged + 1 : 0;
    const frozenAfter = rule.health.frozenSamples;
    if (frozenAfter !== undefined) {
      const frozen = s.unchanged + 1 >= frozenAfter;
      if (frozen !== s.frozen) {
        s.frozen = frozen;
        hits.push({ ...base, rule: 'frozen', phase: frozen ? 'raised' : 'cleared', count: s.unchanged + 1 });
      }
    }
    const jumps = countSpikes(s.vs, rule.health.spike.madK, rule.health.noiseFloor);
    if (!s.spiking && jumps >= rule.health.spike.count) {
      s.spiking = true;
      hits.push({ ...base, rule: 'spiking', phase: 'raised', count: jumps });
    } else if (s.spiking && jumps === 0) {
      s.spiking = false;
      hits.push({ ...base, rule: 'spiking', phase: 'cleared', count: 0 });
    }

    // Thresholds on the median of the last readings: one spike cannot cross a level.
    const confirmed = median(s.vs.slice(-rule.confirmSamples));
    const level = nextLevel(s.level, confirmed, rule);
    if (level !== s.level) {
      const worse = levelRank(level) > levelRank(s.level);
      const named: 'warning' | 'alarm' = worse ? (level as 'warning' | 'alarm') : (s.level as 'warning' | 'alarm');
      hits.push({ ...base, rule: 'threshold', phase: worse ? 'raised' : 'cleared', level: named, value: confirmed });
      s.level = level;
    }

    this.evaluateTrend(s, base, hits);
    return hits.map(toAlertDraft);
  }

  /** Rate of change and time-to-threshold, both from one Theil–Sen fit over the window. */
  private evaluateTrend(s: SensorState, base: Omit<RuleHit, 'rule' | 'phase'>, hits: RuleHit[]): void {
    const { rule } = s;
    const n = s.ts.length;
    let holds = false;
    s.slope = null;
    s.prediction = null;
    if (n >= rule.trend.minSamples) {
      const now = s.ts[n - 1] as number;
      const xs = scratchX.length >= n ? scratchX : (scratchX = new Float64Array(n * 2));
      const ys = scratchY.length >= n ? scratchY : (scratchY = new Float64Array(n * 2));
      for (let i = 0; i < n; i++) {
        xs[i] = ((s.ts[i] as number) - now) / MINUTE;
        ys[i] = s.vs[i] as number;
      }
      const line = theilSen(xs, ys, n);
      if (line) {
        s.slope = line.slope;
        // residuals overwrite ys: the values are not needed again in this evaluation
        for (let i = 0; i < n; i++) ys[i] = (ys[i] as number) - (line.intercept + line.slope * (xs[i] as number));
        const sigma = Math.max(MAD_TO_SIGMA * mad(ys.subarray(0, n)), rule.health.noiseFloor);
        const span = -(xs[0] as number);
        const significant = Math.abs(line.slope) * span >= rule.trend.significanceSigmas * sigma;
        const sign = rule.direction === 'rising' ? 1 : -1;
        const towards = sign * line.slope; // > 0: heading for danger

        if (rule.rate) {
          const fast = significant && towards >= rule.rate.perMinute;
          // hysteresis on the rate too: it must halve before the hit clears
          if (fast && !s.rateActive) {
            s.rateActive = true;
            hits.push({ ...base, rule: 'rate', phase: 'raised', slopePerMinute: line.slope });
          } else if (s.rateActive && !(significant && towards >= rule.rate.perMinute / 2)) {
            s.rateActive = false;
            hits.push({ ...base, rule: 'rate', phase: 'cleared', slopePerMinute: line.slope });
          }
        }

        if (rule.prediction && significant && towards > 0 && s.level !== 'alarm') {
          const target: 'warning' | 'alarm' = s.level === 'normal' ? 'warning' : 'alarm';
          const limit = target === 'warning' ? rule.warning.enter : rule.alarm.enter;
          // intercept is the fitted value now (x = 0): the trend, not the last noisy reading
          const minutes = (limit - line.intercept) / line.slope;
          if (minutes > 0 && minutes <= rule.prediction.horizonMinutes) {
            holds = true;
            s.prediction = { level: target, minutes, atT: now };
            if (levelRank(target) > levelRank(s.predicted)) {
              s.predicted = target;
              hits.push({
                ...base,
                rule: 'prediction',
                phase: 'raised',
                level: target,
                value: line.intercept,
                slopePerMinute: line.slope,
                predictedMinutes: minutes,
              });
            }
          }
        }
      }
    }
    // An episode ends when no prediction has held for a whole window and the level is back to normal.
    s.quietReadings = holds ? 0 : s.quietReadings + 1;
    if (s.predicted !== 'normal' && s.level === 'normal' && s.quietReadings >= rule.trend.minSamples)
      s.predicted = 'normal';
  }

  /** Missing sensors: call with the current time; raises a notice once per silence. */
  sweep(now: number): TelemetryAlertDraft[] {
    this.sweepStart ??= now;
    const hits: RuleHit[] = [];
    for (const s of this.sensors.values()) {
      const since = s.lastT ?? this.sweepStart;
      const silentMinutes = (now - since) / MINUTE;
      if (!s.missing && silentMinutes > s.rule.health.missingAfterMinutes) {
        s.missing = true;
        hits.push({
          rule: 'missing',
          phase: 'raised',
          assetId: s.asset.id,
          assetName: s.asset.name,
          sensor: s.sensor,
          t: now,
          count: Math.floor(silentMinutes),
        });
      }
    }
    return hits.map(toAlertDraft);
  }
}

/** The rule set for an asset: same kind, and the longest name prefix that matches (none = any name). */
export function ruleSetFor(ruleSets: readonly RuleSet[], asset: MonitoredAsset): RuleSet | undefined {
  let best: RuleSet | undefined;
  for (const r of ruleSets) {
    if (r.assetKind !== asset.kind) continue;
    if (r.namePrefix !== undefined && !asset.name.startsWith(r.namePrefix)) continue;
    if (!best || (r.namePrefix?.length ?? 0) > (best.namePrefix?.length ?? 0)) best = r;
  }
  return best;
}

/**
 * Isolated jumps: a difference larger than madK robust sigmas followed at once
 * by one as large the other way (out and back). A ramp, a step or a flood wave
 * moves one way and is not a spike; a glitching sensor goes out and comes back.
 */
export function countSpikes(vs: readonly number[], madK: number, noiseFloor: number): number {
  if (vs.length < 4) return 0;
  const d: number[] = [];
  const moved: number[] = [];
  for (let i = 1; i < vs.length; i++) {
    const step = (vs[i] as number) - (vs[i - 1] as number);
    d.push(step);
    if (step !== 0) moved.push(step);
  }
  // Repeats say nothing about the noise (a freezing sensor repeats): scale from the steps that moved.
  if (moved.length < 4) return 0;
  const limit = madK * Math.max(MAD_TO_SIGMA * mad(moved), noiseFloor);
  let count = 0;
  for (let i = 0; i + 1 < d.length; i++) {
    const a = d[i] as number;
    const b = d[i + 1] as number;
    if (Math.abs(a) > limit && Math.abs(b) > limit && Math.sign(a) !== Math.sign(b)) {
      count++;
      i++; // the way back is part of the same spike
    }
  }
  return count;
}
