import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isAllowedExternalUrl } from './external';
import { isAppUrl } from './origin';

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

/** Links the page may hand to the operating system's browser (main/app/external.ts). */
export interface ExternalLinks {
  /** exact https hosts; empty: no link ever leaves the console */
  allowedHosts: readonly string[];
  /** shell.openExternal in the shell; a fake in tests */
  open(url: string): void;
}

/**
 * Deny every navigation, redirect, new window and <webview> for a WebContents.
 * The console is one page; main loads it with loadURL, which does not emit
 * will-navigate, so nothing legitimate is refused here. A link to an allow-listed
 * https host (window.open or a plain link) goes to the system browser instead;
 * the console window itself never leaves app://.
 */
export function hardenWebContents(
  contents: HardenableContents,
  log: (message: string) => void = () => {},
  external: ExternalLinks | null = null,
): void {
  const handOut = (url: string): void => {
    if (external !== null && isAllowedExternalUrl(url, external.allowedHosts)) {
      log(`opened in the system browser: ${url}`);
      external.open(url);
    }
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`navigation refused: ${url}`);
    handOut(url);
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
    handOut(url);
    return { action: 'deny' };
  });
}

/** The parts of Session that `hardenSession` touches. */
export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> &
  Partial<Pick<Session, 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler'>>;

/**
 * The only permissions a page may have, and only our app:// page in its main frame:
 * element full screen (the map on a wall screen) and writing text to the clipboard
 * (copying an alert's identifier). Nothing else: no camera, microphone, geolocation,
 * notifications from the page (main raises native notifications itself), clipboard
 * reading, HID, serial, USB, MIDI or screen capture.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write']);

/** Whether `permission` is granted to a request from `url` (main frame or not). */
export function permissionAllowed(permission: string, url: string, isMainFrame: boolean): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isMainFrame && isAppUrl(url);
}

export function hardenSession(ses: HardenableSession, log: (message: string) => void = () => {}): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const url = details.requestingUrl ?? '';
    const granted = permissionAllowed(permission, url, details.isMainFrame !== false);
    if (!granted) log(`permission refused: ${permission} for ${url}`);
    callback(granted);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details?.requestingUrl ?? requestingOrigin, details?.isMainFrame !== false),
  );
  ses.setDevicePermissionHandler?.(() => false);
  ses.setDisplayMediaRequestHandler?.((_request, callback) => callback({}));
}
