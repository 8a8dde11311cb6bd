import { z } from 'zod';
import { LatLon } from './geo';

/** What the city owns and watches. Kinds are named the way the control room names them. */
export const AssetKinds = [
  'bridge',
  'tunnel',
  'pipeline',
  'pumping_station',
  'river_gauge',
  'substation',
  'hospital',
  'shelter',
  'fire_station',
  'police_station',
  'school',
  'water_treatment',
] as const;
export const AssetKind = z.enum(AssetKinds);
export type AssetKind = z.infer<typeof AssetKind>;

export const Asset = z.object({
  id: z.string().min(1).max(64),
  kind: AssetKind,
  name: z.string().min(1).max(200),
  district: z.string().max(100),
  /** 1 (low) … 5 (life-critical): orders affected-asset lists. */
  criticality: z.number().int().min(1).max(5),
  location: LatLon,
  /** Linear assets (pipelines, bridges, tunnels) also carry their line. */
  path: z.array(LatLon).max(10_000).optional(),
});
export type Asset = z.infer<typeof Asset>;
