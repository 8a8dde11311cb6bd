import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import { isClosed, type Alert, type AlertDetail } from '../state/alerts';
import type { Asset } from '../state/assets';
import {
  acknowledgedColour,
  assetColour,
  assetStateColour,
  basemapFallbackStyle,
  basemapOrder,
  basemapStyle,
  severityColour,
  severityRadius,
} from './styles';
import { featureLayer, featureName } from './basemap';
import type { ClusterItem, ClusterKind, FromClusterWorker, ToClusterWorker } from './clusterProtocol';
import { severityRank } from '../../shared/domain/cap';
import type { AssetTelemetryState } from '../../shared/telemetry/api';
import { assetStateOfRank, assetStateRank } from '../telemetry/assetState';

/** Affected assets of the open alert: white, like the selection ring, thinner. */
const AFFECTED_RING = '#f5f7fa';

/**
 * Above this many points of one kind the map stops drawing one marker per row and asks
 * the clustering worker for what the viewport shows (city scale: 100 000 assets,
 * 50 000 alerts). Below it every row is its own marker, diffed by reference.
 */
export const CLUSTER_ABOVE = 4_000;
const RELOAD_MS = 1_000;

/** Cluster weight of an alert: its severity, an unacknowledged one weighing more at the same severity. */
const alertWeight = (a: Alert): number => severityRank[a.severity] * 2 + (a.ack || isClosed(a) ? 0 : 1);
const severityOfWeight = (w: number): Alert['severity'] =>
  (['Unknown', 'Minor', 'Moderate', 'Severe', 'Extreme'] as const)[Math.min(4, Math.floor(w / 2))]!;

export interface WatchMapOptions {
  onAlertClick(alertId: string): void;
  /** a click on an asset's marker or line (the telemetry panel opens for monitored ones) */
  onAssetClick?(assetId: string): void;
  /** text of the hover label, in the officer's current language */
  describeAlert(alert: Alert): string;
  describeAsset(asset: Asset): string;
  zoomTitles(): { zoomIn: string; zoomOut: string };
  /** `worst`: the worst telemetry state among an asset cluster's members, if any is not normal */
  describeCluster(kind: ClusterKind, count: number, worst?: AssetTelemetryState): string;
  /** the view settled (after a pan, zoom or flight): south, west, north, east */
  onViewChange?(view: MapView): void;
}

export interface MapView {
  south: number;
  west: number;
  north: number;
  east: number;
}

const reducedMotion = (): boolean => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/**
 * The Leaflet side of the map, kept out of React: React tells it what the store holds,
 * it diffs by reference (the store keeps unchanged rows identical) and touches only
 * what changed. Every vector layer draws through ONE canvas renderer.
 */
export class WatchMap {
  private readonly map: L.Map;
  private readonly canvas: L.Canvas;
  private readonly basemapLayer = L.layerGroup();
  private readonly areaLayer = L.layerGroup();
  /** feature groups: their members' events reach the group's listeners */
  private readonly assetLayer = L.featureGroup();
  private readonly alertLayer = L.featureGroup();
  /** the open alert's affected assets, ringed above the other assets */
  private readonly affectedLayer = L.layerGroup();
  private readonly ringLayer = L.layerGroup();
  private readonly hover: L.Tooltip;
  private zoom: L.Control.Zoom | null = null;

