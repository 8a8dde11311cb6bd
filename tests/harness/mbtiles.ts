import Database from 'better-sqlite3';
import { deflateSync } from 'node:zlib';

/**
 * Real MBTiles files for tests and benchmarks (basemap import, the e2e map, bench/basemap): real PNGs, encoded
 * here with node:zlib, in a real SQLite file laid out as MBTiles 1.3 says.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A `size`×`size` RGB PNG from its raw scanlines (each a filter byte 0, then RGB pixels). */
export function rgbPng(size: number, scanlines: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A `size`×`size` RGB PNG of one colour. */
export function solidPng(rgb: readonly [number, number, number], size = 256): Buffer {
  const row = Buffer.alloc(1 + size * 3); // filter byte 0, then pixels
  for (let i = 0; i < size; i++) row.set(rgb, 1 + i * 3);
  return rgbPng(size, Buffer.concat(Array.from({ length: size }, () => row)));
}

export interface XyzTile {
  z: number;
  x: number;
  /** XYZ row (from the north), as a map asks for it; written to the file as a TMS row */
  y: number;
  data: Uint8Array;
}

export interface MbtilesSpec {
  /** metadata rows; a value of null leaves the row out */
  metadata: Record<string, string | null>;
  tiles: readonly XyzTile[];
  /** leave out a table altogether (files that are not MBTiles) */
  omit?: 'metadata' | 'tiles';
}

/** Writes an MBTiles file: metadata and tiles tables, TMS rows, the MBTiles application id. */
export function writeMbtiles(file: string, spec: MbtilesSpec): void {
  const db = new Database(file);
  try {
    db.pragma('application_id = 0x4d504258'); // "MPBX", MBTiles' registered magic number
    if (spec.omit !== 'metadata') {
      db.exec('CREATE TABLE metadata (name text, value text)');
      const put = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
      for (const [name, value] of Object.entries(spec.metadata)) if (value !== null) put.run(name, value);
    }
    if (spec.omit !== 'tiles') {
      db.exec(
        'CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);' +
          'CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);',
      );
      const put = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
      db.transaction(() => {
        for (const t of spec.tiles) put.run(t.z, t.x, 2 ** t.z - 1 - t.y, Buffer.from(t.data));
      })();
    }
  } finally {
    db.close();
  }
}

/** XYZ tiles covering a lon/lat box at zoom z. */
export function tilesCovering(
  bounds: { west: number; south: number; east: number; north: number },
  z: number,
): { z: number; x: number; y: number }[] {
  const n = 2 ** z;
  const x = (lon: number) => Math.min(n - 1, Math.floor(((lon + 180) / 360) * n));
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.min(n - 1, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n));
  };
  const out: { z: number; x: number; y: number }[] = [];
  for (let tx = x(bounds.west); tx <= x(bounds.east); tx++)
    for (let ty = y(bounds.north); ty <= y(bounds.south); ty++) out.push({ z, x: tx, y: ty });
  return out;
}

/** The demo city's extent (assets/basemap/demo-city.geojson), slightly widened. */
export const DEMO_CITY_BOUNDS = { west: 9.88, south: 44.92, east: 10.12, north: 45.08 } as const;

/** A raster basemap of the demo city: every tile at zooms lo..hi one colour. */
export function cityMbtiles(
  file: string,
  options: { name?: string; rgb?: readonly [number, number, number]; minZoom?: number; maxZoom?: number } = {},
): { tiles: number } {
  const minZoom = options.minZoom ?? 10;
  const maxZoom = options.maxZoom ?? 13;
  const png = solidPng(options.rgb ?? [0xc8, 0x3c, 0xdc]);
  const tiles: XyzTile[] = [];
  for (let z = minZoom; z <= maxZoom; z++)
    for (const t of tilesCovering(DEMO_CITY_BOUNDS, z)) tiles.push({ ...t, data: png });
  const b = DEMO_CITY_BOUNDS;
  writeMbtiles(file, {
    metadata: {
      name: options.name ?? 'Test city raster',
      format: 'png',
      bounds: `${b.west},${b.south},${b.east},${b.north}`,
      center: `${(b.west + b.east) / 2},${(b.south + b.north) / 2},${minZoom + 1}`,
      minzoom: String(minZoom),
      maxzoom: String(maxZoom),
      attribution: '<a href="https://example.org">&copy; Test Mapping</a>',
      type: 'baselayer',
    },
    tiles,
  });
  return { tiles: tiles.length };
}
