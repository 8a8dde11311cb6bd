import type { LatLon } from '../../shared/domain/geo';

/**
 * The city is laid out in a local plane in kilometres (x east, y north) around
 * its centre, and converted to WGS 84 at the edge. At 45°N an equirectangular
 * projection is accurate to metres over 15 km, which is all a demo city needs.
 */
export interface Xy {
  readonly x: number;
  readonly y: number;
}

export const CITY_CENTRE: LatLon = { lat: 45.0, lon: 10.0 };
const KM_PER_DEG_LAT = 111.32;
const KM_PER_DEG_LON = KM_PER_DEG_LAT * Math.cos((CITY_CENTRE.lat * Math.PI) / 180);

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

export function toLatLon(p: Xy): LatLon {
  return {
    lat: round6(CITY_CENTRE.lat + p.y / KM_PER_DEG_LAT),
    lon: round6(CITY_CENTRE.lon + p.x / KM_PER_DEG_LON),
  };
}

export function toXy(p: LatLon): Xy {
  return {
    x: (p.lon - CITY_CENTRE.lon) * KM_PER_DEG_LON,
    y: (p.lat - CITY_CENTRE.lat) * KM_PER_DEG_LAT,
  };
}

export const distance = (a: Xy, b: Xy): number => Math.hypot(a.x - b.x, a.y - b.y);

export const lerp = (a: Xy, b: Xy, t: number): Xy => ({
  x: a.x + (b.x - a.x) * t,
  y: a.y + (b.y - a.y) * t,
});

/** Ray casting; `ring` may or may not repeat its first point. */
export function pointInRing(p: Xy, ring: readonly Xy[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as Xy;
    const b = ring[j] as Xy;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Distance from a point to a polyline, in km. */
export function distanceToLine(p: Xy, line: readonly Xy[]): number {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1] as Xy;
    const b = line[i] as Xy;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
    best = Math.min(best, distance(p, { x: a.x + t * dx, y: a.y + t * dy }));
  }
  return best;
}

/** Where segment ab crosses segment cd, if it does. */
export function segmentIntersection(a: Xy, b: Xy, c: Xy, d: Xy): Xy | null {
  const den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
  if (den === 0) return null;
  const t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
  const u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? lerp(a, b, t) : null;
}

/** Every point where two polylines cross, with the index of the segment in `line`. */
export function crossings(line: readonly Xy[], other: readonly Xy[]): { at: Xy; segment: number }[] {
  const found: { at: Xy; segment: number }[] = [];
  for (let i = 1; i < line.length; i++) {
    for (let j = 1; j < other.length; j++) {
      const hit = segmentIntersection(line[i - 1] as Xy, line[i] as Xy, other[j - 1] as Xy, other[j] as Xy);
      if (hit) found.push({ at: hit, segment: i - 1 });
    }
  }
  return found;
}

/** Unit direction of a polyline at segment `i`. */
export function direction(line: readonly Xy[], i: number): Xy {
  const a = line[Math.max(0, Math.min(i, line.length - 2))] as Xy;
  const b = line[Math.max(1, Math.min(i + 1, line.length - 1))] as Xy;
  const len = distance(a, b) || 1;
  return { x: (b.x - a.x) / len, y: (b.y - a.y) / len };
}

/** A band of `halfWidth` km either side of a polyline, as a closed ring. */
export function buffer(line: readonly Xy[], halfWidth: (i: number) => number): Xy[] {
  const left: Xy[] = [];
  const right: Xy[] = [];
  line.forEach((p, i) => {
    const d = direction(line, i === line.length - 1 ? i - 1 : i);
    const w = halfWidth(i);
    left.push({ x: p.x - d.y * w, y: p.y + d.x * w });
    right.push({ x: p.x + d.y * w, y: p.y - d.x * w });
  });
  const ring = [...left, ...right.reverse()];
  return close(ring);
}

/** A regular polygon approximating a circle, closed. */
export function circleRing(centre: Xy, radius: number, points = 24, wobble: (i: number) => number = () => 1): Xy[] {
  const ring: Xy[] = [];
  for (let i = 0; i < points; i++) {
    const a = (i / points) * 2 * Math.PI;
    const r = radius * wobble(i);
    ring.push({ x: centre.x + Math.cos(a) * r, y: centre.y + Math.sin(a) * r });
  }
  return close(ring);
}

export function close(ring: Xy[]): Xy[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first.x !== last.x || first.y !== last.y)) ring.push(first);
  return ring;
}

export function centroid(ring: readonly Xy[]): Xy {
  let x = 0;
  let y = 0;
  for (const p of ring) {
    x += p.x;
    y += p.y;
  }
  return { x: x / ring.length, y: y / ring.length };
}

/** Cuts a polyline into pieces of about `length` km (pipeline segments). */
export function splitLine(line: readonly Xy[], pieces: number): Xy[][] {
  const per = Math.max(1, Math.floor((line.length - 1) / pieces));
  const out: Xy[][] = [];
  for (let start = 0; start < line.length - 1; start += per) {
    const end = Math.min(line.length - 1, start + per);
    out.push(line.slice(start, end + 1));
    if (end === line.length - 1) break;
  }
  return out;
}
