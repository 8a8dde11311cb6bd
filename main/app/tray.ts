import type { ConnectionState, DesktopStatus } from '../../shared/api';

/**
 * The tray icon (decision 0027): connection state at a glance, the number of alerts
 * waiting for an officer, and a menu to show the console, mute it or quit. The model is
 * a pure function of what the main window last reported (its connection state and
 * unacknowledged count, and the words in the officer's language); the icon is drawn
 * here as a bitmap, so there is no image file to ship per state. Electron's Tray, Menu
 * and nativeImage are passed in (fakes in tests/shell).
 */

export type TrayTone = 'starting' | 'online' | 'busy' | 'offline';

export interface TrayMenuItem {
  readonly id: 'status' | 'show' | 'mute' | 'quit' | 'separator';
  readonly label?: string;
  readonly type?: 'normal' | 'separator' | 'checkbox';
  readonly enabled?: boolean;
  readonly checked?: boolean;
}

export interface TrayModel {
  readonly tone: TrayTone;
  /** a badge on the icon: alerts wait for an officer */
  readonly attention: boolean;
  readonly muted: boolean;
  readonly tooltip: string;
  /** beside the icon where the platform shows text (macOS): the count, or nothing */
  readonly title: string;
  readonly menu: readonly TrayMenuItem[];
}

export function toneOf(state: ConnectionState | null): TrayTone {
  switch (state) {
    case null:
      return 'starting';
    case 'online':
      return 'online';
    case 'connecting':
    case 'catching-up':
      return 'busy';
    case 'offline':
    case 'refused':
      return 'offline';
    default:
      // A state added later (the console rebuilding its replica, say) is work in progress.
      return 'busy';
  }
}

/** The tray as it should look for this status (null: the page has not reported yet). */
export function trayModel(status: DesktopStatus | null): TrayModel {
  if (status === null) {
    return { tone: 'starting', attention: false, muted: false, tooltip: 'Watchfloor', title: '', menu: [] };
  }
  const { labels } = status;
  return {
    tone: toneOf(status.state),
    attention: status.unacknowledged > 0,
    muted: status.muted,
    tooltip: labels.tooltip,
    title: status.unacknowledged > 0 ? String(Math.min(status.unacknowledged, 9_999)) : '',
    menu: [
      { id: 'status', label: labels.tooltip, enabled: false },
      { id: 'separator', type: 'separator' },
      { id: 'show', label: labels.show },
      { id: 'mute', label: labels.mute, type: 'checkbox', checked: status.muted },
      { id: 'separator', type: 'separator' },
      { id: 'quit', label: labels.quit },
    ],
  };
}

// ---- the icon --------------------------------------------------------------------------

export const TRAY_ICON_SIZE = 32;

/** RGB of each tone: the status bar's colours (online green, busy amber, offline red). */
const TONE_RGB: Readonly<Record<TrayTone, readonly [number, number, number]>> = {
  starting: [0x8a, 0x96, 0xa3],
  online: [0x2f, 0xbf, 0x71],
  busy: [0xe0, 0xa0, 0x30],
  offline: [0xe5, 0x48, 0x4d],
};
const BADGE_RGB = [0xff, 0x6a, 0x00] as const;

/**
 * The icon as a raw BGRA bitmap (what nativeImage.createFromBitmap takes): a filled disc
 * in the tone's colour; an orange badge top right when alerts wait; a dark bar across the
 * bottom when the sound is muted.
 */
export function trayIconBitmap(model: Pick<TrayModel, 'tone' | 'attention' | 'muted'>, size = TRAY_ICON_SIZE): Buffer {
  const buf = Buffer.alloc(size * size * 4);
  const set = (x: number, y: number, [r, g, b]: readonly [number, number, number], a = 255): void => {
    const i = (y * size + x) * 4;
    buf[i] = b;
    buf[i + 1] = g;
    buf[i + 2] = r;
    buf[i + 3] = a;
  };
  const c = (size - 1) / 2;
  const radius = size * 0.42;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if (Math.hypot(x - c, y - c) <= radius) set(x, y, TONE_RGB[model.tone]);
  if (model.attention) {
    const bc = size * 0.78;
    const br = size * 0.2;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(x - bc, y - (size - 1 - bc));
        if (d <= br) set(x, y, BADGE_RGB);
        else if (d <= br + 1.5) set(x, y, [255, 255, 255]);
      }
  }
  if (model.muted) {
    const top = Math.round(size * 0.72);
    for (let y = top; y < top + Math.max(2, Math.round(size / 10)); y++)
      for (let x = Math.round(size * 0.15); x < Math.round(size * 0.85); x++) set(x, y, [0x10, 0x16, 0x1e]);
  }
  return buf;
}

// ---- the controller --------------------------------------------------------------------

export interface TrayLike {
  setImage(image: unknown): void;
  setToolTip(text: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayDeps {
  /** new Tray(image) */
  createTray: (image: unknown) => TrayLike;
  /** nativeImage.createFromBitmap(bitmap, { width, height }) */
  createImage: (bitmap: Buffer, size: number) => unknown;
  /** Menu.buildFromTemplate, with clicks wired to the ids */
  buildMenu: (items: ReadonlyArray<TrayMenuItem & { click?: () => void }>) => unknown;
  onShow: () => void;
  onMute: (muted: boolean) => void;
  onQuit: () => void;
}

export interface TrayController {
  update(status: DesktopStatus | null): void;
  model(): TrayModel;
  destroy(): void;
}

/** Creates the tray and redraws only what a new status changed. */
export function createTrayController(deps: TrayDeps): TrayController {
  let current = trayModel(null);
  const iconKey = (m: TrayModel): string => `${m.tone}/${m.attention}/${m.muted}`;
  const tray = deps.createTray(deps.createImage(trayIconBitmap(current), TRAY_ICON_SIZE));
  tray.setToolTip(current.tooltip);
  tray.on('click', () => deps.onShow());
  const clicks: Partial<Record<TrayMenuItem['id'], (item: TrayMenuItem) => void>> = {
    show: () => deps.onShow(),
    mute: () => deps.onMute(!current.muted),
    quit: () => deps.onQuit(),
  };
  return {
    update(status) {
      const next = trayModel(status);
      if (iconKey(next) !== iconKey(current)) tray.setImage(deps.createImage(trayIconBitmap(next), TRAY_ICON_SIZE));
      if (next.tooltip !== current.tooltip) tray.setToolTip(next.tooltip);
      if (next.title !== current.title) tray.setTitle(next.title);
      if (JSON.stringify(next.menu) !== JSON.stringify(current.menu)) {
        tray.setContextMenu(
          next.menu.length === 0
            ? null
            : deps.buildMenu(
                next.menu.map((item) => {
                  const click = clicks[item.id];
                  return click ? { ...item, click: () => click(item) } : item;
                }),
              ),
        );
      }
      current = next;
    },
    model: () => current,
    destroy: () => tray.destroy(),
  };
}
