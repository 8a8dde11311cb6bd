import type BetterSqlite3 from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import {
  LonLatBounds,
  MAX_LATITUDE,
  MAX_TILE_ZOOM,
  TILE_MIME,
  type TileFormat,
  type BasemapTile,
} from '../../shared/basemap';
import { WatchfloorError } from '../../shared/errors';
import { Database } from './sqlite';

/**
 * Reading MBTiles 1.3 files (https://github.com/mapbox/mbtiles-spec/blob/master/1.3/spec.md):
 * an SQLite database with a `metadata(name, value)` table and a `tiles(zoom_level,
 * tile_column, tile_row, tile_data)` table (either may be a view). Rows are numbered TMS
 * style, from the south: XYZ row y is TMS row 2^z − 1 − y.
 */

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What an MBTiles file says about itself, checked. */
export interface MbtilesInfo {
  name: string;
  format: TileFormat;
  bounds: LonLatBounds;
  minZoom: number;
  maxZoom: number;
  attribution: string | null;
}

export interface OpenOptions {
  /** a better-sqlite3 build for another ABI (Electron; decision 0005) */
  nativeBinding?: string | undefined;
}

const refuse = (code: ConstructorParameters<typeof WatchfloorError>[0], message: string): never => {
  throw new WatchfloorError(code, message);
};

/** True when the file starts with SQLite's 16-byte header. */
export function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

