import type { Feature, FeatureCollection } from 'geojson';

/**
 * The city basemap (`assets/basemap/demo-city.geojson`, generated from the hub's city model
 * by `npm run basemap`). Looked up with a glob so that a checkout without it still builds:
 * the map then shows assets and alerts on a plain background. It lands in its own chunk,
 * loaded after the first frame.
 */
const modules = import.meta.glob<unknown>('../../assets/basemap/demo-city.geojson', { import: 'default' });

export type BasemapLayer = 'district' | 'river' | 'road' | 'park' | 'water';

function isFeatureCollection(v: unknown): v is FeatureCollection {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { type?: unknown }).type === 'FeatureCollection' &&
    Array.isArray((v as { features?: unknown }).features)
  );
}

export async function loadBasemap(): Promise<FeatureCollection | null> {
  const load = Object.values(modules)[0];
  if (!load) return null;
  const data = await load();
  return isFeatureCollection(data) ? data : null;
}

export const featureLayer = (f: Feature): string => {
  const layer = (f.properties as { layer?: unknown } | null)?.layer;
  return typeof layer === 'string' ? layer : '';
};
export const featureName = (f: Feature): string => {
  const name = (f.properties as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '';
};
