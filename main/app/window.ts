import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/**
 * The security posture of every Watchfloor window, kept in plain functions that
 * take Electron objects as parameters so a test can pass fakes and assert each
 * option (Electron security checklist: isolation, sandbox, no node, web security,
 * no navigation, no new windows, no permissions).
 */

export interface WindowOptionsInput {
  /** absolute path of the bundled preload (CommonJS: sandboxed preloads cannot be ESM) */
  preloadPath: string;
  title?: string;
}

export function secureWindowOptions({
  preloadPath,
  title = 'Watchfloor',
}: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title,
    width: 1600,
    height: 960,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: '#0b0f14', // the dark room: no white flash before the first paint
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // The alert sounds must play on an unattended console, before anyone clicks (decision 0027).
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}

/** The parts of WebContents that `hardenWebContents` touches (so fakes stay small). */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Deny every navigation, redirect, new window and <webview> for a WebContents.
 * The console is one page; main loads it with loadURL, which does not emit
 * will-navigate, so nothing legitimate is refused here.
 */
export function hardenWebContents(contents: HardenableContents, log: (message: string) => void = () => {}): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`navigation refused: ${url}`);
  });
  // Also subframes: there are none in the console, so none may navigate.
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
    log(`frame navigation refused: ${event.url}`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`redirect refused: ${url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`window.open refused: ${url}`);
    return { action: 'deny' };
  });
}

/** The parts of Session that `hardenSession` touches. */
export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> &
  Partial<Pick<Session, 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler'>>;

/**
 * No permission is granted to the page: no camera, microphone, geolocation,
 * notifications from the page (main raises native notifications itself), HID,
 * serial, USB or screen capture. Issue 7 may add an explicit allow-list.
 */
export function hardenSession(ses: HardenableSession): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler?.(() => false);
  ses.setDisplayMediaRequestHandler?.((_request, callback) => callback({}));
}
