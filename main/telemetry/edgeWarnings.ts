import type { ReadDb } from '../replica/db';
import type { AssetKind } from '../../shared/domain/asset';
import type { AssetTelemetryState, SensorState, TelemetryStatusPush } from '../../shared/telemetry/api';
import type { Reading } from '../../shared/telemetry/schema';
import { SENSOR_UNITS, SENSORS_BY_ASSET_KIND, sensorId, type SensorKind } from '../../shared/telemetry/sensors';
import { TelemetryRuleEngine, type MonitoredAsset, type SensorSnapshot } from '../../shared/telemetry/rules/engine';
import type { TelemetryAlertDraft } from '../../shared/telemetry/rules/drafts';
import type { Level } from '../../shared/telemetry/rules/hysteresis';
import type { RuleSet } from '../../shared/telemetry/rules/schema';

/** Asset kinds that carry sensors (shared/telemetry/sensors.ts). */
const MONITORED_KINDS = Object.keys(SENSORS_BY_ASSET_KIND) as AssetKind[];

export interface EdgeWarningsOptions {
  /** the replica: its assets table says which assets the rules watch */
  db: ReadDb;
  /** the rule sets in force (decision 0034: TelemetryRuleSource.currentRuleSets); called on every rebuild */
  ruleSets: () => readonly RuleSet[];
  /** write the drafts as local alerts + outbox rows (Replica.edge.record); returns changed alert ids */
  record: (drafts: readonly TelemetryAlertDraft[], levelNow: (d: TelemetryAlertDraft) => Level | undefined) => string[];
  /** alerts changed and actions are waiting in the outbox */
  onAlerts: (alertIds: string[]) => void;
}

export interface EdgeCounters {
  readings: number;
  drafts: number;
  danger: number;
  maintenance: number;
  cancels: number;
  rebuilds: number;
}

/**
 * The console's early warning at the edge (issue 9, decision 0032): the rule engine
 * (shared/telemetry/rules/engine.ts) fed with every reading the telemetry ingest accepts,
 * from the hub or a local second source, swept for silent sensors, its hits written as
 * local alerts at once. Also the source of the `telemetryStatus` push and of each
 * sensor's state for the charts (`sensorStateOf`).
 */
export class EdgeWarnings {
  private engine: TelemetryRuleEngine;
  private watched = new Set<string>();
  /** sensors whose state may have changed since the last status push */
  private readonly dirty = new Set<string>();
  private readonly assetStates = new Map<string, AssetTelemetryState>();
  readonly counters: EdgeCounters = { readings: 0, drafts: 0, danger: 0, maintenance: 0, cancels: 0, rebuilds: 0 };

  constructor(private readonly options: EdgeWarningsOptions) {
    this.engine = this.build();
  }

  /** Rebuild from the replica's assets and the rules in force (rules edited, assets announced). */
  rebuild(): void {
    const previous = this.engine;
    this.engine = this.build();
    // sensors whose asset and rule did not change keep their windows and episodes
    this.engine.adoptFrom(previous);
    this.counters.rebuilds++;
  }

  /**
   * Assets were upserted. Only noted here (a catch-up upserts thousands in batches): the next
   * reading or sweep rebuilds, and only when an asset the rules watch is new (the city's first
   * announcement), since a rebuild starts every sensor's window afresh.
   */
  assetsChanged(ids: readonly string[]): void {
    if (!this.assetsDirty && ids.some((id) => !this.watched.has(id))) this.assetsDirty = true;
  }

  private assetsDirty = false;
  private refresh(): void {
    if (!this.assetsDirty) return;
    this.assetsDirty = false;
    if (this.monitoredAssets().some((a) => !this.watched.has(a.id))) this.rebuild();
  }

  get sensorCount(): number {
    return this.engine.sensorCount;
  }

  /** Evaluate readings in arrival order; hits become local alerts in one transaction. */
  ingest(readings: readonly Reading[]): TelemetryAlertDraft[] {
    this.refresh();
    const drafts: TelemetryAlertDraft[] = [];
    for (const r of readings) {
      this.counters.readings++;
      const out = this.engine.ingest(r);
      if (out.length) drafts.push(...out);
      this.dirty.add(sensorId(r.assetId, r.sensor));
    }
    this.deliver(drafts);
    return drafts;
  }

