import type { BBox, LatLon } from '../../shared/domain/geo';
import type { CapAlert, CapArea } from '../../shared/domain/cap';
import { severityRank, urgencyRank } from '../../shared/domain/cap';

/** The flattened columns the queue and the map read, derived once when an alert arrives. */
export interface AlertColumns {
  event: string;
  headline: string;
  severity: CapAlert['infos'][number]['severity'];
  severityRank: number;
  urgency: CapAlert['infos'][number]['urgency'];
  urgencyRank: number;
  certainty: CapAlert['infos'][number]['certainty'];
  center: LatLon | null;
  bbox: BBox | null;
  sentMs: number;
  expiresMs: number | null;
}

const KM_PER_DEG_LAT = 111.32;

function areaBox(area: CapArea): BBox | null {
  let box: BBox | null = null;
  const add = (lat: number, lon: number) => {
    box = box
      ? {
          minLat: Math.min(box.minLat, lat),
          minLon: Math.min(box.minLon, lon),
          maxLat: Math.max(box.maxLat, lat),
          maxLon: Math.max(box.maxLon, lon),
        }
      : { minLat: lat, minLon: lon, maxLat: lat, maxLon: lon };
  };
  for (const polygon of area.polygons) for (const p of polygon) add(p.lat, p.lon);
  for (const c of area.circles) {
    const dLat = c.radiusKm / KM_PER_DEG_LAT;
    const dLon = c.radiusKm / (KM_PER_DEG_LAT * Math.max(Math.cos((c.center.lat * Math.PI) / 180), 0.01));
    add(c.center.lat - dLat, c.center.lon - dLon);
    add(c.center.lat + dLat, c.center.lon + dLon);
  }
  return box;
}

function union(a: BBox | null, b: BBox | null): BBox | null {
  if (!a) return b;
  if (!b) return a;
  return {
    minLat: Math.min(a.minLat, b.minLat),
    minLon: Math.min(a.minLon, b.minLon),
    maxLat: Math.max(a.maxLat, b.maxLat),
    maxLon: Math.max(a.maxLon, b.maxLon),
  };
}

export function alertColumns(cap: CapAlert): AlertColumns {
  const info = cap.infos[0];
  let bbox: BBox | null = null;
  let first: BBox | null = null;
  let firstCircle: LatLon | null = null;
  for (const i of cap.infos) {
    for (const area of i.areas) {
      const box = areaBox(area);
      if (!first && box) {
        first = box;
        // A single circle is centred where it says, not at its box's middle.
        if (area.polygons.length === 0 && area.circles.length === 1) firstCircle = area.circles[0]!.center;
      }
      bbox = union(bbox, box);
    }
  }
  const center: LatLon | null =
    firstCircle ?? (first ? { lat: (first.minLat + first.maxLat) / 2, lon: (first.minLon + first.maxLon) / 2 } : null);
  const severity = info?.severity ?? 'Unknown';
  const urgency = info?.urgency ?? 'Unknown';
  const expires = info?.expires ? Date.parse(info.expires) : NaN;
  return {
    event: info?.event ?? '',
    headline: info?.headline ?? info?.event ?? cap.identifier,
    severity,
    severityRank: severityRank[severity],
    urgency,
    urgencyRank: urgencyRank[urgency],
    certainty: info?.certainty ?? 'Unknown',
    center,
    bbox,
    sentMs: Date.parse(cap.sent),
    expiresMs: Number.isFinite(expires) ? expires : null,
  };
}
