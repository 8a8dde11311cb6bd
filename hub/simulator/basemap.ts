import { toLatLon, type Xy } from './geometry';
import type { DemoCity } from './city';

/**
 * The demo city's basemap as GeoJSON ([lon, lat] order), drawn by the renderer
 * as vector layers so the console needs no tiles from the internet.
 */
export type BasemapLayer = 'district' | 'river' | 'road' | 'park' | 'water';

interface Feature {
  type: 'Feature';
  properties: { layer: BasemapLayer; name: string; class?: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'LineString'; coordinates: number[][] };
}

const coords = (line: readonly Xy[]): number[][] =>
  line.map((p) => {
    const { lat, lon } = toLatLon(p);
    return [lon, lat];
  });

const polygon = (layer: BasemapLayer, name: string, ring: readonly Xy[]): Feature => ({
  type: 'Feature',
  properties: { layer, name },
  geometry: { type: 'Polygon', coordinates: [coords(ring)] },
});

export function cityBasemap(city: DemoCity): {
  type: 'FeatureCollection';
  name: string;
  features: Feature[];
} {
  return {
    type: 'FeatureCollection',
    name: city.name,
    features: [
      ...city.districts.map((d) => polygon('district', d.name, d.ring)),
      ...city.parks.map((p) => polygon('park', p.name, p.ring)),
      ...city.water.map((w) => polygon('water', w.name, w.ring)),
      polygon('river', city.river.name, city.river.banks),
      ...city.roads.map((r): Feature => ({
        type: 'Feature',
        properties: { layer: 'road', name: r.name, class: r.class },
        geometry: { type: 'LineString', coordinates: coords(r.line) },
      })),
    ],
  };
}
