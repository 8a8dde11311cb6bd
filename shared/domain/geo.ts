import { z } from 'zod';

/** WGS 84 latitude/longitude. CAP writes pairs as "lat,lon"; GeoJSON as [lon, lat]. We name them. */
export const LatLon = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type LatLon = z.infer<typeof LatLon>;

export const BBox = z.object({
  minLat: z.number(),
  minLon: z.number(),
  maxLat: z.number(),
  maxLon: z.number(),
});
export type BBox = z.infer<typeof BBox>;
