import type { Locator } from '@playwright/test';

/**
 * The map draws alerts on Leaflet's canvas, so there is no DOM node per marker to
 * find. This counts, in the map's canvases, the pixels painted in an alert fill
 * colour (renderer/map/styles.ts severityColour; unacknowledged fills are 95%
 * opaque). Asset colours stay at least 23 per channel away from these, so a small
 * tolerance does not count the city's infrastructure as alerts.
 */
export const ALERT_FILLS: Readonly<Record<string, readonly [number, number, number]>> = {
  Extreme: [0xff, 0x33, 0x55],
  Severe: [0xff, 0x8a, 0x1f],
  Moderate: [0xff, 0xd6, 0x0a],
  Minor: [0x5a, 0xd1, 0xff],
};

/** The little of HTMLCanvasElement used here (this tsconfig has no DOM lib). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

export async function alertPixelsOnMap(map: Locator, tolerance = 10): Promise<number> {
  return map.evaluate(
    (root, { fills, tolerance }) => {
      let count = 0;
      const canvases = (root as unknown as { querySelectorAll(s: string): ArrayLike<CanvasLike> }).querySelectorAll(
        'canvas',
      );
      for (const canvas of Array.from(canvases)) {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! < 200) continue;
          for (const [r, g, b] of fills) {
            if (
              Math.abs(data[i]! - r) <= tolerance &&
              Math.abs(data[i + 1]! - g) <= tolerance &&
              Math.abs(data[i + 2]! - b) <= tolerance
            ) {
              count++;
              break;
            }
          }
        }
      }
      return count;
    },
    { fills: Object.values(ALERT_FILLS).map((c): [number, number, number] => [c[0], c[1], c[2]]), tolerance },
  );
}
