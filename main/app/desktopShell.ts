import { type BrowserWindow, Menu, nativeImage, Notification, Tray, type MenuItemConstructorOptions } from 'electron';
import { pushChannels, type DesktopEvent, type PopoutPanel } from '../../shared/api';
import { createDesktopTarget, type DesktopTarget } from './desktop';
import { broadcastPush } from './ipc';
import { createNotifier } from './notify';
import { createPopoutManager } from './popout';
import { createTrayController } from './tray';

/**
 * Wiring only (decisions 0027, 0028): Electron's Tray, Menu, nativeImage and Notification
 * handed to the pure modules beside this file. Nothing here decides anything.
 */
export interface DesktopIntegrationOptions {
  /** the console window (sounds, notifications and the tray belong to it) */
  mainWindow: () => BrowserWindow | null;
  /** builds, registers and loads a pop-out window (main.ts owns the set of our windows) */
  createPopout: (panel: PopoutPanel) => BrowserWindow;
  quit: () => void;
  log: (message: string) => void;
}

export interface DesktopIntegration {
  readonly target: DesktopTarget;
  dispose(): void;
}

export function startDesktopIntegration(options: DesktopIntegrationOptions): DesktopIntegration {
  const sendToMain = (event: DesktopEvent): void => {
    const win = options.mainWindow();
    if (win && !win.isDestroyed()) broadcastPush([win.webContents], pushChannels.desktop.name, event);
  };
  const showMain = (): void => {
    const win = options.mainWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const popouts = createPopoutManager((panel) => options.createPopout(panel));
  const notifier = createNotifier({
    Notification,
    onClick: (alertId) => {
      showMain();
      if (alertId !== null) sendToMain({ kind: 'focusAlert', alertId });
    },
  });
  let tray: ReturnType<typeof createTrayController> | null = null;
  try {
    tray = createTrayController({
      createTray: (image) => new Tray(image as Electron.NativeImage),
      createImage: (bitmap, size) => nativeImage.createFromBitmap(bitmap, { width: size, height: size }),
      buildMenu: (items) =>
        Menu.buildFromTemplate(
          items.map((item): MenuItemConstructorOptions => ({
            ...(item.label !== undefined ? { label: item.label } : {}),
            type: item.type ?? 'normal',
            ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
            ...(item.checked !== undefined ? { checked: item.checked } : {}),
            ...(item.click ? { click: item.click } : {}),
          })),
        ),
      onShow: showMain,
      onMute: (muted) => sendToMain({ kind: 'setMuted', muted }),
      onQuit: options.quit,
    });
  } catch (err) {
    // Some Linux desktops have no tray; the console works without it.
    options.log(`no tray icon: ${err instanceof Error ? err.message : String(err)}`);
  }

  const target = createDesktopTarget({
    openPopout: (panel) => popouts.open(panel),
    notify: (args) => notifier.notify(args),
    setDesktopStatus: (status) => tray?.update(status),
  });
  return {
    target,
    dispose: () => tray?.destroy(),
  };
}
