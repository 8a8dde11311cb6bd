import L from 'leaflet';
import type { BasemapTile, BasemapTileArgs, ImportedBasemap } from '../../shared/basemap';
import type { Result } from '../../shared/errors';

/**
 * An imported MBTiles basemap on the map (decision 0019). Leaflet asks for tiles by
 * XYZ address; each comes from the console host over the ConsoleApi as base64 and is
 * shown as a data: URL (already allowed by the CSP's img-src), so the page never makes
 * a request for a tile: no network, no new origin, nothing to revoke.
 */

export type FetchTile = (args: BasemapTileArgs) => Promise<Result<BasemapTile>>;

export interface TileLayerEvents {
  /** a tile could not be read (the host answered with an error); once per layer */
  onError?(message: string): void;
}

/** Zoom levels below the file's lowest still show it, scaled down, this far (4^n tiles per tile). */
const SCALE_DOWN_LEVELS = 2;

export function createBasemapTileLayer(
  basemap: ImportedBasemap,
  fetchTile: FetchTile,
  events: TileLayerEvents = {},
): L.GridLayer {
  const { west, south, east, north } = basemap.bounds;
  let reported = false;
  const Layer = L.GridLayer.extend({
    createTile(coords: L.Coords, done: L.DoneCallback): HTMLElement {
      const img = document.createElement('img');
      img.alt = '';
      img.setAttribute('role', 'presentation');
      img.draggable = false;
      img.decoding = 'async';
      fetchTile({ id: basemap.id, z: coords.z, x: coords.x, y: coords.y })
        .then((result) => {
          if (!result.ok) {
            if (!reported) events.onError?.(result.error.message);
            reported = true;
            done(new Error(result.error.message), img);
            return;
          }
          if (result.value === null) {
            // No tile there in the file: leave the square empty (the map's background).
            img.style.visibility = 'hidden';
            done(undefined, img);
            return;
          }
          img.onload = () => done(undefined, img);
          img.onerror = () => done(new Error('tile image could not be decoded'), img);
          img.src = `data:${result.value.mime};base64,${result.value.base64}`;
        })
        .catch((err: unknown) => done(err instanceof Error ? err : new Error(String(err)), img));
      return img;
    },
  }) as new (options: L.GridLayerOptions) => L.GridLayer;
  return new Layer({
    tileSize: 256,
    minZoom: Math.max(0, basemap.minZoom - SCALE_DOWN_LEVELS),
    minNativeZoom: basemap.minZoom,
    maxNativeZoom: basemap.maxZoom,
    bounds: L.latLngBounds([south, west], [north, east]),
    // Tiles are local: no need to keep a wide ring of them around the view.
    keepBuffer: 2,
    updateWhenZooming: false,
    className: 'wf-basemap-tiles',
  });
}

/** The imported basemap's box, for fitting the map to it. */
export const basemapBounds = (basemap: ImportedBasemap): L.LatLngBounds =>
  L.latLngBounds([basemap.bounds.south, basemap.bounds.west], [basemap.bounds.north, basemap.bounds.east]);
