import {
  createAction,
  createEntityAdapter,
  createSelector,
  createSlice,
  prepareAutoBatched,
  type PayloadAction,
  type UnknownAction,
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
    builder
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

/**
 * Merge sensor rows and asset states into the state without Immer: a push comes every
 * second and may carry thousands of rows, and writing them one by one through Immer's
 * proxies cost far more than one copy of each table that changed (measured:
 * tests/renderer/telemetryFigures.ts). Only rows that differ from the stored ones are
 * written; a push that changes nothing returns the very same state object.
 */
export function mergeTelemetry(
  state: TelemetryState,
  sensors: readonly SensorStateRow[],
  assets: TelemetryStatusPush['assets'] = [],
  counters?: TelemetryCounters,
): TelemetryState {
  let entities: Record<string, SensorState | undefined> | null = null;
  let newIds: string[] | null = null;
  for (const row of sensors) {
    const id = idOf(row);
    const stored = (entities ?? state.entities)[id];
    if (sameData(stored, row)) continue;
    entities ??= { ...state.entities };
    if (stored === undefined) (newIds ??= []).push(id);
    entities[id] = row;
  }
  let assetStates: Record<string, AssetTelemetryState> | null = null;
  for (const { assetId, state: worst } of assets) {
    if ((assetStates ?? state.assetStates)[assetId] === worst) continue;
    assetStates ??= { ...state.assetStates };
    assetStates[assetId] = worst;
  }
  const countersChanged = counters !== undefined && !sameData(state.counters, counters);
  if (!entities && !assetStates && !countersChanged) return state;
  return {
    ...state,
    ...(entities ? { entities: entities as TelemetryState['entities'] } : {}),
    ...(newIds ? { ids: [...state.ids, ...newIds] } : {}),
    ...(assetStates ? { assetStates } : {}),
    ...(countersChanged ? { counters } : {}),
  };
}

export function telemetryReducer(state: TelemetryState | undefined, action: UnknownAction): TelemetryState {
  if (state && telemetryStatusReceived.match(action)) {
    const { sensors, assets, counters } = action.payload;
    return mergeTelemetry(state, sensors, assets, counters);
  }
  if (state && sensorStatesLoaded.match(action)) return mergeTelemetry(state, action.payload);
  return telemetrySlice.reducer(state, action);
}

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
