import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { app, type BrowserWindow, clipboard, dialog, Menu, safeStorage, type WebContents } from 'electron';
import { encryptInPlace } from '../replica/db';
import { ABOUT_COPY_BUTTON, aboutDialogOptions, aboutVersions, versionLine } from './about';
import { desktopLanguage, desktopTranslator, type Translate } from './i18n';
import { buildMenuTemplate, pressKey } from './menu';
import { KEY_FILE, resolveReplicaKey, type KeyAnswer, type KeyDecision, type KeyQuestion } from './replicaKey';

/**
 * Wiring only (issue 7, decisions 0025, 0026): Electron's Menu, dialog, clipboard and
 * safeStorage handed to the pure modules beside this file (menu.ts, about.ts,
 * replicaKey.ts, bounds.ts). Nothing here decides anything.
 */

let translate: Translate | null = null;
/** The shell's translator, in the operating system's language (after `ready`). */
export function shellT(): Translate {
  translate ??= desktopTranslator(desktopLanguage(app.getPreferredSystemLanguages()));
  return translate;
}

/** Whether the replica of this run is encrypted (null until the key is resolved). */
let encryptedAtRest: boolean | null = null;

/** The SQLite driver's package name and version, read from its package.json (external to the bundle). */
function driverVersion(): { name: string; version: string } | null {
  try {
    const require = createRequire(__filename);
    const pkg = require('better-sqlite3-multiple-ciphers/package.json') as { name: string; version: string };
    return { name: pkg.name, version: pkg.version };
  } catch {
    return null;
  }
}

export async function showAbout(parent: BrowserWindow | null): Promise<void> {
  const t = shellT();
  const versions = aboutVersions(app.getVersion(), process.versions, driverVersion());
  const options = aboutDialogOptions(t, versions, encryptedAtRest);
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response === ABOUT_COPY_BUTTON) clipboard.writeText(versionLine(versions));
}

/** The application menu; console commands go to the focused Watchfloor window as keys. */
export function installApplicationMenu(focused: () => { window: BrowserWindow; contents: WebContents } | null): void {
  const template = buildMenuTemplate({
    t: shellT(),
    isDev: !app.isPackaged,
    isMac: process.platform === 'darwin',
    sendKey: (key) => {
      const target = focused();
      if (target) pressKey(target.contents, key);
    },
    showAbout: () => void showAbout(focused()?.window ?? null),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** In a packaged app, the Electron build of the SQLite driver sits in resources/native (electron-builder.yml). */
export function packagedSqliteBinding(): string | null {
  if (!app.isPackaged) return null;
  const file = path.join(process.resourcesPath, 'native', 'better_sqlite3.node');
  return existsSync(file) ? file : null;
}

async function askOperator(question: KeyQuestion): Promise<KeyAnswer> {
  const t = shellT();
  const noKeychain = question === 'no-keychain';
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    title: t(noKeychain ? 'key.noKeychainTitle' : 'key.lockedTitle'),
    message: t(noKeychain ? 'key.noKeychainMessage' : 'key.lockedMessage'),
    detail: t(noKeychain ? 'key.noKeychainDetail' : 'key.lockedDetail'),
    buttons: [t('key.quit'), t(noKeychain ? 'key.continueUnencrypted' : 'key.startFresh')],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  if (response !== 1) return 'quit';
  return noKeychain ? 'continue' : 'fresh';
}

/** Resolves this run's replica key with safeStorage (see replicaKey.ts for the policy). */
export async function resolveShellReplicaKey(
  dataDir: string,
  sqliteBinding: string | null,
  log: (message: string) => void,
): Promise<KeyDecision> {
  const keyFile = path.join(dataDir, KEY_FILE);
  const replicaFile = path.join(dataDir, 'replica.sqlite');
  mkdirSync(dataDir, { recursive: true });
  const decision = await resolveReplicaKey({
    safeStorage,
    platform: process.platform,
    randomBytes,
    ask: askOperator,
    log,
    io: {
      readKeyFile: () => (existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : null),
      writeKeyFile: (text) => {
        writeFileSync(`${keyFile}.tmp`, text, { mode: 0o600 });
        renameSync(`${keyFile}.tmp`, keyFile);
      },
      replicaExists: () => existsSync(replicaFile),
      removeReplica: () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${replicaFile}${suffix}`, { force: true });
      },
      encryptReplica: (key) => encryptInPlace(replicaFile, key, sqliteBinding ?? undefined),
    },
  });
  encryptedAtRest = decision.kind === 'encrypted';
  return decision;
}
