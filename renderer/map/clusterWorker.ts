import Supercluster from 'supercluster';
import type { ClusterItem, ClusterKind, FromClusterWorker, ToClusterWorker } from './clusterProtocol';

/**
 * Clustering off the main thread (STYLE.md): indexing 100 000 points takes long
 * enough to drop frames. One index per kind; the map asks for what its viewport shows.
 */
interface PointProps {
  id: string;
  w: number;
}
interface ClusterProps {
  maxW: number;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToClusterWorker>) => void) | null;
  postMessage(message: FromClusterWorker): void;
};

const indexes = new Map<ClusterKind, Supercluster<PointProps, ClusterProps>>();

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'load') {
    const index = new Supercluster<PointProps, ClusterProps>({
      radius: 44,
      maxZoom: 17,
      map: (p) => ({ maxW: p.w }),
      reduce: (acc, p) => {
        acc.maxW = Math.max(acc.maxW, p.maxW);
      },
    });
    index.load(
      msg.points.map((p) => ({
        type: 'Feature' as const,
        properties: { id: p.id, w: p.w },
        geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      })),
    );
    indexes.set(msg.kind, index);
    return;
  }
  const index = indexes.get(msg.kind);
  const items: ClusterItem[] = [];
  if (index) {
    for (const f of index.getClusters(msg.bbox, msg.zoom)) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const props = f.properties as Partial<Supercluster.ClusterProperties> &
        Partial<PointProps> &
        Partial<ClusterProps>;
      if (props.cluster && props.cluster_id !== undefined) {
        items.push({
          lat,
          lon,
          count: props.point_count ?? 0,
          maxW: props.maxW ?? 0,
          expansionZoom: index.getClusterExpansionZoom(props.cluster_id),
        });
      } else if (props.id !== undefined) {
        items.push({ lat, lon, count: 1, maxW: props.w ?? 0, id: props.id });
      }
    }
  }
  scope.postMessage({ type: 'clusters', seq: msg.seq, kind: msg.kind, items });
};
