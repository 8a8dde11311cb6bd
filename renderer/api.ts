import type { ConsoleApi } from '../shared/api';

/**
 * The bridge, read once. Everything the renderer does outside its own page goes
 * through this object; nothing else in `renderer/` touches `window.watchfloor`.
 * `null` when the page is opened without a preload or harness (shown as a clear error),
 * and where there is no window at all (a module imported by a test under Node).
 */
export const consoleApi: ConsoleApi | null =
  typeof window !== 'undefined' && 'watchfloor' in window ? window.watchfloor : null;
