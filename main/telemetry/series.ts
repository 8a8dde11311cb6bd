import type { Statement } from 'better-sqlite3';
import { systemClock, type Clock } from '../../shared/clock';
import type { AssetKind } from '../../shared/domain/asset';
import type {
  SensorState,
  Sparklines,
  SparklinesArgs,
  TelemetrySeries,
  TelemetrySeriesArgs,
} from '../../shared/telemetry/api';
import { ruleSetFor } from '../../shared/telemetry/rules/engine';
import type { RuleSet } from '../../shared/telemetry/rules/schema';
import { SENSOR_UNITS, SENSORS_BY_ASSET_KIND, type SensorKind } from '../../shared/telemetry/sensors';
import type { z } from 'zod';
import type { ReadDb } from '../replica/db';
import { loadBundledRules } from './bundledRules';
import { DEFAULT_RETENTION, HOUR_MS, MINUTE_MS, type TelemetryRetention, type TelemetryStore } from './store';

/** Points in one series at most (the contract's bound); a longer span keeps its newest end. */
export const SERIES_MAX_POINTS = 20_000;
/** Points in one sparkline at most: the last hour as minute means. */
export const SPARKLINE_POINTS = 60;

/** The rule sets in force (the bundled files, overridden by supervisors' edits: decision 0034). */
export type RuleSetsInForce = () => readonly RuleSet[];
/** A sensor's state as the edge rule engine sees it, or null (nothing received, or no engine yet). */
export type SensorStateOf = (assetId: string, sensor: SensorKind) => SensorState | null;

export interface TelemetryQueryOptions {
  db: ReadDb;
  store: TelemetryStore;
  /** default: the bundled files (assets/telemetry-rules), read on first use */
  ruleSets?: RuleSetsInForce;
  clock?: Clock;
  retention?: TelemetryRetention;
}

interface AssetRow {
  kind: AssetKind;
  name: string;
}

/**
 * The read side of the replica's telemetry for the ConsoleApi (issue 9): one sensor's series
 * for a chart (raw readings within the last hour, else minute buckets), with the levels of
 * the rule in force and the sensor's state, and sparklines for asset lists.
 */
export class TelemetryQueries {
  private readonly asset: Statement;
  private readonly clock: Clock;
  private readonly retention: TelemetryRetention;
  private stateOf: SensorStateOf = () => null;
  private ruleSets: RuleSetsInForce;

  constructor(private readonly options: TelemetryQueryOptions) {
    this.asset = options.db.prepare('SELECT kind, name FROM assets WHERE id = ?');
    this.clock = options.clock ?? systemClock;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    let bundled: readonly RuleSet[] | null = null;
    this.ruleSets = options.ruleSets ?? (() => (bundled ??= loadBundledRules().ruleSets));
  }

  /** Where the rules in force come from (the worker's TelemetryRuleSource, decision 0034). */
  setRuleSource(ruleSets: RuleSetsInForce): void {
    this.ruleSets = ruleSets;
  }

  /** Where the sensors' states come from (the edge rule engine, once it runs). */
  setStateProvider(stateOf: SensorStateOf): void {
    this.stateOf = stateOf;
  }

  series(args: z.output<typeof TelemetrySeriesArgs>): TelemetrySeries {
    const now = this.clock.now();
    const to = args.to ?? now;
    const from = args.from ?? to - HOUR_MS;
    const resolution = args.resolution ?? (from >= now - this.retention.rawMs ? 'raw' : 'minute');
    const out: TelemetrySeries = {
      assetId: args.assetId,
      sensor: args.sensor,
      unit: SENSOR_UNITS[args.sensor],
      resolution,
      t: [],
      mean: [],
      min: [],
      max: [],
      levels: this.levels(args.assetId, args.sensor),
      state: this.stateOf(args.assetId, args.sensor),
    };
    if (to < from) return out;
    if (resolution === 'raw') {
      for (const p of this.options.store.raw(args.assetId, args.sensor, from, to, SERIES_MAX_POINTS)) {
        out.t.push(p.t);
        out.mean.push(p.value);
        out.min.push(p.value);
        out.max.push(p.value);
      }
    } else {
      // the bucket holding `from` is part of the span
      const first = Math.floor(from / MINUTE_MS) * MINUTE_MS;
      for (const b of this.options.store.minutes(args.assetId, args.sensor, first, to, SERIES_MAX_POINTS)) {
        out.t.push(b.minute);
        out.mean.push(b.mean);
        out.min.push(b.min);
        out.max.push(b.max);
      }
    }
    return out;
  }

  /** The last hour of each asset's first sensor, as minute means; assets without sensors are left out. */
  sparklines(args: z.output<typeof SparklinesArgs>): Sparklines {
    const now = this.clock.now();
    const out: Sparklines = [];
    for (const assetId of args.assetIds) {
      const asset = this.asset.get(assetId) as AssetRow | undefined;
      const sensor = asset ? SENSORS_BY_ASSET_KIND[asset.kind]?.[0] : undefined;
      if (!sensor) continue;
      // minutes starting in (now − 1 h, now]: at most 60
      const buckets = this.options.store.minutes(assetId, sensor, now - HOUR_MS + 1, now, SPARKLINE_POINTS);
      out.push({ assetId, sensor, unit: SENSOR_UNITS[sensor], values: buckets.map((b) => b.mean) });
    }
    return out;
  }

  /** Warning and alarm levels (where they are entered) of the rule in force for this asset's sensor. */
  private levels(assetId: string, sensor: SensorKind): TelemetrySeries['levels'] {
    const asset = this.asset.get(assetId) as AssetRow | undefined;
    if (!asset) return null;
    const rule = ruleSetFor(this.ruleSets(), { id: assetId, ...asset })?.sensors.find((s) => s.sensor === sensor);
    return rule ? { direction: rule.direction, warning: rule.warning.enter, alarm: rule.alarm.enter } : null;
  }
}
