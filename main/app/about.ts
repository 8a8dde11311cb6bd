import type { MessageBoxOptions } from 'electron';
import type { Translate } from './i18n';

/**
 * The About window: Watchfloor's version and the versions an incident report or a
 * security review asks for (Electron, Chromium, Node.js, the SQLite driver and its
 * SQLite), and whether this workstation's replica is encrypted at rest. A native
 * message box: it needs no page, no preload and no IPC, and it cannot be scripted.
 */

export interface AboutVersions {
  app: string;
  electron: string;
  chrome: string;
  node: string;
  /** the replica's driver package (better-sqlite3-multiple-ciphers) */
  sqliteDriver: string;
  sqlite: string;
}

/** Reads the versions from `process.versions` and the driver's package.json (injected for tests). */
export function aboutVersions(
  appVersion: string,
  versions: Readonly<Record<string, string | undefined>>,
  driver: { name: string; version: string } | null,
): AboutVersions {
  return {
    app: appVersion,
    electron: versions.electron ?? '?',
    chrome: versions.chrome ?? '?',
    node: versions.node ?? '?',
    sqliteDriver: driver?.name ?? 'better-sqlite3',
    sqlite: driver?.version ?? '?',
  };
}

/** One line with every version, for the clipboard (a support ticket). */
export function versionLine(v: AboutVersions): string {
  return `Watchfloor ${v.app}; Electron ${v.electron}; Chromium ${v.chrome}; Node.js ${v.node}; ${v.sqliteDriver} ${v.sqlite}`;
}

/**
 * The message box. `encrypted` is null before the replica is open (no line then).
 * Buttons: OK (default, Escape) and Copy versions.
 */
export function aboutDialogOptions(t: Translate, v: AboutVersions, encrypted: boolean | null): MessageBoxOptions {
  const lines = [t('about.detail'), '', t('about.versions', { ...v })];
  if (encrypted !== null) lines.push('', t(encrypted ? 'about.encrypted' : 'about.unencrypted'));
  return {
    type: 'info',
    title: t('about.title'),
    message: t('about.message', { version: v.app }),
    detail: lines.join('\n'),
    buttons: [t('about.ok'), t('about.copy')],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

export const ABOUT_COPY_BUTTON = 1;
