/**
 * Alarm-flood detection (ANSI/ISA-18.2: more than 10 new alarms in 10 minutes per
 * operator is a flood). Pure: the renderer passes the arrival times it holds and "now".
 */
export const FLOOD_WINDOW_MS = 10 * 60_000;
export const FLOOD_THRESHOLD = 10;

export interface FloodState {
  /** more than `threshold` arrivals in the window ending at `now` */
  readonly flood: boolean;
  /** arrivals in the window ending at `now` (the rate per 10 minutes) */
  readonly ratePer10Min: number;
  /** when the oldest arrival in the window leaves it (ms), or null if the window is empty */
  readonly windowEndsAt: number | null;
}

/**
 * `arrivals`: arrival times in ms (any order; non-finite ignored). An arrival counts when
 * `now - window < t <= now`; arrivals in the future (clock skew) count as now.
 */
export function floodState(
  arrivals: Iterable<number>,
  now: number,
  options: { windowMs?: number; threshold?: number } = {},
): FloodState {
  const windowMs = options.windowMs ?? FLOOD_WINDOW_MS;
  const threshold = options.threshold ?? FLOOD_THRESHOLD;
  let count = 0;
  let oldest = Infinity;
  for (const raw of arrivals) {
    if (!Number.isFinite(raw)) continue;
    const t = Math.min(raw, now);
    if (t > now - windowMs) {
      count++;
      if (t < oldest) oldest = t;
    }
  }
  return {
    flood: count > threshold,
    ratePer10Min: windowMs === FLOOD_WINDOW_MS ? count : Math.round((count * FLOOD_WINDOW_MS) / windowMs),
    windowEndsAt: count ? oldest + windowMs : null,
  };
}
