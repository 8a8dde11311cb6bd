import { z } from 'zod';

/**
 * Window positions and sizes, remembered per monitor. Pure logic: no Electron, no
 * files; main/app/windowState.ts feeds it Electron's displays and a JSON file.
 *
 * A control room moves consoles between desks with one, two or three monitors. A
 * window remembers where it was on each monitor it has lived on, keyed by the
 * monitor's id and size (a monitor swapped for one of another resolution is a new
 * place). At start it goes back to the last monitor it was on if that monitor is
 * still connected, else to the most recent other monitor that is, else the default
 * size centred on the primary monitor: never off-screen on a monitor that is gone.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What bounds.ts needs of Electron's Display. */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  workArea: Rect;
}

const RectSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

const PlacementSchema = z.object({
  bounds: RectSchema,
  maximized: z.boolean(),
  fullScreen: z.boolean(),
  /** when this placement was saved (ms since epoch): the most recent wins */
  savedAt: z.number(),
});
export type Placement = z.infer<typeof PlacementSchema>;

const WindowPlacementsSchema = z.object({
  /** the display key the window was last on */
  last: z.string().nullable(),
  byDisplay: z.record(z.string(), PlacementSchema),
});

/** The whole file: window name ('main', 'map', …) → its placements per display. */
export const WindowStateFileSchema = z.object({
  version: z.literal(1),
  windows: z.record(z.string(), WindowPlacementsSchema),
});
export type WindowStateFile = z.infer<typeof WindowStateFileSchema>;

export const emptyWindowState = (): WindowStateFile => ({ version: 1, windows: {} });

/** A file that is missing, unreadable or of another shape is simply no memory. */
export function parseWindowState(raw: unknown): WindowStateFile {
  const parsed = WindowStateFileSchema.safeParse(raw);
  return parsed.success ? parsed.data : emptyWindowState();
}

/** A monitor is identified by its id and its size: the same id at another resolution is another place. */
export function displayKey(display: DisplayInfo): string {
  return `${display.id}:${display.bounds.width}x${display.bounds.height}`;
}

function intersectionArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The display a window mostly lies on (its centre's display when it straddles none). */
export function displayOf(bounds: Rect, displays: readonly DisplayInfo[]): DisplayInfo | null {
  let best: DisplayInfo | null = null;
  let bestArea = 0;
  for (const d of displays) {
    const area = intersectionArea(bounds, d.bounds);
    if (area > bestArea) {
      best = d;
      bestArea = area;
    }
  }
  return best;
}

/** Records where a window is now, under the display it mostly lies on. */
export function rememberPlacement(
  state: WindowStateFile,
  windowName: string,
  placement: Omit<Placement, 'savedAt'>,
  displays: readonly DisplayInfo[],
  now: number,
): WindowStateFile {
  const display = displayOf(placement.bounds, displays);
  if (display === null) return state; // off every screen (mid-unplug): nothing worth remembering
  const key = displayKey(display);
  const previous = state.windows[windowName] ?? { last: null, byDisplay: {} };
  return {
    ...state,
    windows: {
      ...state.windows,
      [windowName]: {
        last: key,
        byDisplay: {
          ...previous.byDisplay,
          [key]: { ...placement, bounds: roundRect(placement.bounds), savedAt: now },
        },
      },
    },
  };
}

const roundRect = (r: Rect): Rect => ({
  x: Math.round(r.x),
  y: Math.round(r.y),
  width: Math.round(r.width),
  height: Math.round(r.height),
});

/**
 * Fits `bounds` inside the work area (no part under a taskbar or off the edge):
 * shrinks it if it is larger, then moves it in.
 */
export function fitInside(bounds: Rect, area: Rect): Rect {
  const width = Math.min(bounds.width, area.width);
  const height = Math.min(bounds.height, area.height);
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

/** The default size, centred on the work area (shrunk to fit a small screen). */
export function centred(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

export interface RestoredPlacement {
  bounds: Rect;
  maximized: boolean;
  fullScreen: boolean;
  /** the display key it was restored to, or null for the default placement */
  from: string | null;
}

/**
 * Where a window opens: its last monitor if still connected, else its most recent
 * placement on a monitor that is connected, else `defaultSize` centred on the primary.
 * The restored bounds are fitted into that monitor's work area.
 */
export function restorePlacement(
  state: WindowStateFile,
  windowName: string,
  displays: readonly DisplayInfo[],
  primary: DisplayInfo,
  defaultSize: { width: number; height: number },
): RestoredPlacement {
  const connected = new Map(displays.map((d) => [displayKey(d), d] as const));
  const memory = state.windows[windowName];
  if (memory) {
    const candidates = Object.entries(memory.byDisplay)
      .filter(([key]) => connected.has(key))
      .sort(([ka, a], [kb, b]) => {
        // The last display first, then the most recent.
        if (ka === memory.last) return -1;
        if (kb === memory.last) return 1;
        return b.savedAt - a.savedAt;
      });
    const chosen = candidates[0];
    if (chosen) {
      const [key, placement] = chosen;
      const display = connected.get(key)!;
      return {
        bounds: fitInside(placement.bounds, display.workArea),
        maximized: placement.maximized,
        fullScreen: placement.fullScreen,
        from: key,
      };
    }
  }
  return { bounds: centred(defaultSize, primary.workArea), maximized: false, fullScreen: false, from: null };
}