  private assets = new Map<
    string,
    { row: Asset; marker: L.CircleMarker; line: L.Polyline | null; halo: L.CircleMarker | null }
  >();
  private alerts = new Map<string, { row: Alert; marker: L.CircleMarker }>();
  private readonly alertOfLayer = new WeakMap<L.Layer, Alert>();
  private readonly assetOfLayer = new WeakMap<L.Layer, Asset>();
  private readonly clusterOfLayer = new WeakMap<L.Layer, ClusterItem>();
  /** every alert with a place, by id, whatever the drawing mode */
  private alertRows = new Map<string, Alert>();
  private assetRows: Readonly<Record<string, Asset | undefined>> = {};
  /** worst telemetry state per monitored asset (issue 9): colours the marker and its line */
  private assetStates: Readonly<Record<string, AssetTelemetryState | undefined>> = {};
  private readonly clustered: Record<ClusterKind, boolean> = { assets: false, alerts: false };
  private readonly clusterDrawn: Record<ClusterKind, L.Layer[]> = { assets: [], alerts: [] };
  private readonly reload: Record<ClusterKind, { timer: ReturnType<typeof setTimeout> | null; dirty: boolean }> = {
    assets: { timer: null, dirty: false },
    alerts: { timer: null, dirty: false },
  };
  private readonly lastSeq: Record<ClusterKind, number> = { assets: 0, alerts: 0 };
  /** the ids of the last load of each kind, by place: the worker answers places (clusterProtocol.ts) */
  private readonly loaded: Record<ClusterKind, { gen: number; ids: readonly string[] }> = {
    assets: { gen: -1, ids: [] },
    alerts: { gen: -1, ids: [] },
  };
  private loadGen = 0;
  private querySeq = 0;
  private worker: Worker | null = null;
  private selectedId: string | null = null;
  private areasFor: string | null = null;
  private areasDetail: AlertDetail | null = null;
  private fitted = false;
  /** the built-in vector basemap, kept to draw again when the officer switches back to it */
  private builtIn: FeatureCollection | null = null;
  /** an imported raster basemap (map/tileLayer.ts), in Leaflet's tile pane under every vector */
  private raster: L.GridLayer | null = null;

  constructor(
    container: HTMLElement,
    private readonly options: WatchMapOptions,
  ) {
    this.canvas = L.canvas({ padding: 0.5, tolerance: 4 });
    this.map = L.map(container, {
      preferCanvas: true,
      renderer: this.canvas,
      zoomControl: false,
      attributionControl: false,
      minZoom: 3,
      maxZoom: 19,
      zoomSnap: 0.25,
      keyboard: true,
      worldCopyJump: false,
    }).setView([0, 0], 3);
    this.setZoomTitles();
    this.basemapLayer.addTo(this.map);
    this.areaLayer.addTo(this.map);
    this.assetLayer.addTo(this.map);
    this.affectedLayer.addTo(this.map);
    this.alertLayer.addTo(this.map);
    this.ringLayer.addTo(this.map);
    this.hover = L.tooltip({ direction: 'top', offset: [0, -8], className: 'wf-map-tooltip', opacity: 1 });

    this.alertLayer.on('click', (e: L.LeafletMouseEvent) => {
      const layer = e.propagatedFrom as L.Layer;
      const alert = this.alertOfLayer.get(layer);
      if (alert) this.options.onAlertClick(alert.id);
      else this.zoomIntoCluster(layer);
    });
    this.assetLayer.on('click', (e: L.LeafletMouseEvent) => {
      const layer = e.propagatedFrom as L.Layer;
      const asset = this.assetOfLayer.get(layer);
      if (asset) this.options.onAssetClick?.(asset.id);
      else this.zoomIntoCluster(layer);
    });
    this.map.on('moveend', () => {
      if (this.clustered.assets) this.query('assets');
      if (this.clustered.alerts) this.query('alerts');
      this.options.onViewChange?.(this.view());
    });
    this.alertLayer.on('mouseover', (e: L.LeafletMouseEvent) => {
      const layer = e.propagatedFrom as L.Layer;
      const alert = this.alertOfLayer.get(layer);
      const cluster = this.clusterOfLayer.get(layer);
      if (alert) this.showHover(e.latlng, this.options.describeAlert(alert));
      else if (cluster) this.showHover(e.latlng, this.options.describeCluster('alerts', cluster.count));
    });
    this.assetLayer.on('mouseover', (e: L.LeafletMouseEvent) => {
      const layer = e.propagatedFrom as L.Layer;
      const asset = this.assetOfLayer.get(layer);
      const cluster = this.clusterOfLayer.get(layer);
      if (asset) this.showHover(e.latlng, this.options.describeAsset(asset));
      else if (cluster)
        this.showHover(
          e.latlng,
          this.options.describeCluster(
            'assets',
            cluster.count,
            cluster.maxW > 0 ? assetStateOfRank(cluster.maxW) : undefined,
          ),
        );
    });
    const hide = () => this.map.closeTooltip(this.hover);
    this.alertLayer.on('mouseout', hide);
    this.assetLayer.on('mouseout', hide);
  }