export function openMbtiles(file: string, options: OpenOptions = {}): Database {
  try {
    return new Database(file, {
      readonly: true,
      fileMustExist: true,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (err) {
    return refuse('BASEMAP_NOT_SQLITE', `SQLite could not open it (${(err as Error).message}).`);
  }
}

/** Image type by its first bytes; the `format` row is only a claim. */
export function sniffImage(data: Uint8Array): TileFormat | 'gzip' | null {
  if (data.length >= 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (
    data.length >= 12 &&
    Buffer.from(data.subarray(0, 4)).toString('latin1') === 'RIFF' &&
    Buffer.from(data.subarray(8, 12)).toString('latin1') === 'WEBP'
  )
    return 'webp';
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'gzip';
  return null;
}

const FORMATS: Readonly<Record<string, TileFormat | 'vector'>> = {
  png: 'png',
  'image/png': 'png',
  jpg: 'jpg',
  jpeg: 'jpg',
  'image/jpeg': 'jpg',
  webp: 'webp',
  'image/webp': 'webp',
  pbf: 'vector',
  mvt: 'vector',
  'application/x-protobuf': 'vector',
  'application/vnd.mapbox-vector-tile': 'vector',
};

const VECTOR_SENTENCE =
  'This MBTiles file holds vector tiles (pbf); the map draws raster tiles only. Export your city as raster tiles (png, jpg or webp) and import that file.';

const columnsOf = (db: Database, table: string): Set<string> | null => {
  const kind = db.prepare<[string], { type: string }>('SELECT type FROM sqlite_master WHERE name = ?').get(table);
  if (!kind || (kind.type !== 'table' && kind.type !== 'view')) return null;
  const columns = db.pragma(`table_info(${table})`) as { name: string }[];
  return new Set(columns.map((c) => c.name.toLowerCase()));
};

/** HTML attribution as plain text: tags dropped, entities for the common characters decoded. */
export function plainAttribution(html: string | undefined): string | null {
  if (!html) return null;
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&copy;/gi, '©')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&nbsp;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? text.slice(0, 1_000) : null;
}

function parseBounds(raw: string | undefined): LonLatBounds | null {
  if (raw === undefined) return null;
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [west, south, east, north] = parts as [number, number, number, number];
  const parsed = LonLatBounds.safeParse({
    west,
    south: Math.max(south, -MAX_LATITUDE),
    east,
    north: Math.min(north, MAX_LATITUDE),
  });
  return parsed.success ? parsed.data : null;
}

function parseZoom(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= MAX_TILE_ZOOM ? n : null;
}

/** Lon/lat box of a tile range at zoom z, XYZ numbering. */
function tileRangeBounds(z: number, minX: number, maxX: number, minY: number, maxY: number): LonLatBounds {
  const n = 2 ** z;
  const lon = (x: number) => (x / n) * 360 - 180;
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return { west: lon(minX), east: lon(maxX + 1), north: lat(minY), south: lat(maxY + 1) };
}

/**
 * Checks an opened file against MBTiles 1.3 and what the map can draw. Throws a
 * WatchfloorError with a BASEMAP_* code and a sentence saying what to do.
 * `fallbackName` is used when the `name` row is missing or empty.
 */
export function readMbtilesInfo(db: Database, fallbackName: string): MbtilesInfo {
  let metaColumns: Set<string> | null;
  let tileColumns: Set<string> | null;
  try {
    metaColumns = columnsOf(db, 'metadata');
    tileColumns = columnsOf(db, 'tiles');
  } catch (err) {
    // "file is not a database": the header was right, the rest is not SQLite.
    return refuse('BASEMAP_NOT_SQLITE', `SQLite could not read it (${(err as Error).message}).`);
  }
  if (!tileColumns || !['zoom_level', 'tile_column', 'tile_row', 'tile_data'].every((c) => tileColumns.has(c)))
    return refuse(
      'BASEMAP_NOT_MBTILES',
      'It is an SQLite database but not an MBTiles file: it has no tiles table (zoom_level, tile_column, tile_row, tile_data).',
    );
  if (!metaColumns || !metaColumns.has('name') || !metaColumns.has('value'))
    return refuse('BASEMAP_NOT_MBTILES', 'It is an SQLite database but not an MBTiles file: it has no metadata table.');

  const meta = new Map<string, string>();
  for (const row of db.prepare('SELECT name, value FROM metadata').all() as { name: unknown; value: unknown }[]) {
    if (typeof row.name === 'string' && row.value !== null && row.value !== undefined)
      meta.set(row.name.trim().toLowerCase(), String(row.value).trim());
  }

  const declared = meta.get('format')?.toLowerCase();
  const kind = declared ? FORMATS[declared] : undefined;
  if (kind === 'vector') return refuse('BASEMAP_VECTOR_TILES', VECTOR_SENTENCE);

  const sample = db
    .prepare('SELECT zoom_level AS z, tile_data AS data FROM tiles WHERE tile_data IS NOT NULL LIMIT 1')
    .get() as { z: number; data: unknown } | undefined;
  if (!sample)
    return refuse('BASEMAP_NO_TILES', 'The file has no tiles. Export the city again with at least one zoom level.');
  const sniffed = sample.data instanceof Uint8Array ? sniffImage(sample.data) : null;
  if (sniffed === 'gzip') return refuse('BASEMAP_VECTOR_TILES', VECTOR_SENTENCE);

  if (!declared)
    return refuse(
      'BASEMAP_BAD_METADATA',
      'The file does not say its tile format (the metadata row "format" is missing); it must be png, jpg or webp.',
    );
  if (!kind)
    return refuse(
      'BASEMAP_BAD_METADATA',
      `The file's tile format is "${declared.slice(0, 40)}"; the map draws png, jpg or webp tiles only.`,
    );
  if (sniffed === null)
    return refuse('BASEMAP_NO_TILES', `Its tiles are not ${kind} images (the first tile is not an image at all).`);

  let minZoom = parseZoom(meta.get('minzoom'));
  let maxZoom = parseZoom(meta.get('maxzoom'));
  if ((meta.has('minzoom') && minZoom === null) || (meta.has('maxzoom') && maxZoom === null))
    return refuse(
      'BASEMAP_BAD_METADATA',
      `Its zoom levels (minzoom "${meta.get('minzoom') ?? ''}", maxzoom "${meta.get('maxzoom') ?? ''}") must be whole numbers from 0 to ${MAX_TILE_ZOOM}.`,
    );
  if (minZoom === null || maxZoom === null) {
    // Optional in the spec (SHOULD): read them from the tiles.
    const range = db.prepare('SELECT MIN(zoom_level) AS lo, MAX(zoom_level) AS hi FROM tiles').get() as {
      lo: number | null;
      hi: number | null;
    };
    minZoom ??= range.lo;
    maxZoom ??= range.hi;
  }
  if (minZoom === null || maxZoom === null || minZoom > maxZoom || maxZoom > MAX_TILE_ZOOM || minZoom < 0)
    return refuse(
      'BASEMAP_BAD_METADATA',
      `Its zoom levels run from ${minZoom} to ${maxZoom}; they must run upwards within 0 to ${MAX_TILE_ZOOM}.`,
    );

  let bounds = parseBounds(meta.get('bounds'));
  if (meta.has('bounds') && bounds === null)
    return refuse(
      'BASEMAP_BAD_METADATA',
      `Its bounds "${meta.get('bounds')!.slice(0, 80)}" are not west,south,east,north in degrees (west < east, south < north).`,
    );
  if (!bounds) {
    // Optional in the spec: the extent of the tiles at the deepest zoom level.
    const r = db
      .prepare(
        'SELECT MIN(tile_column) AS x0, MAX(tile_column) AS x1, MIN(tile_row) AS r0, MAX(tile_row) AS r1 FROM tiles WHERE zoom_level = ?',
      )
      .get(maxZoom) as { x0: number; x1: number; r0: number; r1: number };
    const flip = 2 ** maxZoom - 1;
    bounds = tileRangeBounds(maxZoom, r.x0, r.x1, flip - r.r1, flip - r.r0);
  }

  const name = (meta.get('name') || fallbackName).slice(0, 200) || 'Imported basemap';
  return {
    name,
    format: kind,
    bounds,
    minZoom,
    maxZoom,
    attribution: plainAttribution(meta.get('attribution')),
  };
}

/** A tile larger than this is not sent (a 512 px JPEG is well under 1 MB; IPC copies every byte twice). */
export const MAX_TILE_BYTES = 4 * 1024 ** 2;

/** Reads tiles of one opened MBTiles file; XYZ in, TMS row in the query. */
export class MbtilesReader {
  private readonly tile: BetterSqlite3.Statement<[number, number, number], { data: unknown }>;

  constructor(private readonly db: Database) {
    this.tile = db.prepare(
      'SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?',
    );
  }

  /** The tile at XYZ (z, x, y), or null when the file has none there or it is not an image. */
  get(z: number, x: number, y: number): BasemapTile {
    const row = this.tile.get(z, x, 2 ** z - 1 - y);
    if (!row || !(row.data instanceof Uint8Array) || row.data.length > MAX_TILE_BYTES) return null;
    const kind = sniffImage(row.data);
    if (kind === null || kind === 'gzip') return null;
    return {
      mime: TILE_MIME[kind] as NonNullable<BasemapTile>['mime'],
      base64: Buffer.from(row.data).toString('base64'),
    };
  }

  close(): void {
    this.db.close();
  }
}
