import type { AssetKind } from '../../shared/domain/asset';
import type { CapSeverity } from '../../shared/domain/cap';
import type { AssetTelemetryState } from '../../shared/telemetry/api';

/**
 * Colours drawn on the canvas (the CSS mirrors them in styles/app.css).
 * Severity is warm and saturated; assets are cool and quiet, so an alert
 * never hides among the city's infrastructure.
 */
export const severityColour: Readonly<Record<CapSeverity, string>> = {
  Extreme: '#ff3355',
  Severe: '#ff8a1f',
  Moderate: '#ffd60a',
  Minor: '#5ad1ff',
  Unknown: '#b0b8c6',
};

/** `colour` mixed with the map's background: dimmer, still opaque. */
function dim(colour: string, keep: number): string {
  const bg = [0x0b, 0x10, 0x17];
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  return `#${rgb
    .map((c, i) =>
      Math.round(c * keep + bg[i]! * (1 - keep))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Acknowledged alerts keep their hue at half strength: still readable, no longer shouting. */
export const acknowledgedColour: Readonly<Record<CapSeverity, string>> = Object.fromEntries(
  Object.entries(severityColour).map(([k, v]) => [k, dim(v, 0.45)]),
) as Record<CapSeverity, string>;

export const severityRadius: Readonly<Record<CapSeverity, number>> = {
  Extreme: 10,
  Severe: 9,
  Moderate: 8,
  Minor: 7,
  Unknown: 7,
};

export const assetColour: Readonly<Record<AssetKind, string>> = {
  bridge: '#b39dff',
  tunnel: '#8e9bb0',
  pipeline: '#c9a86a',
  pumping_station: '#3cc6c6',
  river_gauge: '#4f9dff',
  substation: '#d8cf6a',
  hospital: '#ff8fb1',
  shelter: '#7ddc9a',
  fire_station: '#ff9f7a',
  police_station: '#7f9cff',
  school: '#e0b8ff',
  water_treatment: '#59d9e8',
};

/** The basemap's layers, darkest first: the city is a backdrop, never the subject. */
export const basemapStyle: Readonly<
  Record<string, { color: string; weight: number; fillColor?: string; fillOpacity?: number; opacity?: number }>
> = {
  district: { color: '#39475c', weight: 1, fillColor: '#161d28', fillOpacity: 1 },
  park: { color: '#1f3a2c', weight: 0.5, fillColor: '#15281f', fillOpacity: 1 },
  water: { color: '#1e4a6e', weight: 1, fillColor: '#0f2d45', fillOpacity: 1 },
  river: { color: '#1f5580', weight: 6, fillColor: '#0f2d45', fillOpacity: 1, opacity: 0.95 },
  road: { color: '#4a5568', weight: 1.5, opacity: 0.9 },
};
export const basemapFallbackStyle = { color: '#3a4455', weight: 1, fillColor: '#161d28', fillOpacity: 0.6 };
export const basemapOrder = ['district', 'park', 'water', 'river', 'road'] as const;

/**
 * Monitored assets by their worst telemetry state (issue 9). Kept at least 23 per channel
 * from every alert fill (tests/e2e/map-pixels.ts), so an asset in alarm is never counted
 * as an alert; the state is also a word in the tooltip, the legend and the asset lists.
 */
export const assetStateColour: Readonly<Record<AssetTelemetryState, string>> = {
  alarm: '#e8202a',
  warning: '#f2b01e',
  fault: '#c77dff',
  stale: '#7d8796',
  normal: '#34c77b',
};
