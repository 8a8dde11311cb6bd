import type { CapAlert, CapArea } from '../domain/cap';
import type { BBox, LatLon } from '../domain/geo';

/**
 * Exact geometry for CAP areas (pure, no I/O). The replica narrows candidates with its
 * R*Tree on bounding boxes first; these functions decide.
 */

/** IUGG mean Earth radius. */
const EARTH_RADIUS_KM = 6_371.0088;

/** Great-circle distance (haversine). CAP circle radii are kilometres on WGS 84. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Even-odd ray casting in the lat/lon plane. Exact enough at city and county scale; CAP
 * polygons do not cross the antimeridian in practice, and CAP has no holes.
 */
export function pointInPolygon(p: LatLon, ring: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }
  return inside;
}

export function pointInCircle(p: LatLon, c: { center: LatLon; radiusKm: number }): boolean {
  return distanceKm(c.center, p) <= c.radiusKm;
}

/** Whether a point lies in the area: the union of its polygons and circles (CAP §3.3.3). */
export function areaCovers(area: CapArea, p: LatLon): boolean {
  for (const ring of area.polygons) if (pointInPolygon(p, ring)) return true;
  for (const c of area.circles) if (pointInCircle(p, c)) return true;
  return false;
}

/** Whether a point lies in any area of any info block of the alert. */
export function alertCovers(cap: CapAlert, p: LatLon): boolean {
  for (const info of cap.infos) for (const area of info.areas) if (areaCovers(area, p)) return true;
  return false;
}

/** Whether a linear asset (its location and path points) touches the alert's areas at any vertex. */
export function alertCoversAny(cap: CapAlert, points: readonly LatLon[]): boolean {
  return points.some((p) => alertCovers(cap, p));
}

/** The smallest box holding every point (Infinity bounds for none). */
export function boundsOf(points: readonly LatLon[]): BBox {
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const q of points) {
    if (q.lat < minLat) minLat = q.lat;
    if (q.lat > maxLat) maxLat = q.lat;
    if (q.lon < minLon) minLon = q.lon;
    if (q.lon > maxLon) maxLon = q.lon;
  }
  return { minLat, maxLat, minLon, maxLon };
}

export function boxesOverlap(a: BBox, b: BBox): boolean {
  return a.minLat <= b.maxLat && b.minLat <= a.maxLat && a.minLon <= b.maxLon && b.minLon <= a.maxLon;
}

function ringsMeet(a: readonly LatLon[], b: readonly LatLon[]): boolean {
  return a.some((p) => pointInPolygon(p, b)) || b.some((p) => pointInPolygon(p, a)) || edgesCross(a, b);
}

function segmentsCross(p1: LatLon, p2: LatLon, q1: LatLon, q2: LatLon): boolean {
  const d = (a: LatLon, b: LatLon, c: LatLon) => (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
  const d1 = d(q1, q2, p1);
  const d2 = d(q1, q2, p2);
  const d3 = d(p1, p2, q1);
  const d4 = d(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Edge crossings, bounded: rings beyond 2 million edge pairs rely on the vertex tests only. */
function edgesCross(a: readonly LatLon[], b: readonly LatLon[]): boolean {
  if (a.length * b.length > 2_000_000) return false;
  for (let i = 1; i < a.length; i++)
    for (let j = 1; j < b.length; j++) if (segmentsCross(a[i - 1]!, a[i]!, b[j - 1]!, b[j]!)) return true;
  return false;
}

/** A circle meets a ring when its centre is inside or a vertex is inside the circle. */
function circleMeetsRing(c: { center: LatLon; radiusKm: number }, ring: readonly LatLon[]): boolean {
  return pointInPolygon(c.center, ring) || ring.some((p) => pointInCircle(p, c));
}

/**
 * Whether two areas share any ground: polygon/polygon by vertex containment or crossing
 * edges, circle/circle by centre distance, circle/polygon by the centre inside or a vertex
 * inside the circle (a polygon edge grazing a circle between two outside vertices is
 * missed; acceptable for grouping, which is a display aid).
 */
export function areasOverlap(a: CapArea, b: CapArea): boolean {
  for (const pa of a.polygons) {
    for (const pb of b.polygons) if (ringsMeet(pa, pb)) return true;
    for (const cb of b.circles) if (circleMeetsRing(cb, pa)) return true;
  }
  for (const ca of a.circles) {
    for (const pb of b.polygons) if (circleMeetsRing(ca, pb)) return true;
    for (const cb of b.circles) if (distanceKm(ca.center, cb.center) <= ca.radiusKm + cb.radiusKm) return true;
  }
  return false;
}

export function alertsOverlap(a: CapAlert, b: CapAlert): boolean {
  for (const ia of a.infos)
    for (const aa of ia.areas)
      for (const ib of b.infos) for (const ab of ib.areas) if (areasOverlap(aa, ab)) return true;
  return false;
}

/**
 * `alertCovers` prepared once for many points: each ring and circle gets its bounding box,
 * so most points are rejected without walking the ring (affected assets test hundreds of
 * candidates per alert).
 */
export function coverageOf(cap: CapAlert): (p: LatLon) => boolean {
  const rings: { box: BBox; ring: readonly LatLon[] }[] = [];
  const circles: { center: LatLon; radiusKm: number }[] = [];
  for (const info of cap.infos)
    for (const area of info.areas) {
      for (const ring of area.polygons) rings.push({ box: boundsOf(ring), ring });
      circles.push(...area.circles);
    }
  return (p) => {
    for (const { box, ring } of rings) {
      if (p.lat < box.minLat || p.lat > box.maxLat || p.lon < box.minLon || p.lon > box.maxLon) continue;
      if (pointInPolygon(p, ring)) return true;
    }
    for (const c of circles) if (pointInCircle(p, c)) return true;
    return false;
  };
}
