import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CapArea } from '../../shared/domain/cap';
import { areasOverlap, coverageOf, distanceKm, pointInCircle, pointInPolygon } from '../../shared/geo/geo';

const ring = [
  { lat: 38.47, lon: -120.14 },
  { lat: 38.34, lon: -119.95 },
  { lat: 38.52, lon: -119.74 },
  { lat: 38.62, lon: -119.89 },
  { lat: 38.47, lon: -120.14 },
]; // CAP 1.2 appendix A.2

const area = (o: Partial<CapArea>): CapArea => ({ areaDesc: 'a', polygons: [], circles: [], geocodes: [], ...o });

describe('shared/geo', () => {
  it('haversine: one degree of latitude is about 111.2 km; London–Paris about 344 km', () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111.19, 1);
    expect(distanceKm({ lat: 51.5074, lon: -0.1278 }, { lat: 48.8566, lon: 2.3522 })).toBeCloseTo(343.5, 0);
  });

  it('point in the appendix A.2 polygon (lat,lon order), and outside it', () => {
    expect(pointInPolygon({ lat: 38.5, lon: -119.9 }, ring)).toBe(true);
    expect(pointInPolygon({ lat: 38.3, lon: -120.1 }, ring)).toBe(false);
    expect(pointInPolygon({ lat: -119.9, lon: 38.5 }, ring)).toBe(false); // swapped: not inside
  });

  it('circle radius is kilometres; radius 0 holds only its centre', () => {
    const c = { center: { lat: 52, lon: 4 }, radiusKm: 2 };
    expect(pointInCircle({ lat: 52.017, lon: 4 }, c)).toBe(true); // ~1.9 km
    expect(pointInCircle({ lat: 52.019, lon: 4 }, c)).toBe(false); // ~2.1 km
    expect(pointInCircle({ lat: 52, lon: 4 }, { center: { lat: 52, lon: 4 }, radiusKm: 0 })).toBe(true);
  });

  it('coverageOf agrees with the plain tests (property)', () => {
    const cap = {
      infos: [{ areas: [area({ polygons: [ring], circles: [{ center: { lat: 38.2, lon: -120.3 }, radiusKm: 5 }] })] }],
    } as never;
    const covers = coverageOf(cap);
    fc.assert(
      fc.property(
        fc.double({ min: 38.1, max: 38.7, noNaN: true }),
        fc.double({ min: -120.5, max: -119.6, noNaN: true }),
        (lat, lon) => {
          const p = { lat, lon };
          expect(covers(p)).toBe(pointInPolygon(p, ring) || distanceKm({ lat: 38.2, lon: -120.3 }, p) <= 5);
        },
      ),
      { seed: 5 },
    );
  });

  it('areas overlap: crossing polygons without a shared vertex inside, circles, circle and polygon', () => {
    const bar = (a: number, b: number, c: number, d: number) => [
      { lat: a, lon: c },
      { lat: b, lon: c },
      { lat: b, lon: d },
      { lat: a, lon: d },
      { lat: a, lon: c },
    ];
    // a plus sign: neither bar has a vertex inside the other
    expect(areasOverlap(area({ polygons: [bar(0, 10, 4, 6)] }), area({ polygons: [bar(4, 6, 0, 10)] }))).toBe(true);
    expect(areasOverlap(area({ polygons: [bar(0, 1, 0, 1)] }), area({ polygons: [bar(2, 3, 2, 3)] }))).toBe(false);
    const c = (lat: number, radiusKm: number) => ({ center: { lat, lon: 0 }, radiusKm });
    expect(areasOverlap(area({ circles: [c(0, 60)] }), area({ circles: [c(1, 60)] }))).toBe(true);
    expect(areasOverlap(area({ circles: [c(0, 50)] }), area({ circles: [c(1, 50)] }))).toBe(false);
    expect(areasOverlap(area({ circles: [c(0.5, 1)] }), area({ polygons: [bar(0, 1, -1, 1)] }))).toBe(true);
  });
});
