import { z } from 'zod';

/**
 * Basemaps (issue 5, decision 0019): the demo city's vector basemap ships inside the
 * renderer bundle; an officer may import an MBTiles file of raster tiles for their own
 * city. The console host keeps the copies in its data folder and serves their tiles over
 * the ConsoleApi, so the map never reaches the network.
 */

/** The built-in basemap (assets/basemap/demo-city.geojson), always present. */
export const DEMO_BASEMAP_ID = 'demo';

/** Raster tile formats a browser draws as an image. Vector (pbf) tiles are refused at import. */
export const TileFormat = z.enum(['png', 'jpg', 'webp']);
export type TileFormat = z.infer<typeof TileFormat>;

export const TILE_MIME: Readonly<Record<TileFormat, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

/** Web Mercator's latitude limit: tiles end here. */
export const MAX_LATITUDE = 85.0511287798;
/** Deepest zoom level accepted in a file (z 24 is ~2 cm per pixel). */
export const MAX_TILE_ZOOM = 24;

export const LonLatBounds = z
  .object({
    west: z.number().min(-180).max(180),
    south: z.number().min(-90).max(90),
    east: z.number().min(-180).max(180),
    north: z.number().min(-90).max(90),
  })
  .refine((b) => b.west < b.east && b.south < b.north, 'west must be less than east and south less than north');
export type LonLatBounds = z.infer<typeof LonLatBounds>;

export const BasemapId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'not a basemap id');

/** An imported MBTiles basemap, as the console host recorded it. */
export const ImportedBasemap = z.object({
  id: BasemapId,
  /** the file's `name` metadata (or its file name when that is empty) */
  name: z.string().min(1).max(200),
  format: TileFormat,
  bounds: LonLatBounds,
  minZoom: z.number().int().min(0).max(MAX_TILE_ZOOM),
  maxZoom: z.number().int().min(0).max(MAX_TILE_ZOOM),
  /** the file's attribution as plain text (its HTML tags removed), or null */
  attribution: z.string().max(1_000).nullable(),
  /** size of the copy in the console's data folder */
  bytes: z.number().int().nonnegative(),
  /** the file name it was imported from (not the path: that may be gone) */
  sourceName: z.string().max(300),
  importedAt: z.string(),
});
export type ImportedBasemap = z.infer<typeof ImportedBasemap>;

/** What the map can show and which one it shows: `active` is DEMO_BASEMAP_ID or an imported id. */
export const BasemapList = z.object({
  active: z.string(),
  imported: z.array(ImportedBasemap),
  /**
   * Whether importBasemap takes a typed path. False in the desktop shell: there it imports
   * only a file the officer picked in the shell's dialog, so the page cannot name files.
   */
  importByPath: z.boolean(),
});
export type BasemapList = z.infer<typeof BasemapList>;

export const ImportBasemapArgs = z.object({ path: z.string().min(1).max(4_096) });
export const SetActiveBasemapArgs = z.object({ id: z.union([z.literal(DEMO_BASEMAP_ID), BasemapId]) });

/** One tile in XYZ numbering (y down from the north, as Leaflet asks); the host flips it to the file's TMS row. */
export const BasemapTileArgs = z
  .object({
    id: BasemapId,
    z: z.number().int().min(0).max(MAX_TILE_ZOOM),
    x: z.number().int().nonnegative(),
    y: z.number().int().nonnegative(),
  })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, 'x and y must be inside the zoom level');
export type BasemapTileArgs = z.infer<typeof BasemapTileArgs>;

/** A tile's bytes as base64 (crosses Electron IPC and Playwright bindings alike); null where the file has none. */
export const BasemapTile = z
  .object({
    mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    base64: z.string(),
  })
  .nullable();
export type BasemapTile = z.infer<typeof BasemapTile>;

/** The shell's file dialog: the chosen path, or null when the officer cancelled. */
export const ChosenFile = z.object({ path: z.string().nullable() });

/** The ConsoleApi operations the console host answers itself, without the replica worker. */
export const BASEMAP_OPERATIONS = [
  'getBasemaps',
  'importBasemap',
  'setActiveBasemap',
  'getBasemapTile',
  'chooseBasemapFile',
] as const;
export type BasemapOperation = (typeof BASEMAP_OPERATIONS)[number];