  /** Silent sensors: call every few seconds with the current time. */
  sweep(now: number): TelemetryAlertDraft[] {
    this.refresh();
    const drafts = this.engine.sweep(now);
    for (const d of drafts) this.dirty.add(sensorId(d.assetId, d.sensor));
    this.deliver(drafts);
    return drafts;
  }

  /** One sensor's state as the engine sees it (for getTelemetrySeries); null when no rule covers it. */
  sensorStateOf(assetId: string, sensor: SensorKind): SensorState | null {
    const snap = this.engine.snapshotOf(assetId, sensor);
    return snap ? toSensorState(snap) : null;
  }

  /**
   * The status push (TelemetryStatusPush): the sensors touched since the last call and the
   * assets whose worst state changed; null when nothing did. Call at most once a second.
   */
  takeStatus(counters?: TelemetryStatusPush['counters']): TelemetryStatusPush | null {
    if (this.dirty.size === 0) return null;
    const sensors: SensorState[] = [];
    const assets = new Set<string>();
    for (const key of this.dirty) {
      const cut = key.lastIndexOf('/');
      const snap = this.engine.snapshotOf(key.slice(0, cut), key.slice(cut + 1) as SensorKind);
      if (!snap) continue;
      sensors.push(toSensorState(snap));
      assets.add(snap.assetId);
    }
    this.dirty.clear();
    const changedAssets: TelemetryStatusPush['assets'] = [];
    for (const assetId of assets) {
      const state = this.assetState(assetId);
      if (this.assetStates.get(assetId) !== state) {
        this.assetStates.set(assetId, state);
        changedAssets.push({ assetId, state });
      }
    }
    return { sensors, assets: changedAssets, ...(counters ? { counters } : {}) };
  }

  /** alarm > warning > fault (a sensor needs maintenance) > stale (all silent) > normal. */
  assetState(assetId: string): AssetTelemetryState {
    let worst: AssetTelemetryState = 'normal';
    let sensors = 0;
    let missing = 0;
    let fault = false;
    const kind = this.kindOf(assetId);
    for (const sensor of kind ? (SENSORS_BY_ASSET_KIND[kind] ?? []) : []) {
      const s = this.engine.snapshotOf(assetId, sensor);
      if (!s) continue;
      sensors++;
      if (s.level === 'alarm') return 'alarm';
      if (s.level === 'warning') worst = 'warning';
      if (s.health === 'missing') missing++;
      else if (s.health !== 'ok') fault = true;
    }
    if (worst === 'warning') return worst;
    if (sensors > 0 && missing === sensors) return 'stale';
    return fault || missing > 0 ? 'fault' : 'normal';
  }

  private readonly kinds = new Map<string, AssetKind>();
  private kindOf(assetId: string): AssetKind | undefined {
    return this.kinds.get(assetId);
  }

  private deliver(drafts: readonly TelemetryAlertDraft[]): void {
    if (drafts.length === 0) return;
    for (const d of drafts) {
      this.counters.drafts++;
      if (d.msgType === 'Cancel') this.counters.cancels++;
      else if (d.kind === 'maintenance') this.counters.maintenance++;
      else this.counters.danger++;
    }
    const changed = this.options.record(drafts, (d) => this.engine.levelOf(d.assetId, d.sensor));
    if (changed.length) this.options.onAlerts(changed);
  }

  private monitoredAssets(): MonitoredAsset[] {
    const marks = MONITORED_KINDS.map(() => '?').join(', ');
    return this.options.db
      .prepare(`SELECT id, kind, name FROM assets WHERE kind IN (${marks}) ORDER BY id`)
      .all(...MONITORED_KINDS) as MonitoredAsset[];
  }

  private build(): TelemetryRuleEngine {
    const assets = this.monitoredAssets();
    this.watched = new Set(assets.map((a) => a.id));
    this.kinds.clear();
    for (const a of assets) this.kinds.set(a.id, a.kind);
    this.assetStates.clear();
    return new TelemetryRuleEngine(this.options.ruleSets(), assets);
  }
}

function toSensorState(s: SensorSnapshot): SensorState {
  return {
    assetId: s.assetId,
    sensor: s.sensor,
    unit: SENSOR_UNITS[s.sensor],
    t: s.t,
    value: s.value,
    level: s.level,
    health: s.health,
    slopePerMinute: s.slopePerMinute,
    prediction: s.prediction,
  };
}
