import Supercluster from 'supercluster';
import type { ClusterItem, ClusterKind, FromClusterWorker, ToClusterWorker } from './clusterProtocol';

/**
 * Clustering off the main thread (STYLE.md): indexing 100 000 points takes long
 * enough to drop frames. One index per kind; the map asks for what its viewport shows.
 */
interface PointProps {
  /** the point's place in its load (ids stay on the main thread) */
  i: number;
  w: number;
}
interface ClusterProps {
  maxW: number;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToClusterWorker>) => void) | null;
  postMessage(message: FromClusterWorker): void;
};

const indexes = new Map<ClusterKind, { gen: number; index: Supercluster<PointProps, ClusterProps> }>();

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
    const features = new Array<Supercluster.PointFeature<PointProps>>(msg.lat.length);
    for (let i = 0; i < msg.lat.length; i++)
      features[i] = {
        type: 'Feature',
        properties: { i, w: msg.w[i]! },
        geometry: { type: 'Point', coordinates: [msg.lon[i]!, msg.lat[i]!] },
      };
    index.load(features);
    indexes.set(msg.kind, { gen: msg.gen, index });
    return;
  }
  const loaded = indexes.get(msg.kind);
  const items: ClusterItem[] = [];
  if (loaded) {
    const { index } = loaded;
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
      } else if (props.i !== undefined) {
        items.push({ lat, lon, count: 1, maxW: props.w ?? 0, index: props.i });
      }
    }
  }
  scope.postMessage({ type: 'clusters', seq: msg.seq, kind: msg.kind, gen: loaded?.gen ?? -1, items });
};
