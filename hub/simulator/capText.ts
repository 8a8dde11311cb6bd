import type { CapArea, CapReference } from '../../shared/domain/cap';
import { buffer, circleRing, toLatLon, type Xy } from './geometry';

/**
 * Port Halden keeps Central European Time in its messages. CAP wants an explicit
 * offset and no fractional seconds (CAP 1.2 §3.3.2).
 */
const OFFSET_MS = 60 * 60 * 1000;
export function capTime(ms: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+01:00`;
}

/** "14:05" local time, for sentences an officer reads. */
export const clockTime = (ms: number): string => capTime(ms).slice(11, 16);

export const refOf = (m: { sender: string; identifier: string; sent: string }): CapReference => ({
  sender: m.sender,
  identifier: m.identifier,
  sent: m.sent,
});

export const fixed = (n: number, digits: number): string => n.toFixed(digits);

/** A CAP area: polygons/circles in the plane, converted to lat/lon. */
export function area(
  areaDesc: string,
  shapes: { polygons?: Xy[][]; circles?: { centre: Xy; radiusKm: number }[]; districts?: string[] },
): CapArea {
  return {
    areaDesc,
    polygons: (shapes.polygons ?? []).map((ring) => ring.map(toLatLon)),
    circles: (shapes.circles ?? []).map((c) => ({
      center: toLatLon(c.centre),
      radiusKm: Math.round(c.radiusKm * 100) / 100,
    })),
    geocodes: (shapes.districts ?? []).map((d) => ({ valueName: 'PH-DISTRICT', value: d })),
  };
}

/** A corridor polygon around a line (a river reach, a pipe, a bridge deck). */
export const corridor = (line: readonly Xy[], halfWidthKm: number): Xy[] => buffer(line, () => halfWidthKm);

export const disc = (centre: Xy, radiusKm: number): Xy[] => circleRing(centre, radiusKm, 16);

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export function bearingWord(from: Xy, to: Xy): string {
  const deg = (Math.atan2(to.x - from.x, to.y - from.y) * 180) / Math.PI;
  return COMPASS[Math.round(((deg + 360) % 360) / 45) % 8] as string;
}
