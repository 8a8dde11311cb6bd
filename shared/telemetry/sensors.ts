import { z } from 'zod';
import type { AssetKind } from '../domain/asset';

/**
 * The quantities the city's structural and hydraulic monitoring reports (issue 9).
 * Each kind has exactly one unit: readings carry the unit anyway, so a batch that
 * mixes up kPa and MPa is refused at the boundary instead of raising a false alarm.
 */
export const SensorKinds = [
  'strain', // bridge deck strain, microstrain
  'deflection', // bridge mid-span deflection
  'frequency', // bridge first natural frequency: a falling frequency means lost stiffness
  'convergence', // tunnel lining convergence
  'water_ingress', // tunnel water ingress
  'pressure', // pipeline pressure
  'flow', // pipeline flow
  'river_level', // river stage at a gauge
  'rainfall', // rain rate at a gauge
] as const;
export const SensorKind = z.enum(SensorKinds);
export type SensorKind = z.infer<typeof SensorKind>;

export const SENSOR_UNITS: Readonly<Record<SensorKind, string>> = {
  strain: 'µε',
  deflection: 'mm',
  frequency: 'Hz',
  convergence: 'mm',
  water_ingress: 'L/min',
  pressure: 'MPa',
  flow: 'm³/h',
  river_level: 'm',
  rainfall: 'mm/h',
};

/** How a sensor is named in a headline ("Kings Bridge strain …"). */
export const SENSOR_LABELS: Readonly<Record<SensorKind, string>> = {
  strain: 'strain',
  deflection: 'deflection',
  frequency: 'natural frequency',
  convergence: 'lining convergence',
  water_ingress: 'water ingress',
  pressure: 'pressure',
  flow: 'flow',
  river_level: 'river level',
  rainfall: 'rainfall',
};

/** Which sensors each monitored asset kind carries; other kinds carry none. */
export const SENSORS_BY_ASSET_KIND: Readonly<Partial<Record<AssetKind, readonly SensorKind[]>>> = {
  bridge: ['strain', 'deflection', 'frequency'],
  tunnel: ['convergence', 'water_ingress'],
  pipeline: ['pressure', 'flow'],
  river_gauge: ['river_level', 'rainfall'],
};

/** One sensor is one (asset, kind) pair: "BR-003/strain". */
export const sensorId = (assetId: string, sensor: SensorKind): string => `${assetId}/${sensor}`;
