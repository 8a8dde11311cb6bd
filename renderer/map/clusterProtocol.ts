/** Messages between WatchMap and the clustering worker (map/clusterWorker.ts). */

export type ClusterKind = 'assets' | 'alerts';

/**
 * The points of one kind, as columns: point i is at (lat[i], lon[i]) with weight w[i], what a
 * cluster reports the maximum of (alert severity rank; telemetry state for assets). Typed
 * arrays whose buffers are transferred, not cloned: at 100 000 assets a list of objects with
 * ids cost the map ~0.1 s of the main thread per re-index (issue 8, decision 0041). The ids
 * stay on the main thread (WatchMap keeps them by `gen`); the worker answers indexes.
 */
export interface ClusterPoints {
  /** which load this is: answers name it, so an index is never read against another load's ids */
  gen: number;
  lat: Float64Array;
  lon: Float64Array;
  w: Float64Array;
}

export type ToClusterWorker =
  | ({ type: 'load'; kind: ClusterKind } & ClusterPoints)
  | { type: 'query'; seq: number; kind: ClusterKind; bbox: [number, number, number, number]; zoom: number };

/** A cluster (count > 1) or a single point (count 1, `index` set: its place in the load). */
export interface ClusterItem {
  lat: number;
  lon: number;
  count: number;
  maxW: number;
  index?: number;
  /** zoom at which a cluster falls apart */
  expansionZoom?: number;
}

export interface FromClusterWorker {
  type: 'clusters';
  seq: number;
  kind: ClusterKind;
  /** the load the answer was read from (`ClusterPoints.gen`); -1 before any */
  gen: number;
  items: ClusterItem[];
}
