import {
  createAction,
  createEntityAdapter,
  createSelector,
  createSlice,
  original,
  prepareAutoBatched,
  type PayloadAction,
} from '@reduxjs/toolkit';
import type {
  AssetTelemetryState,
  SensorState as SensorStateRow,
  TelemetryStatusPush,
} from '../../shared/telemetry/api';
import { sensorId } from '../../shared/telemetry/sensors';
import { assetStateRank, isMonitoredKind, worstOfSensors } from '../telemetry/assetState';
import { selectAllAssets, type AssetsState } from './assets';
import { sameData, type DeepReadonly } from './readonly';
import { incidentSelected } from './incidents';
import { alertSelected } from './ui';

/**
 * Telemetry as the renderer holds it (issue 9): the latest state of every sensor the
 * worker told us about (keyed "assetId/sensor"), each asset's worst state for the map
 * and the lists, and the asset panel the officer has open. Series and sparklines are
 * not here: they are big, belong to one open chart or visible row, and are fetched
 * by those components.
 */
export type SensorState = DeepReadonly<SensorStateRow>;

/** What the asset panel's charts span: the last hour raw, or a day or a week of minute buckets. */
export const ChartRanges = ['1h', '24h', '7d'] as const;
export type ChartRange = (typeof ChartRanges)[number];

export interface AssetPanelState {
  readonly assetId: string | null;
  readonly range: ChartRange;
}

export interface TelemetryCounters {
  readonly accepted: number;
  readonly refused: number;
  readonly droppedBatches: number;
}

const idOf = (s: Pick<SensorStateRow, 'assetId' | 'sensor'>): string => sensorId(s.assetId, s.sensor);
const adapter = createEntityAdapter<SensorState, string>({ selectId: idOf });

const initialState = adapter.getInitialState<{
  /** worst state per asset as the worker pushed it (authoritative; it alone knows 'stale') */
  readonly assetStates: Readonly<Record<string, AssetTelemetryState>>;
  readonly panel: AssetPanelState;
  readonly counters: TelemetryCounters | null;
}>({ assetStates: {}, panel: { assetId: null, range: '1h' }, counters: null });
export type TelemetryState = typeof initialState;

/** The worker's push: changed sensors and assets. Marked for auto-batching like the other pushes. */
export const telemetryStatusReceived = createAction(
  'telemetry/statusReceived',
  prepareAutoBatched<TelemetryStatusPush>(),
);

/** Sensor states that came with a series answer (the panel's charts). */
export const sensorStatesLoaded = createAction<readonly SensorStateRow[]>('telemetry/sensorStatesLoaded');

const telemetrySlice = createSlice({
  name: 'telemetry',
  initialState,
  reducers: {
    assetPanelOpened(state, action: PayloadAction<string>) {
      state.panel.assetId = action.payload;
    },
    assetPanelClosed(state) {
      state.panel.assetId = null;
    },
    chartRangeChosen(state, action: PayloadAction<ChartRange>) {
      state.panel.range = action.payload;
    },
  },
  extraReducers: (builder) => {
    /** Only rows that differ from the stored ones are written: an unchanged push keeps every reference. */
    const merge = (state: TelemetryState, rows: readonly SensorStateRow[]) => {
      if (rows.length === 0) return;
      const stored = original(state)?.entities ?? {};
      const changed = rows.filter((row) => !sameData(stored[idOf(row)], row));
      if (changed.length > 0) adapter.setMany(state, changed);
    };
    builder
      .addCase(telemetryStatusReceived, (state, action) => {
        const { sensors, assets, counters } = action.payload;
        merge(state, sensors);
        for (const { assetId, state: worst } of assets)
          if (state.assetStates[assetId] !== worst) state.assetStates[assetId] = worst;
        if (counters && !sameData(state.counters, counters)) state.counters = counters;
      })
      .addCase(sensorStatesLoaded, (state, action) => merge(state, action.payload))
      // An alert or incident the officer opens takes the detail column back from the asset panel.
      .addCase(alertSelected, (state, action) => {
        if (action.payload.id !== null && state.panel.assetId !== null) state.panel.assetId = null;
      })
      .addCase(incidentSelected, (state, action) => {
        if (action.payload !== null && state.panel.assetId !== null) state.panel.assetId = null;
      });
  },
});

