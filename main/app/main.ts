import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, screen, session, shell } from 'electron';
import type { ConsoleHost } from '../console/host';
import { startSessionHost } from '../console/sessionHost';
import { WatchfloorError } from '../../shared/errors';
import { installApplicationMenu, packagedSqliteBinding, resolveShellReplicaKey } from './appShell';
import { readShellConfig, type ShellConfig } from './config';
import { routeInvoke } from './desktop';
import { startDesktopIntegration } from './desktopShell';
import { broadcastPush, registerInvokeHandlers } from './ipc';
import { APP_ENTRY_URL, APP_SCHEME } from './origin';
import { popoutUrl, popoutWindowOptions } from './popout';
import { APP_SCHEME_PRIVILEGES, createBundleHandler } from './protocol';
import { hardenSession, hardenWebContents, secureWindowOptions } from './window';
import { createWindowPlacer, fileWindowStateStore, type WindowPlacer } from './windowState';

/**
 * The Electron main process: one window, the renderer bundle from app://, the
 * console host (replica worker + sync) behind the IPC wrapper. This file is the
 * only wiring; every decision lives in a small module beside it.
 */

/** Where the bundled pieces sit relative to dist/main/main.cjs (see scripts/build-node.ts). */
export function shellPaths(mainDir: string) {
  return {
    rendererDir: path.join(mainDir, '..', 'renderer'),
    preload: path.join(mainDir, '..', 'preload', 'preload.cjs'),
    replicaWorker: path.join(mainDir, 'replica-worker.cjs'),
  };
}

const log = (message: string): void => console.log(`[watchfloor] ${message}`);

// Before `ready`: app:// behaves like https (standard, secure origin).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
// Every renderer sandboxed, whatever a later window forgets to say.
app.enableSandbox();
// Links to allow-listed https hosts go to the system browser (set from the config in start()).
let externalHosts: readonly string[] = [];
const externalLinks = {
  get allowedHosts() {
    return externalHosts;
  },
  open: (url: string) => void shell.openExternal(url),
};
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log, externalLinks));

const windows = new Set<BrowserWindow>();
let host: ConsoleHost | null = null;
/** the console window; the others in `windows` are pop-outs (decision 0028) */
let mainWindow: BrowserWindow | null = null;

/** Opens each window where it last was on a monitor still connected (bounds.ts); set in start(). */
let placer: WindowPlacer | null = null;

function createWindow(
  preloadPath: string,
  options = secureWindowOptions({ preloadPath }),
  url = APP_ENTRY_URL,
  windowName = 'main',
): BrowserWindow {
  const win = new BrowserWindow(placer ? placer.options(windowName, options) : options);
  windows.add(win);
  placer?.track(win, windowName);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}

async function start(config: ShellConfig): Promise<void> {
  const paths = shellPaths(__dirname);
  const sqliteBinding = config.sqliteBinding ?? packagedSqliteBinding();
  if (sqliteBinding !== null) {
    // The replica worker inherits the environment; it opens better-sqlite3 with this binding.
    process.env.WATCHFLOOR_SQLITE_BINDING = sqliteBinding;
  }
  externalHosts = config.externalHosts;
  hardenSession(session.defaultSession, log);
  // Window placement per monitor (issue 7): window-state.json beside the console's data.
  placer = createWindowPlacer(fileWindowStateStore(config.dataDir), screen);
  installApplicationMenu(() => {
    const win = BrowserWindow.getFocusedWindow() ?? mainWindow;
    return win && windows.has(win) && !win.isDestroyed() ? { window: win, contents: win.webContents } : null;
  });
  // Encryption at rest (decision 0025): the key from safeStorage, or the operator's answer.
  const key = await resolveShellReplicaKey(config.dataDir, sqliteBinding, log);
  if (key.kind === 'quit') {
    app.quit();
    return;
  }
  protocol.handle(APP_SCHEME, createBundleHandler(paths.rendererDir));

  // Without --token the console opens at the sign-in screen (issue 6, decision 0020).
  host = await startSessionHost({
    dataDir: config.dataDir,
    hubUrl: config.hubUrl,
    ...(config.token ? { token: config.token } : {}),
    ...(config.consoleId ? { consoleId: config.consoleId } : {}),
    ...(config.localTelemetry ? { localTelemetry: config.localTelemetry } : {}),
    ...(key.kind === 'encrypted' ? { replicaKey: key.key } : {}),
    workerPath: paths.replicaWorker,
    basemaps: { shell: { chooseBasemapFile: () => chooseMbtiles() } },
  });
  const isOurWebContents = (contents: unknown): boolean => [...windows].some((w) => w.webContents === contents);
  // Tray, notifications and pop-outs (decisions 0027, 0028): their channels go to the shell.
  const desktop = startDesktopIntegration({
    mainWindow: () => mainWindow,
    createPopout: (panel) =>
      createWindow(paths.preload, popoutWindowOptions(paths.preload, panel), popoutUrl(panel), `popout-${panel}`),
    quit: () => app.quit(),
    log,
  });
  registerInvokeHandlers(ipcMain, routeInvoke(host, desktop.target), isOurWebContents, log);
  host.onPush((channel, payload) =>
    broadcastPush(
      [...windows].map((w) => w.webContents),
      channel,
      payload,
    ),
  );
  mainWindow = createWindow(paths.preload);
  // Pop-outs belong to the console window: closing it closes them (and so quits).
  mainWindow.on('closed', () => {
    mainWindow = null;
    for (const w of windows) w.close();
  });
}

/** The open-file dialog for importing a city's basemap, over the focused window. */
async function chooseMbtiles(): Promise<string | null> {
  const parent = BrowserWindow.getFocusedWindow() ?? [...windows][0];
  const options: Electron.OpenDialogOptions = {
    title: 'Import a basemap (MBTiles)',
    properties: ['openFile'],
    filters: [
      { name: 'MBTiles', extensions: ['mbtiles'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const chosen = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
}

function fatal(err: unknown): void {
  const message =
    err instanceof WatchfloorError
      ? err.message
      : `Watchfloor could not start: ${err instanceof Error ? err.message : String(err)}`;
  console.error(message);
  dialog.showErrorBox('Watchfloor', message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    // The console window, not a pop-out, comes to the front.
    const first = mainWindow ?? [...windows][0];
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    if (host === null || closing) return;
    closing = true;
    event.preventDefault();
    const h = host;
    host = null;
    void h.close().finally(() => app.quit());
  });
  app
    .whenReady()
    .then(() =>
      start(readShellConfig(process.argv.slice(1), process.env, path.join(app.getPath('userData'), 'console'))),
    )
    .catch(fatal);
}
