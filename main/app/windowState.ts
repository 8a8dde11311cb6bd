import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Screen } from 'electron';
import {
  emptyWindowState,
  parseWindowState,
  rememberPlacement,
  restorePlacement,
  type RestoredPlacement,
  type WindowStateFile,
  type Rect,
} from './bounds';

/**
 * The Electron side of bounds.ts: a JSON file in userData, and a BrowserWindow's
 * move/resize/close events. Every window (the main one, and pop-outs by name) opens
 * where it was on a monitor that is still there.
 */

export interface WindowStateStore {
  read(): WindowStateFile;
  write(state: WindowStateFile): void;
}

/** window-state.json in `dir`; written atomically (temp + rename) so a crash never leaves half a file. */
export function fileWindowStateStore(dir: string): WindowStateStore {
  const file = path.join(dir, 'window-state.json');
  return {
    read() {
      try {
        return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        return emptyWindowState();
      }
    },
    write(state) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
      renameSync(tmp, file);
    },
  };
}

type ScreenLike = Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay'>;

/** Where the window `name` should open (call before creating it). */
export function initialPlacement(
  store: WindowStateStore,
  screen: ScreenLike,
  name: string,
  defaultSize: { width: number; height: number },
): RestoredPlacement {
  return restorePlacement(store.read(), name, screen.getAllDisplays(), screen.getPrimaryDisplay(), defaultSize);
}

type TrackableWindow = Pick<
  BrowserWindow,
  'on' | 'getNormalBounds' | 'isMaximized' | 'isFullScreen' | 'isDestroyed' | 'maximize' | 'setFullScreen'
>;

/**
 * Applies the restored maximized/full-screen state and saves the placement when the
 * window moves, resizes or closes (debounced: a drag fires dozens of events).
 * `getNormalBounds` is saved, so a maximized window also remembers its restore size.
 */
export function trackWindowPlacement(
  win: TrackableWindow,
  name: string,
  restored: RestoredPlacement,
  store: WindowStateStore,
  screen: Pick<Screen, 'getAllDisplays'>,
  now: () => number = Date.now,
  debounceMs = 500,
): void {
  if (restored.maximized) win.maximize();
  if (restored.fullScreen) win.setFullScreen(true);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    const placement = { bounds: win.getNormalBounds(), maximized: win.isMaximized(), fullScreen: win.isFullScreen() };
    try {
      store.write(rememberPlacement(store.read(), name, placement, screen.getAllDisplays(), now()));
    } catch {
      // A read-only profile only means the window opens at the default place next time.
    }
  };
  const later = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  win.on('moved', later);
  win.on('resized', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('enter-full-screen', later);
  win.on('leave-full-screen', later);
  win.on('close', save);
}

/** Placement for every window the shell opens, by name ('main', 'popout-map', …). */
export interface WindowPlacer {
  /** the window's options with its restored bounds (call before creating it) */
  options<T extends { width?: number; height?: number }>(name: string, options: T): T & Rect;
  /** after creating it: applies maximized/full screen and saves its placement as it changes */
  track(win: TrackableWindow, name: string): void;
}

export function createWindowPlacer(store: WindowStateStore, screen: ScreenLike): WindowPlacer {
  const restored = new Map<string, RestoredPlacement>();
  return {
    options(name, options) {
      const placement = initialPlacement(store, screen, name, {
        width: options.width ?? 1600,
        height: options.height ?? 960,
      });
      restored.set(name, placement);
      return { ...options, ...placement.bounds };
    },
    track(win, name) {
      const placement = restored.get(name);
      if (placement) trackWindowPlacement(win, name, placement, store, screen);
    },
  };
}