  destroy(): void {
    for (const r of Object.values(this.reload)) if (r.timer) clearTimeout(r.timer);
    this.worker?.terminate();
    this.map.remove();
  }

  invalidateSize(): void {
    this.map.invalidateSize({ pan: false });
  }

  /** Re-title the zoom buttons after a language change (Leaflet bakes titles in at creation). */
  setZoomTitles(): void {
    const titles = this.options.zoomTitles();
    this.zoom?.remove();
    this.zoom = L.control.zoom({ position: 'topright', zoomInTitle: titles.zoomIn, zoomOutTitle: titles.zoomOut });
    this.zoom.addTo(this.map);
  }

  private showHover(at: L.LatLng, text: string): void {
    this.hover.setLatLng(at).setContent(text);
    this.map.openTooltip(this.hover);
  }

  setBasemap(data: FeatureCollection): void {
    this.builtIn = data;
    const bounds = this.drawBuiltIn(data);
    if (bounds.isValid()) {
      this.map.fitBounds(bounds, { padding: [12, 12], animate: false });
      this.fitted = true;
    }
  }

  /**
   * Which basemap is under the city's layers: the built-in vector one (raster null) or an
   * imported raster one, which replaces it. The view moves only when it shows none of the
   * new basemap's area.
   */
  showBasemap(raster: { layer: L.GridLayer; bounds: L.LatLngBounds } | null): void {
    this.raster?.remove();
    this.raster = raster?.layer ?? null;
    if (raster) {
      this.basemapLayer.clearLayers();
      raster.layer.addTo(this.map);
      if (!this.map.getBounds().intersects(raster.bounds)) {
        this.map.fitBounds(raster.bounds, { padding: [12, 12], animate: false });
        this.fitted = true;
      }
      return;
    }
    if (this.builtIn && this.basemapLayer.getLayers().length === 0) {
      const bounds = this.drawBuiltIn(this.builtIn);
      if (bounds.isValid() && !this.map.getBounds().intersects(bounds))
        this.map.fitBounds(bounds, { padding: [12, 12], animate: false });
    }
  }

