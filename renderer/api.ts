import type { ConsoleApi } from '../shared/api';

/**
 * The bridge, read once. Everything the renderer does outside its own page goes
 * through this object; nothing else in `renderer/` touches `window.watchfloor`.
 * `null` when the page is opened without a preload or harness (shown as a clear error).
 */
export const consoleApi: ConsoleApi | null = 'watchfloor' in window ? window.watchfloor : null;
