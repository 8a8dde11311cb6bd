import type { AssetKind } from '../../shared/domain/asset';
import type { AssetTelemetryState, SensorState } from '../../shared/telemetry/api';
import { SENSORS_BY_ASSET_KIND, type SensorKind } from '../../shared/telemetry/sensors';

/**
 * How bad an asset's telemetry state is, worst highest: the order the map stacks and
 * clusters by, and the monitored-asset list sorts by. `undefined` (no telemetry heard
 * yet) ranks with normal.
 */
export const ASSET_STATE_RANK: Readonly<Record<AssetTelemetryState, number>> = {
  alarm: 4,
  warning: 3,
  fault: 2,
  stale: 1,
  normal: 0,
};
const STATE_OF_RANK: readonly AssetTelemetryState[] = ['normal', 'stale', 'fault', 'warning', 'alarm'];

export const assetStateRank = (s: AssetTelemetryState | undefined): number => (s ? ASSET_STATE_RANK[s] : 0);
/** The state a cluster weight stands for (0 is normal, or no telemetry). */
export const assetStateOfRank = (rank: number): AssetTelemetryState =>
  STATE_OF_RANK[Math.max(0, Math.min(4, Math.floor(rank)))]!;

/** The sensors an asset of this kind carries; none for the kinds nobody monitors (or a kind we do not know). */
export const sensorsOfKind = (kind: AssetKind | string): readonly SensorKind[] =>
  (Object.hasOwn(SENSORS_BY_ASSET_KIND, kind) && SENSORS_BY_ASSET_KIND[kind as AssetKind]) || [];
export const isMonitoredKind = (kind: AssetKind | string): boolean => sensorsOfKind(kind).length > 0;

/**
 * An asset's worst state from its sensors' states, for an asset the worker has not
 * told us about yet (a series answered before the first push). Danger first, then a
 * sensor that needs maintenance. 'stale' needs the worker's missing window, so it is
 * never guessed here: the pushed state says it.
 */
export function worstOfSensors(
  sensors: readonly Pick<SensorState, 'level' | 'health'>[],
): AssetTelemetryState | undefined {
  if (sensors.length === 0) return undefined;
  let worst: AssetTelemetryState = 'normal';
  for (const s of sensors) {
    const own: AssetTelemetryState = s.level !== 'normal' ? s.level : s.health !== 'ok' ? 'fault' : 'normal';
    if (ASSET_STATE_RANK[own] > ASSET_STATE_RANK[worst]) worst = own;
  }
  return worst;
}