  private drawBuiltIn(data: FeatureCollection): L.LatLngBounds {
    this.basemapLayer.clearLayers();
    const rank = (layer: string) => {
      const i = (basemapOrder as readonly string[]).indexOf(layer);
      return i < 0 ? basemapOrder.length : i;
    };
    // Draw order is insertion order on one canvas: districts under water under roads.
    const features = [...data.features].sort((a, b) => rank(featureLayer(a)) - rank(featureLayer(b)));
    const geo = L.geoJSON({ type: 'FeatureCollection', features } as FeatureCollection, {
      interactive: false,
      style: (f) => {
        const s = (f && basemapStyle[featureLayer(f)]) ?? basemapFallbackStyle;
        return { ...s, renderer: this.canvas, interactive: false };
      },
      pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 1, renderer: this.canvas, interactive: false }),
    });
    geo.addTo(this.basemapLayer);
    // The basemap may arrive after assets and alerts: on one canvas, later means on top,
    // so push it back under them, keeping its own order (last sent back ends lowest).
    const basemapPaths = geo.getLayers() as L.Path[];
    for (let i = basemapPaths.length - 1; i >= 0; i--) basemapPaths[i]!.bringToBack();
    // District names as quiet labels: few, so DOM tooltips are cheap.
    geo.eachLayer((layer) => {
      const f = (layer as L.Layer & { feature?: GeoJSON.Feature }).feature;
      if (f && featureLayer(f) === 'district' && featureName(f) && 'getBounds' in layer) {
        const center = (layer as L.Polygon).getBounds().getCenter();
        L.tooltip({ permanent: true, direction: 'center', className: 'wf-district-label', interactive: false })
          .setLatLng(center)
          .setContent(featureName(f))
          .addTo(this.basemapLayer);
      }
    });
    return geo.getBounds();
  }

  setAssets(entities: Readonly<Record<string, Asset | undefined>>): void {
    this.assetRows = entities;
    if (Object.keys(entities).length > CLUSTER_ABOVE) {
      if (!this.clustered.assets) {
        this.clustered.assets = true;
        this.assets.clear();
        this.assetLayer.clearLayers();
      }
      this.scheduleLoad('assets');
      return;
    }
    if (this.clustered.assets) {
      this.clustered.assets = false;
      this.clearClusters('assets');
    }
    let added = false;
    const seen = new Set<string>();
    for (const id in entities) {
      const row = entities[id];
      if (!row) continue;
      seen.add(id);
      const drawn = this.assets.get(id);
      if (drawn?.row === row) continue;
      if (drawn) {
        drawn.marker.remove();
        drawn.line?.remove();
        drawn.halo?.remove();
      }
      const colour = this.assetLineColour(row);
      const line =
        row.path && row.path.length > 1
          ? L.polyline(
              row.path.map((p) => [p.lat, p.lon] as L.LatLngTuple),
              { renderer: this.canvas, color: colour, weight: 2.5, opacity: 0.8, interactive: true },
            )
          : null;
      const marker = L.circleMarker([row.location.lat, row.location.lon], this.assetMarkerStyle(row));
      if (line) {
        this.assetOfLayer.set(line, row);
        line.addTo(this.assetLayer);
      }
      this.assetOfLayer.set(marker, row);
      marker.addTo(this.assetLayer);
      const halo = this.haloFor(row);
      halo?.addTo(this.assetLayer);
      this.assets.set(id, { row, marker, line, halo });
      added = true;
    }
    for (const [id, drawn] of this.assets) {
      if (seen.has(id)) continue;
      drawn.marker.remove();
      drawn.line?.remove();
      drawn.halo?.remove();
      this.assets.delete(id);
    }
    if (added) {
      // One canvas: keep alerts drawn above assets that arrived after them.
      for (const { marker } of this.alerts.values()) marker.bringToFront();
      this.ringLayer.eachLayer((l) => void (l as L.Path).bringToFront());
      if (!this.fitted) this.fitTo([...this.assets.values()].map((a) => a.marker.getLatLng()));
      this.raiseTroubledAssets();
    }
  }

  /**
   * Monitored assets' worst telemetry states (issue 9). Only the assets whose state
   * changed are restyled; clustered, the points are re-indexed (at most once a second)
   * with the state as their weight, so a cluster shows its worst member's colour.
   */
  setAssetStates(states: Readonly<Record<string, AssetTelemetryState | undefined>>): void {
    const before = this.assetStates;
    if (states === before) return;
    this.assetStates = states;
    if (this.clustered.assets) {
      this.scheduleLoad('assets');
      return;
    }
    let changed = false;
    const ids = new Set([...Object.keys(before), ...Object.keys(states)]);
    for (const id of ids) {
      if (before[id] === states[id]) continue;
      const drawn = this.assets.get(id);
      if (!drawn) continue;
      drawn.marker.setStyle(this.assetMarkerStyle(drawn.row)).setRadius(this.assetRadius(drawn.row));
      drawn.line?.setStyle({ color: this.assetLineColour(drawn.row) });
      drawn.halo?.remove();
      drawn.halo = this.haloFor(drawn.row);
      drawn.halo?.addTo(this.assetLayer);
      changed = true;
    }
    if (changed) this.raiseTroubledAssets();
  }

  /** Assets in warning or alarm above the other assets (still under every alert). */
  private raiseTroubledAssets(): void {
    let raised = false;
    for (const rank of [assetStateRank('warning'), assetStateRank('alarm')]) {
      for (const [id, drawn] of this.assets) {
        if (assetStateRank(this.assetStates[id]) !== rank) continue;
        drawn.line?.bringToFront();
        drawn.halo?.bringToFront();
        drawn.marker.bringToFront();
        raised = true;
      }
    }
    if (!raised) return;
    for (const { marker } of this.alerts.values()) marker.bringToFront();
    this.ringLayer.eachLayer((l) => void (l as L.Path).bringToFront());
  }

  /** `alerts` comes in queue order (worst first); the map stacks them the other way round. */
  setAlerts(alerts: readonly Alert[]): void {
    this.alertRows = new Map(alerts.filter((a) => a.center).map((a) => [a.id, a]));
    if (this.alertRows.size > CLUSTER_ABOVE) {
      if (!this.clustered.alerts) {
        this.clustered.alerts = true;
        for (const { marker } of this.alerts.values()) marker.remove();
        this.alerts.clear();
      }
      this.scheduleLoad('alerts');
      this.drawRing();
      return;
    }
    if (this.clustered.alerts) {
      this.clustered.alerts = false;
      this.clearClusters('alerts');
    }
    const seen = new Set<string>();
    let changed = false;
    for (const row of alerts) {
      if (!row.center) continue;
      seen.add(row.id);
      const drawn = this.alerts.get(row.id);
      if (drawn?.row === row) continue;
      changed = true;
      const style = this.alertStyle(row);
      if (drawn) {
        drawn.marker
          .setLatLng([row.center.lat, row.center.lon])
          .setStyle(style)
          .setRadius(severityRadius[row.severity]);
        this.alertOfLayer.set(drawn.marker, row);
        drawn.row = row;
        continue;
      }
      const marker = L.circleMarker([row.center.lat, row.center.lon], {
        ...style,
        renderer: this.canvas,
        radius: severityRadius[row.severity],
        bubblingMouseEvents: false,
      });
      this.alertOfLayer.set(marker, row);
      marker.addTo(this.alertLayer);
      this.alerts.set(row.id, { row, marker });
    }
    for (const [id, drawn] of this.alerts) {
      if (seen.has(id)) continue;
      drawn.marker.remove();
      this.alerts.delete(id);
      changed = true;
    }
    if (changed) this.stackAlerts(alerts);
    this.drawRing();
  }

  /**
   * One canvas draws in insertion order. Put acknowledged alerts lowest, then the rest
   * from least to most severe, so an Extreme alert is never hidden under a Minor one.
   */
  private stackAlerts(queueOrder: readonly Alert[]): void {
    for (const pass of [true, false]) {
      for (let i = queueOrder.length - 1; i >= 0; i--) {
        const row = queueOrder[i]!;
        if ((row.ack !== null) !== pass) continue;
        this.alerts.get(row.id)?.marker.bringToFront();
      }
    }
  }

  private alertStyle(row: Alert): L.PathOptions {
    // Acknowledged, superseded or cancelled: nothing left for the officer to do here.
    const done = row.ack !== null || isClosed(row);
    const actual = row.status === 'Actual';
    return {
      color: actual ? '#0b0f14' : '#f5f7fa',
      weight: 2,
      dashArray: actual ? undefined : '3 3',
      // Acknowledged: the same hue, dimmed but opaque, so nothing underneath shows through.
      fillColor: done ? acknowledgedColour[row.severity] : severityColour[row.severity],
      fillOpacity: done ? 1 : 0.95,
      opacity: done ? 0.7 : 1,
    };
  }

  /** The selected alert: a ring around its marker, and its CAP areas once the full message is in. */
  select(alertId: string | null, detail: AlertDetail | null): void {
    this.selectedId = alertId;
    const areasFor = detail && detail.summary.id === alertId ? alertId : null;
    // A refreshed message (its affected assets recomputed) is drawn again.
    if (areasFor !== this.areasFor || detail !== this.areasDetail) {
      this.areasFor = areasFor;
      this.areasDetail = detail;
      this.areaLayer.clearLayers();
      this.affectedLayer.clearLayers();
      if (detail && areasFor) {
        this.drawAreas(detail);
        this.drawAffected(detail);
      }
    }
    this.drawRing();
  }

  private drawAreas(detail: AlertDetail): void {
    for (const info of detail.cap.infos) {
      const c = severityColour[info.severity];
      const style = { renderer: this.canvas, color: c, weight: 2, fillColor: c, fillOpacity: 0.14, interactive: false };
      for (const area of info.areas) {
        for (const poly of area.polygons) {
          L.polygon(
            poly.map((p) => [p.lat, p.lon] as L.LatLngTuple),
            style,
          ).addTo(this.areaLayer);
        }
        for (const circle of area.circles) {
          L.circle([circle.center.lat, circle.center.lon], { ...style, radius: circle.radiusKm * 1000 }).addTo(
            this.areaLayer,
          );
        }
      }
    }
    // Areas under the markers, so every alert inside stays clickable.
    for (const { marker } of this.alerts.values()) marker.bringToFront();
  }

  /** A ring around every asset inside the open alert's areas, so the officer sees what is threatened. */
  private drawAffected(detail: AlertDetail): void {
    for (const affected of detail.affectedAssets) {
      const asset = this.assetRows[affected.assetId];
      if (!asset) continue;
      L.circleMarker([asset.location.lat, asset.location.lon], {
        renderer: this.canvas,
        radius: 6 + asset.criticality * 0.6,
        color: AFFECTED_RING,
        weight: 2.5,
        fill: false,
        interactive: false,
      }).addTo(this.affectedLayer);
    }
    for (const { marker } of this.alerts.values()) marker.bringToFront();
  }

  private drawRing(): void {
    this.ringLayer.clearLayers();
    const row = this.selectedId ? this.alertRows.get(this.selectedId) : undefined;
    if (!row?.center) return;
    L.circleMarker([row.center.lat, row.center.lon], {
      renderer: this.canvas,
      radius: severityRadius[row.severity] + 7,
      color: '#ffffff',
      weight: 3,
      fill: false,
      interactive: false,
    }).addTo(this.ringLayer);
    this.alerts.get(row.id)?.marker.bringToFront();
  }

  // ---- clustered mode (city scale) --------------------------------------------------

  private clusterWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./clusterWorker.ts', import.meta.url), {
        type: 'module',
        name: 'watchfloor-clusters',
      });
      this.worker.onmessage = (e: MessageEvent<FromClusterWorker>) => this.drawClusters(e.data);
    }
    return this.worker;
  }

  private post(message: ToClusterWorker): void {
    this.clusterWorker().postMessage(message);
  }

  /** Re-index a kind at most once a second: pushes arrive far more often than that. */
  private scheduleLoad(kind: ClusterKind): void {
    const r = this.reload[kind];
    if (r.timer) {
      r.dirty = true;
      return;
    }
    this.loadClusters(kind);
    r.timer = setTimeout(() => {
      r.timer = null;
      if (r.dirty) {
        r.dirty = false;
        this.scheduleLoad(kind);
      }
    }, RELOAD_MS);
  }

  private loadClusters(kind: ClusterKind): void {
    // Columns in transferred buffers, ids kept here (clusterProtocol.ts).
    const ids: string[] = [];
    const lats: number[] = [];
    const lons: number[] = [];
    const ws: number[] = [];
    if (kind === 'alerts') {
      for (const a of this.alertRows.values()) {
        if (!a.center) continue;
        ids.push(a.id);
        lats.push(a.center.lat);
        lons.push(a.center.lon);
        ws.push(alertWeight(a));
      }
    } else {
      const rows = this.assetRows;
      for (const id in rows) {
        const a = rows[id];
        if (!a) continue;
        ids.push(id);
        lats.push(a.location.lat);
        lons.push(a.location.lon);
        ws.push(assetStateRank(this.assetStates[id]));
      }
      if (!this.fitted && ids.length > 0) this.fitTo(lats.map((lat, i) => L.latLng(lat, lons[i]!)));
    }
    const gen = ++this.loadGen;
    this.loaded[kind] = { gen, ids };
    const lat = Float64Array.from(lats);
    const lon = Float64Array.from(lons);
    const w = Float64Array.from(ws);
    this.clusterWorker().postMessage({ type: 'load', kind, gen, lat, lon, w } satisfies ToClusterWorker, [
      lat.buffer,
      lon.buffer,
      w.buffer,
    ]);
    this.query(kind);
  }

  private query(kind: ClusterKind): void {
    const b = this.map.getBounds().pad(0.25);
    this.post({
      type: 'query',
      seq: ++this.querySeq,
      kind,
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
      zoom: Math.floor(this.map.getZoom()),
    });
  }

  private clearClusters(kind: ClusterKind): void {
    for (const layer of this.clusterDrawn[kind]) layer.remove();
    this.clusterDrawn[kind] = [];
  }

  private drawClusters(msg: FromClusterWorker): void {
    if (!this.clustered[msg.kind] || msg.seq < this.lastSeq[msg.kind]) return;
    // Read against an older load: its places mean other ids. The newer load's query follows.
    if (msg.gen !== this.loaded[msg.kind].gen) return;
    this.lastSeq[msg.kind] = msg.seq;
    const ids = this.loaded[msg.kind].ids;
    this.clearClusters(msg.kind);
    const drawn: L.Layer[] = [];
    const group = msg.kind === 'alerts' ? this.alertLayer : this.assetLayer;
    // Least severe first: on one canvas the last drawn is on top.
    const items = msg.kind === 'alerts' ? [...msg.items].sort((a, b) => a.maxW - b.maxW) : msg.items;
    for (const item of items) {
      let marker: L.CircleMarker;
      const id = item.index === undefined ? undefined : ids[item.index];
      if (id !== undefined) {
        if (msg.kind === 'alerts') {
          const row = this.alertRows.get(id);
          if (!row) continue;
          marker = L.circleMarker([item.lat, item.lon], {
            ...this.alertStyle(row),
            renderer: this.canvas,
            radius: severityRadius[row.severity],
            bubblingMouseEvents: false,
          });
          this.alertOfLayer.set(marker, row);
        } else {
          const row = this.assetRows[id];
          if (!row) continue;
          marker = L.circleMarker([item.lat, item.lon], this.assetMarkerStyle(row));
          this.assetOfLayer.set(marker, row);
        }
      } else {
        const size = Math.min(22, 8 + Math.log2(item.count) * 1.6);
        const style: L.CircleMarkerOptions =
          msg.kind === 'alerts'
            ? {
                renderer: this.canvas,
                radius: size,
                color: '#f5f7fa',
                weight: 2,
                fillColor:
                  item.maxW % 2 === 1
                    ? severityColour[severityOfWeight(item.maxW)]
                    : acknowledgedColour[severityOfWeight(item.maxW)],
                fillOpacity: 0.95,
                bubblingMouseEvents: false,
              }
            : {
                renderer: this.canvas,
                radius: Math.min(12, 4 + Math.log2(item.count)),
                // A cluster holding an asset in trouble takes that state's colour and a bright edge.
                color: item.maxW >= assetStateRank('warning') ? '#f5f7fa' : '#5d6b80',
                weight: item.maxW >= assetStateRank('warning') ? 2 : 1,
                fillColor: item.maxW > 0 ? assetStateColour[assetStateOfRank(item.maxW)] : '#222c3a',
                fillOpacity: 0.9,
              };
        marker = L.circleMarker([item.lat, item.lon], style);
        this.clusterOfLayer.set(marker, item);
      }
      marker.addTo(group);
      drawn.push(marker);
    }
    this.clusterDrawn[msg.kind] = drawn;
    // Alerts stay above assets whichever answer came last.
    if (msg.kind === 'assets') {
      for (const layer of this.clusterDrawn.alerts) (layer as L.Path).bringToFront();
      for (const { marker } of this.alerts.values()) marker.bringToFront();
    }
    this.ringLayer.eachLayer((l) => void (l as L.Path).bringToFront());
  }

  private zoomIntoCluster(layer: L.Layer): void {
    const cluster = this.clusterOfLayer.get(layer);
    if (!cluster) return;
    const zoom = Math.min(
      this.map.getMaxZoom(),
      Math.max(cluster.expansionZoom ?? this.map.getZoom() + 2, this.map.getZoom() + 1),
    );
    if (reducedMotion()) this.map.setView([cluster.lat, cluster.lon], zoom);
    else this.map.flyTo([cluster.lat, cluster.lon], zoom, { duration: 0.5 });
  }

  /** An asset's colour: its telemetry state's when it has one (issue 9), else its kind's. */
  private assetFill(row: Asset): string {
    const state = this.assetStates[row.id];
    return state ? assetStateColour[state] : assetColour[row.kind];
  }

  /**
   * A ring in the state's colour around an asset in warning or alarm, wider than an alert's
   * marker: the asset's own alert is usually drawn right on top of it, and the ring still shows.
   */
  private haloFor(row: Asset): L.CircleMarker | null {
    const state = this.assetStates[row.id];
    if (assetStateRank(state) < assetStateRank('warning') || !state) return null;
    return L.circleMarker([row.location.lat, row.location.lon], {
      renderer: this.canvas,
      radius: this.assetRadius(row) + 7,
      color: assetStateColour[state],
      weight: 3,
      opacity: 1,
      fill: false,
      interactive: false,
    });
  }

  /** A line (bridge deck, pipe, tunnel) takes a state's colour only when not normal: a calm city stays quiet. */
  private assetLineColour(row: Asset): string {
    const state = this.assetStates[row.id];
    return state && state !== 'normal' ? assetStateColour[state] : assetColour[row.kind];
  }

  /** Worse states draw larger, so the state shows by size as well as colour. */
  private assetRadius(row: Asset): number {
    return 2.5 + row.criticality * 0.6 + assetStateRank(this.assetStates[row.id]) * 0.75;
  }

  private assetMarkerStyle(row: Asset): L.CircleMarkerOptions {
    const rank = assetStateRank(this.assetStates[row.id]);
    const trouble = rank >= assetStateRank('warning');
    return {
      renderer: this.canvas,
      radius: this.assetRadius(row),
      // Warning and alarm get a bright edge: they must stand out from the city at a glance.
      color: trouble ? '#f5f7fa' : '#0b0f14',
      weight: trouble ? 2 : 1,
      fillColor: this.assetFill(row),
      fillOpacity: 0.9,
    };
  }

  /** Bring an alert into view: its area if it has one, else its marker. */
  focus(alert: Alert): void {
    const animate = !reducedMotion();
    const b = alert.bbox;
    if (b && (b.maxLat - b.minLat > 1e-4 || b.maxLon - b.minLon > 1e-4)) {
      const bounds = L.latLngBounds([b.minLat, b.minLon], [b.maxLat, b.maxLon]);
      if (animate) this.map.flyToBounds(bounds, { padding: [48, 48], maxZoom: 15, duration: 0.6 });
      else this.map.fitBounds(bounds, { padding: [48, 48], maxZoom: 15 });
      return;
    }
    if (!alert.center) return;
    const zoom = Math.max(this.map.getZoom(), 15);
    if (animate) this.map.flyTo([alert.center.lat, alert.center.lon], zoom, { duration: 0.6 });
    else this.map.setView([alert.center.lat, alert.center.lon], zoom);
  }

  /** The Leaflet map and its one canvas renderer, for the overlays kept in their own modules (map/unitLayer.ts). */
  overlayHost(): { map: L.Map; renderer: L.Canvas } {
    return { map: this.map, renderer: this.canvas };
  }

  view(): MapView {
    const b = this.map.getBounds();
    return { south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() };
  }

  /** Show every alert with a place (the officer asked: some lie outside the view). */
  showAllAlerts(): void {
    const points = [...this.alertRows.values()].flatMap((a) =>
      a.center ? [L.latLng(a.center.lat, a.center.lon)] : [],
    );
    if (points.length === 0) return;
    const bounds = L.latLngBounds(points).extend(this.map.getBounds());
    if (reducedMotion()) this.map.fitBounds(bounds, { padding: [32, 32] });
    else this.map.flyToBounds(bounds, { padding: [32, 32], duration: 0.6 });
  }

  private fitTo(points: L.LatLng[]): void {
    if (points.length === 0) return;
    const bounds = L.latLngBounds(points);
    if (!bounds.isValid()) return;
    this.map.fitBounds(bounds, { padding: [24, 24], animate: false, maxZoom: 15 });
    this.fitted = true;
  }
}
