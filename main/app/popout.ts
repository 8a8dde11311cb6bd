import type { BrowserWindowConstructorOptions } from 'electron';
import type { PopoutPanel } from '../../shared/api';
import { APP_ENTRY_URL } from './origin';
import { secureWindowOptions } from './window';

/**
 * Pop-out windows (decision 0028): the map, alert queue, incident board or unit board in a
 * window of its own, for another monitor. Each is one more BrowserWindow with the very
 * same hardened webPreferences and preload as the main window, loading the same bundle
 * at `#/popout/<panel>`; main adds it to the set of our windows, so the IPC wrapper
 * answers it and the console host's pushes reach it. No second replica, no second store
 * feed: every window reads the one console host.
 */

export const popoutUrl = (panel: PopoutPanel): string => `${APP_ENTRY_URL}#/popout/${panel}`;

/** Smaller than the console and free to be small: a panel on a side monitor. */
const POPOUT_SIZE: Readonly<Record<PopoutPanel, { width: number; height: number }>> = {
  map: { width: 1280, height: 900 },
  queue: { width: 1100, height: 900 },
  incidents: { width: 1100, height: 900 },
  units: { width: 720, height: 900 },
};

/** The Electron window title before the page sets its own, translated one. */
const POPOUT_TITLE: Readonly<Record<PopoutPanel, string>> = {
  map: 'Watchfloor: map',
  queue: 'Watchfloor: alert queue',
  incidents: 'Watchfloor: incident board',
  units: 'Watchfloor: unit board',
};

/** The main window's options with another size and title; webPreferences untouched. */
export function popoutWindowOptions(preloadPath: string, panel: PopoutPanel): BrowserWindowConstructorOptions {
  const base = secureWindowOptions({ preloadPath, title: POPOUT_TITLE[panel] });
  return { ...base, ...POPOUT_SIZE[panel], minWidth: 480, minHeight: 360 };
}

/** What the manager needs of a BrowserWindow (a fake in tests/shell). */
export interface PopoutWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  once(event: 'closed', listener: () => void): unknown;
}

export interface PopoutManager {
  /** Opens the panel's window, or brings the one already open to the front. */
  open(panel: PopoutPanel): { opened: boolean };
  /** the panels with a window open now */
  openPanels(): PopoutPanel[];
}

/**
 * One window per panel: asking again for an open panel focuses it (an officer clicking
 * "Pop out" twice wants the window, not two). `create` builds and loads the window (main
 * passes popoutWindowOptions and popoutUrl, and registers it as one of ours).
 */
export function createPopoutManager(create: (panel: PopoutPanel) => PopoutWindow): PopoutManager {
  const windows = new Map<PopoutPanel, PopoutWindow>();
  return {
    open(panel) {
      const existing = windows.get(panel);
      if (existing && !existing.isDestroyed()) {
        if (existing.isMinimized()) existing.restore();
        existing.focus();
        return { opened: false };
      }
      const win = create(panel);
      windows.set(panel, win);
      win.once('closed', () => {
        if (windows.get(panel) === win) windows.delete(panel);
      });
      return { opened: true };
    },
    openPanels: () => [...windows.entries()].filter(([, w]) => !w.isDestroyed()).map(([p]) => p),
  };
}
