import { describe, expect, it } from 'vitest';
import { SensorState as SensorStateSchema, TelemetryStatusPush } from '../../shared/telemetry/api';
import type { SensorState } from '../../shared/telemetry/api';
import { snapshotLoaded } from '../../renderer/state/actions';
import { createStore } from '../../renderer/state/store';
import {
  assetPanelClosed,
  assetPanelOpened,
  chartRangeChosen,
  selectAssetPanel,
  selectAssetStateCounts,
  selectAssetStates,
  selectAssetTelemetryState,
  selectMonitoredAssetIds,
  selectSensorStateById,
  sensorStatesLoaded,
  telemetryStatusReceived,
} from '../../renderer/state/telemetry';
import { alertSelected } from '../../renderer/state/ui';
import { assetStateOfRank, assetStateRank, worstOfSensors } from '../../renderer/telemetry/assetState';
import { assetRow, statusRow } from './rows';

const sensor = (assetId: string, over: Partial<SensorState> = {}): SensorState =>
  SensorStateSchema.parse({
    assetId,
    sensor: 'strain',
    unit: 'µε',
    t: 1_000,
    value: 300,
    level: 'normal',
    health: 'ok',
    slopePerMinute: null,
    prediction: null,
    ...over,
  });

const push = (p: Partial<TelemetryStatusPush>): TelemetryStatusPush =>
  TelemetryStatusPush.parse({ sensors: [], assets: [], ...p });

function storeWithAssets() {
  const store = createStore({ api: null });
  store.dispatch(
    snapshotLoaded({
      assets: [
        assetRow('BR-1', { name: 'Kings Bridge', criticality: 3 }),
        assetRow('BR-2', { name: 'Abbey Bridge', criticality: 5 }),
        assetRow('PL-1', { kind: 'pipeline', name: 'Gas main 1', criticality: 4 }),
        assetRow('HO-1', { kind: 'hospital', name: 'City Hospital', criticality: 5 }),
        assetRow('RG-1', { kind: 'river_gauge', name: 'Weir gauge', criticality: 2 }),
      ],
      alerts: [],
      status: statusRow(),
    }),
  );
  return store;
}

