import type { Asset } from '../../shared/domain/asset';
import type { AssetTelemetryState, SensorState, TelemetryStatusPush } from '../../shared/telemetry/api';
import { SENSORS_BY_ASSET_KIND, SENSOR_UNITS } from '../../shared/telemetry/sensors';
import { snapshotLoaded } from '../../renderer/state/actions';
import { createStore } from '../../renderer/state/store';
import { selectAssetStates, selectMonitoredAssetIds, telemetryStatusReceived } from '../../renderer/state/telemetry';
import { chartColumns, projectionOf, yRange, type ChartSeries } from '../../renderer/telemetry/chartModel';

/** One figure, as bench/report.ts writes them (bench/ is Node-typed and cannot import the renderer's store). */
interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
}

/**
 * `npx tsx tests/renderer/telemetryFigures.ts [--quick]`: one JSON line per figure.
 *
 * Telemetry in the renderer (issue 9): what a `telemetryStatus` push costs the main
 * thread at city scale, reducer plus the selectors the map and the monitored-asset
 * list read, and what one week's chart costs to lay out for uPlot. Pure Node (the
 * renderer's store and helpers, no DOM): the canvas drawing itself is not in these figures.
 * Target: a steady push (values moved, no state changed) within one frame (16 ms).
 */
const KINDS = ['bridge', 'tunnel', 'pipeline', 'river_gauge'] as const;
const STATES: readonly AssetTelemetryState[] = ['normal', 'normal', 'normal', 'warning', 'fault', 'stale', 'alarm'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function cityOf(count: number): Asset[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `M-${i}`,
    kind: KINDS[i % KINDS.length]!,
    name: `Monitored asset ${i}`,
    district: `D${i % 12}`,
    criticality: 1 + (i % 5),
    location: { lat: 51 + (i % 200) / 1000, lon: 4 + Math.floor(i / 200) / 1000 },
  }));
}

function sensorsOf(assets: readonly Asset[], t: number, bump: number): SensorState[] {
  const out: SensorState[] = [];
  for (const a of assets)
    for (const sensor of SENSORS_BY_ASSET_KIND[a.kind] ?? [])
      out.push({
        assetId: a.id,
        sensor,
        unit: SENSOR_UNITS[sensor],
        t,
        value: 100 + bump,
        level: 'normal',
        health: 'ok',
        slopePerMinute: 0.1,
        prediction: null,
      });
  return out;
}

export function telemetryRendererFigures(ctx: { quick: boolean; note(line: string): void }): Figure[] {
  const assetCount = ctx.quick ? 1_000 : 4_000;
  const reps = ctx.quick ? 5 : 15;
  const assets = cityOf(assetCount);
  const store = createStore({ api: null });
  store.dispatch(
    snapshotLoaded({
      assets,
      alerts: [],
      status: {
        state: 'online',
        since: new Date().toISOString(),
        hubUrl: 'http://127.0.0.1:1',
        cursor: 0,
        head: 0,
        pendingActions: 0,
        officer: null,
        lastError: null,
      },
    }),
  );
  const read = () => {
    const s = store.getState();
    selectAssetStates(s);
    return selectMonitoredAssetIds(s).length;
  };
  read();

  // The first push: every sensor and every asset's state.
  const all = sensorsOf(assets, 1_000, 0);
  const first: TelemetryStatusPush = {
    sensors: all,
    assets: assets.map((a, i) => ({ assetId: a.id, state: STATES[i % STATES.length]! })),
  };
  const f0 = performance.now();
  store.dispatch(telemetryStatusReceived(first));
  read();
  const firstMs = performance.now() - f0;

  // Steady pushes: 500 sensors moved, no state changed (the common second).
  const steady: number[] = [];
  for (let r = 1; r <= reps; r++) {
    const moved = all.slice(r * 500, r * 500 + 500).map((s) => ({ ...s, t: 1_000 + r, value: 100 + r }));
    const t0 = performance.now();
    store.dispatch(telemetryStatusReceived({ sensors: moved, assets: [] }));
    read();
    steady.push(performance.now() - t0);
  }

  // 100 assets change state: the monitored list re-sorts, the map restyles.
  const changing: number[] = [];
  for (let r = 1; r <= reps; r++) {
    const states = assets.slice(r * 100, r * 100 + 100).map((a) => ({
      assetId: a.id,
      state: STATES[(r + 3) % STATES.length]!,
    }));
    const t0 = performance.now();
    store.dispatch(telemetryStatusReceived({ sensors: [], assets: states }));
    read();
    changing.push(performance.now() - t0);
  }

  // One week of minute buckets laid out for uPlot with levels and a projection.
  const n = 7 * 24 * 60;
  const series: ChartSeries = {
    resolution: 'minute',
    t: Array.from({ length: n }, (_, i) => i * 60_000),
    mean: Array.from({ length: n }, (_, i) => 300 + Math.sin(i / 100) * 50),
    min: Array.from({ length: n }, (_, i) => 290 + Math.sin(i / 100) * 50),
    max: Array.from({ length: n }, (_, i) => 310 + Math.sin(i / 100) * 50),
  };
  const levels = { direction: 'rising' as const, warning: 600, alarm: 850 };
  const last = {
    ...all[0]!,
    t: (n - 1) * 60_000,
    value: 350,
    prediction: { level: 'warning' as const, minutes: 40, atT: (n - 1) * 60_000 },
  };
  const layout: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const projection = projectionOf(last, levels);
    chartColumns(series, levels, projection);
    yRange(series, levels, projection);
    layout.push(performance.now() - t0);
  }

  ctx.note(
    `telemetry-renderer: ${assetCount} monitored assets, ${all.length} sensors in the store; medians of ${reps} runs.`,
  );
  const steadyMs = median(steady);
  return [
    {
      name: `telemetry push, first (all ${all.length} sensors + asset states) into the store`,
      value: +firstMs.toFixed(1),
      unit: 'ms',
    },
    {
      name: 'telemetry push, steady (500 sensors moved) reducer + map/list selectors',
      value: +steadyMs.toFixed(2),
      unit: 'ms',
      target: '< 16 ms',
      met: steadyMs < 16,
    },
    {
      name: 'telemetry push, 100 asset states changed (list re-sorted)',
      value: +median(changing).toFixed(2),
      unit: 'ms',
    },
    { name: 'telemetry chart layout, 7 days of minute buckets', value: +median(layout).toFixed(2), unit: 'ms' },
  ];
}

const quick = (globalThis as { process?: { argv: string[] } }).process?.argv.includes('--quick') ?? false;
for (const figure of telemetryRendererFigures({ quick, note: (line) => console.log(JSON.stringify({ note: line })) }))
  console.log(JSON.stringify(figure));
