import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import type { ConsoleHost } from '../console/host';
import { startSessionHost } from '../console/sessionHost';
import { WatchfloorError } from '../../shared/errors';
import { readShellConfig, type ShellConfig } from './config';
import { routeInvoke } from './desktop';
import { startDesktopIntegration } from './desktopShell';
import { broadcastPush, registerInvokeHandlers } from './ipc';
import { APP_ENTRY_URL, APP_SCHEME } from './origin';
import { popoutUrl, popoutWindowOptions } from './popout';
import { APP_SCHEME_PRIVILEGES, createBundleHandler } from './protocol';
import { hardenSession, hardenWebContents, secureWindowOptions } from './window';

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
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));

const windows = new Set<BrowserWindow>();
let host: ConsoleHost | null = null;
/** the console window; the others in `windows` are pop-outs (decision 0028) */
let mainWindow: BrowserWindow | null = null;

function createWindow(
  preloadPath: string,
  options = secureWindowOptions({ preloadPath }),
  url = APP_ENTRY_URL,
): BrowserWindow {
  const win = new BrowserWindow(options);
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}

async function start(config: ShellConfig): Promise<void> {
  const paths = shellPaths(__dirname);
  if (config.sqliteBinding !== null) {
    // The replica worker inherits the environment; it opens better-sqlite3 with this binding.
    process.env.WATCHFLOOR_SQLITE_BINDING = config.sqliteBinding;
  }
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createBundleHandler(paths.rendererDir));

  // Without --token the console opens at the sign-in screen (issue 6, decision 0020).
  host = await startSessionHost({
    dataDir: config.dataDir,
    hubUrl: config.hubUrl,
    ...(config.token ? { token: config.token } : {}),
    ...(config.consoleId ? { consoleId: config.consoleId } : {}),
    workerPath: paths.replicaWorker,
    basemaps: { shell: { chooseBasemapFile: () => chooseMbtiles() } },
  });
  const isOurWebContents = (contents: unknown): boolean => [...windows].some((w) => w.webContents === contents);
  // Tray, notifications and pop-outs (decisions 0027, 0028): their channels go to the shell.
  const desktop = startDesktopIntegration({
    mainWindow: () => mainWindow,
    createPopout: (panel) => createWindow(paths.preload, popoutWindowOptions(paths.preload, panel), popoutUrl(panel)),
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
    const [first] = windows;
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