describe('telemetry slice', () => {
  it('keeps sensors by "asset/sensor" and the pushed worst state per asset', () => {
    const store = storeWithAssets();
    store.dispatch(
      telemetryStatusReceived(
        push({
          sensors: [sensor('BR-1'), sensor('BR-1', { sensor: 'deflection', unit: 'mm', value: 12 })],
          assets: [{ assetId: 'BR-1', state: 'warning' }],
        }),
      ),
    );
    const s = store.getState();
    expect(selectSensorStateById(s, 'BR-1/strain')?.value).toBe(300);
    expect(selectSensorStateById(s, 'BR-1/deflection')?.value).toBe(12);
    // The worker's word wins over what the sensors alone would say (both normal here).
    expect(selectAssetTelemetryState(s, 'BR-1')).toBe('warning');
    expect(selectAssetTelemetryState(s, 'BR-2')).toBeUndefined();
  });

  it('a push equal to what is held returns the very same state object', () => {
    const store = storeWithAssets();
    const p = push({ sensors: [sensor('BR-1')], assets: [{ assetId: 'BR-1', state: 'normal' }] });
    store.dispatch(telemetryStatusReceived(p));
    const before = store.getState().telemetry;
    store.dispatch(telemetryStatusReceived(structuredClone(p)));
    expect(store.getState().telemetry).toBe(before);
  });

  it('a push that moves one sensor keeps the other sensors and the asset states by reference', () => {
    const store = storeWithAssets();
    store.dispatch(
      telemetryStatusReceived(
        push({
          sensors: [sensor('BR-1'), sensor('BR-2')],
          assets: [
            { assetId: 'BR-1', state: 'normal' },
            { assetId: 'BR-2', state: 'normal' },
          ],
        }),
      ),
    );
    const s1 = store.getState();
    const other = selectSensorStateById(s1, 'BR-2/strain');
    const states = selectAssetStates(s1);
    const ids = selectMonitoredAssetIds(s1);
    store.dispatch(telemetryStatusReceived(push({ sensors: [sensor('BR-1', { t: 2_000, value: 301 })] })));
    const s2 = store.getState();
    expect(selectSensorStateById(s2, 'BR-1/strain')?.value).toBe(301);
    expect(selectSensorStateById(s2, 'BR-2/strain')).toBe(other);
    expect(selectAssetStates(s2)).toBe(states);
    expect(selectMonitoredAssetIds(s2)).toBe(ids);
  });

  it('derives an asset state from its sensors until the worker names one, and never guesses stale', () => {
    const store = storeWithAssets();
    store.dispatch(
      sensorStatesLoaded([
        sensor('PL-1', { sensor: 'pressure', unit: 'MPa', value: 0.29, level: 'warning' }),
        sensor('RG-1', { sensor: 'river_level', unit: 'm', value: null, t: null, health: 'missing' }),
      ]),
    );
    let s = store.getState();
    expect(selectAssetTelemetryState(s, 'PL-1')).toBe('warning');
    expect(selectAssetTelemetryState(s, 'RG-1')).toBe('fault');
    store.dispatch(telemetryStatusReceived(push({ assets: [{ assetId: 'RG-1', state: 'stale' }] })));
    s = store.getState();
    expect(selectAssetTelemetryState(s, 'RG-1')).toBe('stale');
  });

  it('lists monitored assets only, worst first, then most critical, then by name', () => {
    const store = storeWithAssets();
    let s = store.getState();
    // No telemetry yet: criticality, then name. The hospital carries no sensors.
    expect(selectMonitoredAssetIds(s)).toEqual(['BR-2', 'PL-1', 'BR-1', 'RG-1']);
    store.dispatch(
      telemetryStatusReceived(
        push({
          assets: [
            { assetId: 'RG-1', state: 'alarm' },
            { assetId: 'BR-1', state: 'fault' },
            { assetId: 'PL-1', state: 'stale' },
            { assetId: 'BR-2', state: 'normal' },
          ],
        }),
      ),
    );
    s = store.getState();
    expect(selectMonitoredAssetIds(s)).toEqual(['RG-1', 'BR-1', 'PL-1', 'BR-2']);
    expect(selectAssetStateCounts(s)).toEqual({ alarm: 1, warning: 0, fault: 1, stale: 1, normal: 1 });
  });

  it('opens and closes the asset panel; opening an alert takes the column back; the range is kept', () => {
    const store = storeWithAssets();
    store.dispatch(assetPanelOpened('BR-1'));
    store.dispatch(chartRangeChosen('24h'));
    expect(selectAssetPanel(store.getState())).toEqual({ assetId: 'BR-1', range: '24h' });
    store.dispatch(alertSelected({ id: null, origin: 'queue' }));
    expect(selectAssetPanel(store.getState()).assetId).toBe('BR-1');
    store.dispatch(alertSelected({ id: 'a1', origin: 'queue' }));
    expect(selectAssetPanel(store.getState())).toEqual({ assetId: null, range: '24h' });
    store.dispatch(assetPanelOpened('BR-2'));
    store.dispatch(assetPanelClosed());
    expect(selectAssetPanel(store.getState()).assetId).toBeNull();
  });

  it('keeps the counters the worker reports', () => {
    const store = storeWithAssets();
    store.dispatch(telemetryStatusReceived(push({ counters: { accepted: 10, refused: 1, droppedBatches: 0 } })));
    expect(store.getState().telemetry.counters).toEqual({ accepted: 10, refused: 1, droppedBatches: 0 });
  });
});

describe('asset states', () => {
  it('ranks alarm > warning > fault > stale > normal, and back', () => {
    const order = ['alarm', 'warning', 'fault', 'stale', 'normal'] as const;
    const ranks = order.map(assetStateRank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    for (const s of order) expect(assetStateOfRank(assetStateRank(s))).toBe(s);
    expect(assetStateRank(undefined)).toBe(0);
  });

  it('danger outranks a faulty sensor; no sensors, no state', () => {
    expect(worstOfSensors([])).toBeUndefined();
    expect(worstOfSensors([{ level: 'normal', health: 'ok' }])).toBe('normal');
    expect(
      worstOfSensors([
        { level: 'normal', health: 'spiking' },
        { level: 'warning', health: 'ok' },
      ]),
    ).toBe('warning');
    expect(
      worstOfSensors([
        { level: 'alarm', health: 'ok' },
        { level: 'warning', health: 'frozen' },
      ]),
    ).toBe('alarm');
    expect(worstOfSensors([{ level: 'normal', health: 'frozen' }])).toBe('fault');
  });
});
