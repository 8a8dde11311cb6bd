import { statSync } from 'node:fs';
import { join } from 'node:path';
import { BasemapStore } from '../main/basemap/store';
import { DEMO_CITY_BOUNDS, rgbPng, tilesCovering, writeMbtiles, type XyzTile } from '../tests/harness/mbtiles';
import { tempDir, type BenchContext } from './harness';
import { percentile, type Figure } from './report';

/**
 * Offline basemaps (issue 5, decision 0019): importing a city's MBTiles file (check, copy,
 * check the copy) and reading tiles as the map asks for them, through the console host's
 * BasemapStore (one indexed SELECT and a base64 encoding per tile; the IPC hop is not in it).
 * Tiles are ~25 KB PNGs (noise in every eighth row), about what a rendered street map weighs.
 */

function noisyPng(seed: number): Buffer {
  // Rows of noise keep deflate honest: a solid tile would be a few hundred bytes.
  const size = 256;
  const raw = Buffer.alloc(size * (1 + size * 3));
  let s = Math.imul(seed, 2654435761) >>> 0;
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    for (let i = 1; i <= size * 3; i++) {
      if (y % 8 === 0) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        raw[row + i] = s >>> 24;
      } else raw[row + i] = (i + seed) & 0xff;
    }
  }
  return rgbPng(size, raw);
}

export async function basemap(ctx: BenchContext): Promise<Figure[]> {
  const maxZoom = ctx.quick ? 14 : 16;
  const dir = tempDir('basemap');
  try {
    const tiles: XyzTile[] = [];
    let n = 0;
    for (let z = 10; z <= maxZoom; z++)
      for (const t of tilesCovering(DEMO_CITY_BOUNDS, z)) tiles.push({ ...t, data: noisyPng(n++) });
    const source = join(dir.path, 'city.mbtiles');
    writeMbtiles(source, {
      metadata: { name: 'Bench city', format: 'png', minzoom: '10', maxzoom: String(maxZoom) },
      tiles,
    });
    const bytes = statSync(source).size;

    const store = new BasemapStore({ dataDir: join(dir.path, 'console'), log: () => {} });
    const t0 = performance.now();
    const imported = await store.import(source);
    const importMs = performance.now() - t0;

    // Tiles in the order a map pans over the city: each zoom level row by row, twice (cold, then warm).
    const times: number[] = [];
    for (let pass = 0; pass < 2; pass++)
      for (const t of tiles) {
        const s = performance.now();
        store.tile({ id: imported.id, z: t.z, x: t.x, y: t.y });
        times.push(performance.now() - s);
      }
    store.close();
    times.sort((a, b) => a - b);
    const mb = bytes / 1024 ** 2;
    ctx.note(
      `basemap: ${tiles.length} tiles (z 10–${maxZoom}), ${mb.toFixed(1)} MB file; import ${importMs.toFixed(0)} ms; ` +
        `tile read p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms.`,
    );
    return [
      { name: 'basemap.import', value: importMs, unit: `ms for ${mb.toFixed(1)} MB` },
      { name: 'basemap.import.rate', value: mb / (importMs / 1000), unit: 'MB/s' },
      { name: 'basemap.tile.p50', value: percentile(times, 50), unit: 'ms' },
      { name: 'basemap.tile.p99', value: percentile(times, 99), unit: 'ms' },
    ];
  } finally {
    dir.remove();
  }
}
