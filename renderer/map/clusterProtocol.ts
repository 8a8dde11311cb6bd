/** Messages between WatchMap and the clustering worker (map/clusterWorker.ts). */

export type ClusterKind = 'assets' | 'alerts';

/** One point to cluster: `w` is what a cluster reports the maximum of (alert severity rank; 0 for assets). */
export interface ClusterPoint {
  id: string;
  lat: number;
  lon: number;
  w: number;
}

export type ToClusterWorker =
  | { type: 'load'; kind: ClusterKind; points: ClusterPoint[] }
  | { type: 'query'; seq: number; kind: ClusterKind; bbox: [number, number, number, number]; zoom: number };

/** A cluster (count > 1) or a single point (count 1, `id` set). */
export interface ClusterItem {
  lat: number;
  lon: number;
  count: number;
  maxW: number;
  id?: string;
  /** zoom at which a cluster falls apart */
  expansionZoom?: number;
}

export interface FromClusterWorker {
  type: 'clusters';
  seq: number;
  kind: ClusterKind;
  items: ClusterItem[];
}
