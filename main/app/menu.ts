import type { MenuItemConstructorOptions } from 'electron';
import type { Translate } from './i18n';

/**
 * The application menu, as a template built by a pure function (tests check every
 * role and item without Electron). Edit roles for text fields, zoom and full screen,
 * reload and developer tools only in development, and the console's own commands
 * with the keys the renderer already handles (renderer/command/shortcuts.ts).
 *
 * A console command's accelerator is shown but not registered (`registerAccelerator:
 * false`): the key still reaches the page, which handles it as it always has (also in
 * the Chromium harness, where there is no menu). Choosing the item sends the page that
 * same key (`webContents.sendInputEvent`), so menu and keyboard cannot drift apart and
 * no new IPC channel is needed.
 */

/** A key as `webContents.sendInputEvent` takes it. */
export interface ConsoleKey {
  keyCode: string;
  modifiers: Array<'control' | 'alt' | 'shift' | 'meta'>;
}

export interface ConsoleCommand {
  id: string;
  /** i18n key under `desktop.` */
  label: string;
  /** how the menu shows the key (Electron accelerator syntax) */
  accelerator: string;
  key: ConsoleKey;
}

/** The command bar's keys that work anywhere in the console (renderer/command/shortcuts.ts). */
export const CONSOLE_COMMANDS: readonly ConsoleCommand[] = [
  {
    id: 'commandBar',
    label: 'menu.commandBar',
    accelerator: 'CmdOrCtrl+K',
    key: { keyCode: 'K', modifiers: ['control'] },
  },
  { id: 'shortcuts', label: 'menu.shortcuts', accelerator: 'F1', key: { keyCode: 'F1', modifiers: [] } },
  { id: 'alertsBoard', label: 'menu.alertsBoard', accelerator: 'Alt+1', key: { keyCode: '1', modifiers: ['alt'] } },
  {
    id: 'incidentsBoard',
    label: 'menu.incidentsBoard',
    accelerator: 'Alt+2',
    key: { keyCode: '2', modifiers: ['alt'] },
  },
  { id: 'unitsBoard', label: 'menu.unitsBoard', accelerator: 'Alt+3', key: { keyCode: '3', modifiers: ['alt'] } },
];

export interface MenuOptions {
  t: Translate;
  /** reload and developer tools only in development (an unpackaged run) */
  isDev: boolean;
  isMac: boolean;
  /** sends a console command's key to the focused Watchfloor window */
  sendKey(key: ConsoleKey): void;
  showAbout(): void;
  /** items another module adds to the Window menu (pop-out windows) */
  windowItems?: readonly MenuItemConstructorOptions[];
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { t, isDev, isMac } = options;
  const about: MenuItemConstructorOptions = { id: 'about', label: t('menu.about'), click: () => options.showAbout() };
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: 'Watchfloor',
      submenu: [
        about,
        { type: 'separator' },
        { role: 'hide', label: t('menu.hide') },
        { role: 'hideOthers', label: t('menu.hideOthers') },
        { role: 'unhide', label: t('menu.unhide') },
        { type: 'separator' },
        { role: 'quit', label: t('menu.quit') },
      ],
    });
  } else {
    template.push({ label: t('menu.file'), submenu: [{ role: 'quit', label: t('menu.quit') }] });
  }
  template.push({
    label: t('menu.edit'),
    submenu: [
      { role: 'undo', label: t('menu.undo') },
      { role: 'redo', label: t('menu.redo') },
      { type: 'separator' },
      { role: 'cut', label: t('menu.cut') },
      { role: 'copy', label: t('menu.copy') },
      { role: 'paste', label: t('menu.paste') },
      { role: 'selectAll', label: t('menu.selectAll') },
    ],
  });
  template.push({
    label: t('menu.view'),
    submenu: [
      ...(isDev
        ? ([
            { role: 'reload', label: t('menu.reload') },
            { role: 'toggleDevTools', label: t('menu.devTools') },
            { type: 'separator' },
          ] satisfies MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom', label: t('menu.resetZoom') },
      { role: 'zoomIn', label: t('menu.zoomIn') },
      { role: 'zoomOut', label: t('menu.zoomOut') },
      { type: 'separator' },
      { role: 'togglefullscreen', label: t('menu.fullScreen') },
    ],
  });
  template.push({
    label: t('menu.console'),
    submenu: CONSOLE_COMMANDS.map((c) => ({
      id: c.id,
      label: t(c.label),
      accelerator: c.accelerator,
      registerAccelerator: false,
      click: () => options.sendKey(c.key),
    })),
  });
  template.push({
    label: t('menu.window'),
    role: 'windowMenu',
    submenu: [
      { role: 'minimize', label: t('menu.minimize') },
      { role: 'close', label: t('menu.close') },
      ...(options.windowItems && options.windowItems.length > 0
        ? [{ type: 'separator' } as const, ...options.windowItems]
        : []),
    ],
  });
  template.push({ label: t('menu.help'), role: 'help', submenu: isMac ? [] : [about] });
  return template;
}

/** What sending a key needs of a WebContents. */
export interface KeyTarget {
  sendInputEvent(event: { type: 'keyDown' | 'keyUp'; keyCode: string; modifiers: ConsoleKey['modifiers'] }): void;
  focus(): void;
}

/** A key press (down, up) into the page, as if typed. */
export function pressKey(target: KeyTarget, key: ConsoleKey): void {
  target.focus();
  target.sendInputEvent({ type: 'keyDown', keyCode: key.keyCode, modifiers: key.modifiers });
  target.sendInputEvent({ type: 'keyUp', keyCode: key.keyCode, modifiers: key.modifiers });
}