export const { assetPanelOpened, assetPanelClosed, chartRangeChosen } = telemetrySlice.actions;
export const telemetryReducer = telemetrySlice.reducer;

interface WithTelemetry {
  readonly telemetry: TelemetryState;
}

interface WithTelemetryAndAssets extends WithTelemetry {
  readonly assets: AssetsState;
}

const adapterSelectors = adapter.getSelectors((s: WithTelemetry) => s.telemetry);
export const selectSensorStateById = adapterSelectors.selectById;
export const selectSensorStateEntities = adapterSelectors.selectEntities;
export const selectAssetPanel = (s: WithTelemetry) => s.telemetry.panel;
export const selectPanelAssetId = (s: WithTelemetry) => s.telemetry.panel.assetId;
export const selectChartRange = (s: WithTelemetry) => s.telemetry.panel.range;
export const selectTelemetryCounters = (s: WithTelemetry) => s.telemetry.counters;
const selectPushedAssetStates = (s: WithTelemetry) => s.telemetry.assetStates;

/**
 * Every asset's worst state: the worker's word where it gave one, else the worst of the
 * sensor states we hold for it. Recomputed only when a sensor or an asset state changed.
 */
export const selectAssetStates = createSelector(
  [selectSensorStateEntities, selectPushedAssetStates],
  (sensors, pushed): Readonly<Record<string, AssetTelemetryState>> => {
    const byAsset = new Map<string, SensorState[]>();
    for (const id in sensors) {
      const s = sensors[id];
      if (!s || pushed[s.assetId] !== undefined) continue;
      const list = byAsset.get(s.assetId);
      if (list) list.push(s);
      else byAsset.set(s.assetId, [s]);
    }
    if (byAsset.size === 0) return pushed;
    const out: Record<string, AssetTelemetryState> = { ...pushed };
    for (const [assetId, list] of byAsset) {
      const worst = worstOfSensors(list);
      if (worst) out[assetId] = worst;
    }
    return out;
  },
  // A push that moved only values (the common case) leaves every state, and the map, as it was.
  { memoizeOptions: { resultEqualityCheck: sameData } },
);

export const selectAssetTelemetryState = (s: WithTelemetry, assetId: string): AssetTelemetryState | undefined =>
  selectAssetStates(s)[assetId];

/**
 * The monitored assets (bridges, tunnels, pipelines, river gauges), worst state first,
 * then the most critical, then by name: the order of the "Monitored assets" board.
 */
export const selectMonitoredAssetIds = createSelector(
  [(s: WithTelemetryAndAssets) => selectAllAssets(s), selectAssetStates],
  (assets, states): readonly string[] =>
    assets
      .filter((a) => isMonitoredKind(a.kind))
      .sort(
        (a, b) =>
          assetStateRank(states[b.id]) - assetStateRank(states[a.id]) ||
          b.criticality - a.criticality ||
          a.name.localeCompare(b.name) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .map((a) => a.id),
  { memoizeOptions: { resultEqualityCheck: sameData } },
);

/** How many monitored assets stand in each state, for the map legend. */
export const selectAssetStateCounts = createSelector(
  [(s: WithTelemetryAndAssets) => selectMonitoredAssetIds(s), selectAssetStates],
  (ids, states): Readonly<Record<AssetTelemetryState, number>> => {
    const counts: Record<AssetTelemetryState, number> = { alarm: 0, warning: 0, fault: 0, stale: 0, normal: 0 };
    for (const id of ids) {
      const s = states[id];
      if (s) counts[s] += 1;
    }
    return counts;
  },
);
