import type { LatLon } from '../../shared/domain/geo';

/**
 * An axis-aligned square ring of half-side `km` around `center`, closed (first point =
 * last) in CAP's lat,lon order: the area tests draw around a known demo-city asset.
 */
export function squareAround(center: LatLon, km: number): LatLon[] {
  const dLat = km / 111.32;
  const dLon = km / (111.32 * Math.cos((center.lat * Math.PI) / 180));
  return [
    { lat: center.lat - dLat, lon: center.lon - dLon },
    { lat: center.lat + dLat, lon: center.lon - dLon },
    { lat: center.lat + dLat, lon: center.lon + dLon },
    { lat: center.lat - dLat, lon: center.lon + dLon },
    { lat: center.lat - dLat, lon: center.lon - dLon },
  ];
}
