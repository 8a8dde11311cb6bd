import L from 'leaflet';
import type { UnitStatus } from '../../shared/domain/unit';
import type { Unit } from '../state/units';

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
  private readonly markers = new Map<string, { row: Unit; marker: L.CircleMarker }>();

  constructor(
    private readonly host: { map: L.Map; renderer: L.Canvas },
    private readonly describe: (unit: Unit) => string,
  ) {
    this.layer.addTo(host.map);
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
    this.layer.remove();
    this.markers.clear();
  }
}
