import L from 'leaflet';
import type { UnitStatus } from '../../shared/domain/unit';
import type { Incident } from '../state/incidents';
import type { Unit } from '../state/units';

/** Incident places: a wide dashed ring in the priority's colour (P1 … P4), around the units on it. */
export const incidentPriorityColour: Readonly<Record<number, string>> = {
  1: '#ff3355',
  2: '#ff8a1f',
  3: '#ffd60a',
  4: '#8d9bad',
};

/**
 * Unit colours on the canvas (styles/app.css mirrors them for the status badges). Kept
 * apart from the alert severity hues: a unit is a ringed dot, an alert a filled one.
 */
export const unitStatusColour: Readonly<Record<UnitStatus, string>> = {
  available: '#3ddc84',
  dispatched: '#c58cff',
  'en-route': '#6e8bff',
  'on-scene': '#ff5fa2',
  clearing: '#2dd4bf',
  'out-of-service': '#6b7280',
};

/**
 * Units on the map, drawn through the map's one canvas renderer (WatchMap.overlayHost).
 * Diffs by row reference like the other layers: the store keeps unchanged rows identical.
 */
export class UnitLayer {
  private readonly layer = L.featureGroup();
  private readonly incidentLayer = L.featureGroup();
  private readonly markers = new Map<string, { row: Unit; marker: L.CircleMarker }>();
  private readonly incidentMarkers = new Map<string, { row: Incident; marker: L.CircleMarker }>();

  constructor(
    private readonly host: { map: L.Map; renderer: L.Canvas },
    private readonly describe: (unit: Unit) => string,
  ) {
    this.incidentLayer.addTo(host.map);
    this.layer.addTo(host.map);
  }

  /** Open incidents with a point location; closed ones leave the map. */
  setIncidents(incidents: readonly Incident[], describe: (incident: Incident) => string): void {
    const seen = new Set<string>();
    for (const incident of incidents) {
      const where = incident.location?.kind === 'point' ? incident.location.point : null;
      if (!where || incident.status === 'closed') continue;
      seen.add(incident.id);
      const drawn = this.incidentMarkers.get(incident.id);
      if (drawn?.row === incident) continue;
      drawn?.marker.remove();
      const colour = incidentPriorityColour[incident.priority] ?? '#8d9bad';
      const marker = L.circleMarker([where.lat, where.lon], {
        renderer: this.host.renderer,
        radius: 16,
        weight: 3,
        dashArray: '6 4',
        color: colour,
        fillColor: colour,
        fillOpacity: 0.08,
      }).bindTooltip(describe(incident), { className: 'wf-map-tooltip', direction: 'top', offset: [0, -14] });
      marker.addTo(this.incidentLayer);
      this.incidentMarkers.set(incident.id, { row: incident, marker });
    }
    for (const [id, drawn] of this.incidentMarkers) {
      if (seen.has(id)) continue;
      drawn.marker.remove();
      this.incidentMarkers.delete(id);
    }
  }

  /** Bring an incident's place into view (the officer opened it). */
  focusIncident(incident: Incident): void {
    if (incident.location?.kind !== 'point') return;
    const { lat, lon } = incident.location.point;
    this.host.map.flyTo([lat, lon], Math.max(this.host.map.getZoom(), 15), { duration: 0.6 });
  }

  setUnits(units: readonly Unit[]): void {
    const seen = new Set<string>();
    for (const unit of units) {
      seen.add(unit.id);
      const drawn = this.markers.get(unit.id);
      if (drawn?.row === unit) continue;
      const colour = unitStatusColour[unit.status];
      if (drawn) {
        drawn.marker.setLatLng([unit.position.lat, unit.position.lon]);
        drawn.marker.setStyle({ color: colour, fillColor: colour });
        drawn.marker.setTooltipContent(this.describe(unit));
        drawn.row = unit;
        continue;
      }
      const marker = L.circleMarker([unit.position.lat, unit.position.lon], {
        renderer: this.host.renderer,
        radius: 6,
        weight: 3,
        color: colour,
        fillColor: colour,
        fillOpacity: 0.35,
        opacity: 1,
      }).bindTooltip(this.describe(unit), { className: 'wf-map-tooltip', direction: 'top', offset: [0, -6] });
      marker.addTo(this.layer);
      this.markers.set(unit.id, { row: unit, marker });
    }
    for (const [id, drawn] of this.markers) {
      if (seen.has(id)) continue;
      drawn.marker.remove();
      this.markers.delete(id);
    }
  }

  /** Re-word every tooltip (the language changed). */
  relabel(): void {
    for (const { row, marker } of this.markers.values()) marker.setTooltipContent(this.describe(row));
  }

  destroy(): void {
    this.incidentLayer.remove();
    this.layer.remove();
    this.markers.clear();
  }
}
