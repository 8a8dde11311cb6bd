/**
 * Writes assets/basemap/demo-city.geojson from the simulator's city model, so the
 * map the officer sees and the assets the hub announces are the same city.
 * Run with `npm run basemap`; the output is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityBasemap } from '../hub/simulator/basemap';
import { buildDemoCity } from '../hub/simulator/city';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, 'assets/basemap/demo-city.geojson');
const city = buildDemoCity();
const geojson = cityBasemap(city);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(geojson)}\n`);
const byLayer = geojson.features.reduce<Record<string, number>>((acc, f) => {
  acc[f.properties.layer] = (acc[f.properties.layer] ?? 0) + 1;
  return acc;
}, {});
console.log(`basemap: ${out} (${JSON.stringify(byLayer)}; ${city.assets.length} assets in the city model)`);
