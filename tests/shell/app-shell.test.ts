import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import en from '../../renderer/i18n/en.json';
import zhCN from '../../renderer/i18n/zh-CN.json';
import { aboutDialogOptions, aboutVersions, versionLine } from '../../main/app/about';
import {
  centred,
  displayKey,
  emptyWindowState,
  fitInside,
  parseWindowState,
  rememberPlacement,
  restorePlacement,
  type DisplayInfo,
} from '../../main/app/bounds';
import { isAllowedExternalUrl, parseExternalHosts } from '../../main/app/external';
import { desktopLanguage, desktopTranslator } from '../../main/app/i18n';
import { buildMenuTemplate, CONSOLE_COMMANDS, pressKey } from '../../main/app/menu';
import {
  resolveReplicaKey,
  type KeyQuestion,
  type ResolveKeyDeps,
  type SafeStorageLike,
} from '../../main/app/replicaKey';
import { createWindowPlacer, fileWindowStateStore, trackWindowPlacement } from '../../main/app/windowState';

/**
 * Desktop integration (issue 7) without Electron: window placement per monitor, the
 * application menu, the About window, the shell's i18n, and the replica key policy,
 * each driven with fakes for the Electron objects it is handed.
 */

const laptop: DisplayInfo = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
};
const wall: DisplayInfo = {
  id: 2,
  bounds: { x: 1920, y: 0, width: 2560, height: 1440 },
  workArea: { x: 1920, y: 0, width: 2560, height: 1400 },
};
const DEFAULT = { width: 1600, height: 960 };
const normal = (x: number, y: number, width = 1200, height = 800) => ({
  bounds: { x, y, width, height },
  maximized: false,
  fullScreen: false,
});

describe('window placement per monitor', () => {
  it('opens the first time centred on the primary monitor', () => {
    const p = restorePlacement(emptyWindowState(), 'main', [laptop, wall], laptop, DEFAULT);
    expect(p).toEqual({
      bounds: { x: 160, y: 40, width: 1600, height: 960 },
      maximized: false,
      fullScreen: false,
      from: null,
    });
  });

  it('goes back to the monitor it was last on, where it was', () => {
    let state = rememberPlacement(emptyWindowState(), 'main', normal(100, 100), [laptop, wall], 1);
    state = rememberPlacement(state, 'main', { ...normal(2100, 50, 2000, 1200), maximized: true }, [laptop, wall], 2);
    const p = restorePlacement(state, 'main', [laptop, wall], laptop, DEFAULT);
    expect(p).toEqual({
      bounds: { x: 2100, y: 50, width: 2000, height: 1200 },
      maximized: true,
      fullScreen: false,
      from: displayKey(wall),
    });
    // The laptop placement is still remembered for when the wall screen is gone.
    expect(Object.keys(state.windows.main!.byDisplay).sort()).toEqual([displayKey(laptop), displayKey(wall)].sort());
  });

  it('never restores onto a monitor that is gone: falls back to one still connected, else the default', () => {
    let state = rememberPlacement(emptyWindowState(), 'main', normal(100, 100), [laptop, wall], 1);
    state = rememberPlacement(state, 'main', normal(2100, 50), [laptop, wall], 2);
    // The wall screen is unplugged: back to the laptop placement.
    expect(restorePlacement(state, 'main', [laptop], laptop, DEFAULT).bounds).toEqual({
      x: 100,
      y: 100,
      width: 1200,
      height: 800,
    });
    // Only ever on the wall screen, now unplugged: the default, on screen.
    const wallOnly = rememberPlacement(emptyWindowState(), 'map', normal(2100, 50), [laptop, wall], 1);
    const p = restorePlacement(wallOnly, 'map', [laptop], laptop, DEFAULT);
    expect(p.from).toBeNull();
    expect(p.bounds.x + p.bounds.width).toBeLessThanOrEqual(1920);
  });

  it('treats a monitor of another resolution as another place', () => {
    const state = rememberPlacement(emptyWindowState(), 'main', normal(2100, 50), [laptop, wall], 1);
    const smallerWall: DisplayInfo = {
      ...wall,
      bounds: { ...wall.bounds, width: 1920, height: 1080 },
      workArea: { ...wall.workArea, width: 1920, height: 1040 },
    };
    expect(restorePlacement(state, 'main', [laptop, smallerWall], laptop, DEFAULT).from).toBeNull();
  });

  it('fits a remembered window into the work area (taskbar moved, smaller area)', () => {
    expect(fitInside({ x: -50, y: 1000, width: 800, height: 600 }, laptop.workArea)).toEqual({
      x: 0,
      y: 440,
      width: 800,
      height: 600,
    });
    expect(fitInside({ x: 0, y: 0, width: 4000, height: 3000 }, laptop.workArea)).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 1040,
    });
    expect(centred({ width: 3000, height: 2000 }, laptop.workArea)).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('keeps each window (main, pop-outs) apart, and ignores a window off every screen', () => {
    let state = rememberPlacement(emptyWindowState(), 'main', normal(100, 100), [laptop, wall], 1);
    state = rememberPlacement(state, 'popout-map', normal(2200, 100), [laptop, wall], 2);
    expect(restorePlacement(state, 'main', [laptop, wall], laptop, DEFAULT).from).toBe(displayKey(laptop));
    expect(restorePlacement(state, 'popout-map', [laptop, wall], laptop, DEFAULT).from).toBe(displayKey(wall));
    expect(rememberPlacement(state, 'main', normal(9000, 9000), [laptop, wall], 3)).toBe(state);
  });

  it('reads a damaged or foreign file as no memory', () => {
    expect(parseWindowState({ version: 2 })).toEqual(emptyWindowState());
    expect(parseWindowState('nonsense')).toEqual(emptyWindowState());
    const bad = {
      version: 1,
      windows: {
        main: {
          last: 'x',
          byDisplay: {
            x: { bounds: { x: 0, y: 0, width: -5, height: 1 }, maximized: false, fullScreen: false, savedAt: 1 },
          },
        },
      },
    };
    expect(parseWindowState(bad)).toEqual(emptyWindowState());
  });
});

describe('window placement with a fake BrowserWindow and screen, through a real file', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  function fakeWindow(bounds: { x: number; y: number; width: number; height: number }) {
    const handlers = new Map<string, () => void>();
    return {
      bounds,
      maximized: false,
      handlers,
      on: vi.fn((name: string, fn: () => void) => handlers.set(name, fn)),
      getNormalBounds() {
        return this.bounds;
      },
      isMaximized() {
        return this.maximized;
      },
      isFullScreen: () => false,
      isDestroyed: () => false,
      maximize: vi.fn(),
      setFullScreen: vi.fn(),
    };
  }

  it('saves on close and restores the next start on the same monitor', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wf-window-state-'));
    const store = fileWindowStateStore(dir);
    const screen = { getAllDisplays: () => [laptop, wall], getPrimaryDisplay: () => laptop };
    const placer = createWindowPlacer(store, screen as never);
    expect(placer.options('main', { width: 1600, height: 960, title: 'W' })).toEqual({
      x: 160,
      y: 40,
      width: 1600,
      height: 960,
      title: 'W',
    });
    const win = fakeWindow({ x: 2000, y: 100, width: 1800, height: 1000 });
    placer.track(win as never, 'main');
    win.handlers.get('close')!();
    const saved = JSON.parse(readFileSync(path.join(dir, 'window-state.json'), 'utf8'));
    expect(saved.windows.main.last).toBe(displayKey(wall));
    const next = createWindowPlacer(store, screen as never);
    expect(next.options('main', { width: 1600, height: 960 })).toMatchObject({
      x: 2000,
      y: 100,
      width: 1800,
      height: 1000,
    });
  });

  it('debounces moves, and maximizes a window that was maximized', () => {
    vi.useFakeTimers();
    try {
      dir = mkdtempSync(path.join(tmpdir(), 'wf-window-state-'));
      const writes: unknown[] = [];
      const store = { read: () => emptyWindowState(), write: (s: unknown) => void writes.push(s) };
      const win = fakeWindow({ x: 10, y: 10, width: 800, height: 600 });
      trackWindowPlacement(
        win as never,
        'main',
        { bounds: win.bounds, maximized: true, fullScreen: false, from: null },
        store,
        { getAllDisplays: () => [laptop] } as never,
        () => 5,
        500,
      );
      expect(win.maximize).toHaveBeenCalledOnce();
      for (let i = 0; i < 20; i++) win.handlers.get('moved')!();
      expect(writes).toHaveLength(0);
      vi.advanceTimersByTime(500);
      expect(writes).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a damaged window-state.json is no memory, not a crash', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wf-window-state-'));
    writeFileSync(path.join(dir, 'window-state.json'), '{ not json');
    expect(fileWindowStateStore(dir).read()).toEqual(emptyWindowState());
  });
});

const en_t = desktopTranslator('en');

describe('application menu', () => {
  const build = (isDev: boolean, isMac = false) =>
    buildMenuTemplate({ t: en_t, isDev, isMac, sendKey: vi.fn(), showAbout: vi.fn() });
  const roles = (template: MenuItemConstructorOptions[]): string[] =>
    template.flatMap((item) => [
      ...(item.role ? [item.role] : []),
      ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
    ]);

  it('has the edit roles, zoom and full screen, and quit', () => {
    const r = roles(build(false));
    for (const role of [
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
      'quit',
      'minimize',
      'close',
    ]) {
      expect(r, role).toContain(role);
    }
  });

  it('offers reload and developer tools only in development', () => {
    expect(roles(build(false))).not.toContain('reload');
    expect(roles(build(false))).not.toContain('toggleDevTools');
    expect(roles(build(false))).not.toContain('forceReload');
    expect(roles(build(true))).toContain('reload');
    expect(roles(build(true))).toContain('toggleDevTools');
  });

  it('lists the command bar’s keys, shows them without taking them from the page, and sends them on click', () => {
    const sendKey = vi.fn();
    const template = buildMenuTemplate({ t: en_t, isDev: false, isMac: false, sendKey, showAbout: vi.fn() });
    const consoleMenu = template.find((m) => m.label === 'Console')!.submenu as MenuItemConstructorOptions[];
    expect(consoleMenu.map((i) => [i.label, i.accelerator])).toEqual([
      ['Command bar…', 'CmdOrCtrl+K'],
      ['Keyboard shortcuts', 'F1'],
      ['Alerts board', 'Alt+1'],
      ['Incidents board', 'Alt+2'],
      ['Units board', 'Alt+3'],
    ]);
    for (const item of consoleMenu) expect(item.registerAccelerator).toBe(false);
    (consoleMenu[0]!.click as () => void)();
    expect(sendKey).toHaveBeenCalledWith({ keyCode: 'K', modifiers: ['control'] });
  });

  it('names the same keys as the renderer’s help (renderer/command/shortcuts.ts)', () => {
    const shortcuts = readFileSync(path.join(__dirname, '..', '..', 'renderer/command/shortcuts.ts'), 'utf8');
    expect(shortcuts).toContain("['Ctrl+K', 'help.keys.command']");
    expect(shortcuts).toContain("['Alt+1 · Alt+2 · Alt+3', 'help.keys.boards']");
    expect(shortcuts).toMatch(/key === 'F1'/);
    expect(CONSOLE_COMMANDS.map((c) => c.id)).toEqual([
      'commandBar',
      'shortcuts',
      'alertsBoard',
      'incidentsBoard',
      'unitsBoard',
    ]);
  });

  it('puts About in the Help menu (and the app menu on macOS), and it opens the About window', () => {
    const showAbout = vi.fn();
    const template = buildMenuTemplate({ t: en_t, isDev: false, isMac: false, sendKey: vi.fn(), showAbout });
    const help = template.find((m) => m.role === 'help')!.submenu as MenuItemConstructorOptions[];
    (help.find((i) => i.id === 'about')!.click as () => void)();
    expect(showAbout).toHaveBeenCalledOnce();
    const mac = buildMenuTemplate({ t: en_t, isDev: false, isMac: true, sendKey: vi.fn(), showAbout });
    expect((mac[0]!.submenu as MenuItemConstructorOptions[])[0]!.id).toBe('about');
  });

  it('is translated: every label in both languages, none left as a key', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const t = desktopTranslator(lang);
      const labels = (template: MenuItemConstructorOptions[]): string[] =>
        template.flatMap((i) => [
          ...(i.label ? [i.label] : []),
          ...(Array.isArray(i.submenu) ? labels(i.submenu) : []),
        ]);
      for (const label of labels(
        buildMenuTemplate({ t, isDev: true, isMac: true, sendKey: vi.fn(), showAbout: vi.fn() }),
      )) {
        expect(label, lang).not.toMatch(/^(menu|about|key)\./);
      }
    }
    expect(desktopTranslator('zh-CN')('menu.edit')).toBe('编辑');
  });

  it('presses a key into the page: focus, key down, key up', () => {
    const calls: string[] = [];
    pressKey(
      {
        focus: () => calls.push('focus'),
        sendInputEvent: (e) => calls.push(`${e.type}:${e.modifiers.join('+')}+${e.keyCode}`),
      },
      { keyCode: '2', modifiers: ['alt'] },
    );
    expect(calls).toEqual(['focus', 'keyDown:alt+2', 'keyUp:alt+2']);
  });
});

describe('shell i18n', () => {
  it('follows the operating system’s first language it knows', () => {
    expect(desktopLanguage(['zh-Hans-CN', 'en-US'])).toBe('zh-CN');
    expect(desktopLanguage(['fr-FR', 'en-GB', 'zh-CN'])).toBe('en');
    expect(desktopLanguage(['de-DE'])).toBe('en');
    expect(desktopLanguage([])).toBe('en');
  });

  it('has the same desktop keys in en and zh-CN', () => {
    const keys = (o: unknown, prefix = ''): string[] =>
      typeof o === 'object' && o !== null
        ? Object.entries(o).flatMap(([k, v]) => keys(v, `${prefix}${k}.`))
        : [prefix.slice(0, -1)];
    const enKeys = keys((en as { desktop: unknown }).desktop).sort();
    expect(enKeys.length).toBeGreaterThan(40);
    expect(keys((zhCN as { desktop: unknown }).desktop).sort()).toEqual(enKeys);
  });

  it('interpolates, and falls back to English, then to the key', () => {
    expect(en_t('about.message', { version: '1.2.3' })).toBe('Watchfloor 1.2.3');
    expect(en_t('no.such.key')).toBe('no.such.key');
  });
});

describe('About window', () => {
  const versions = aboutVersions(
    '0.1.0',
    { electron: '38.8.6', chrome: '140.0.7339.41', node: '22.19.0' },
    { name: 'better-sqlite3-multiple-ciphers', version: '12.11.1' },
  );

  it('shows the app, Electron, Chromium, Node.js and SQLite driver versions', () => {
    const options = aboutDialogOptions(en_t, versions, true);
    expect(options.message).toBe('Watchfloor 0.1.0');
    expect(options.detail).toContain(
      'Electron 38.8.6 · Chromium 140.0.7339.41 · Node.js 22.19.0 · better-sqlite3-multiple-ciphers 12.11.1',
    );
    expect(options.detail).toContain('encrypted at rest');
    expect(options.buttons).toEqual(['OK', 'Copy versions']);
    expect(options.cancelId).toBe(0);
  });

  it('says plainly when the replica is not encrypted, and copies one line of versions', () => {
    expect(aboutDialogOptions(en_t, versions, false).detail).toContain('NOT encrypted at rest');
    expect(aboutDialogOptions(en_t, versions, null).detail).not.toContain('encrypted');
    expect(versionLine(versions)).toBe(
      'Watchfloor 0.1.0; Electron 38.8.6; Chromium 140.0.7339.41; Node.js 22.19.0; better-sqlite3-multiple-ciphers 12.11.1',
    );
    expect(aboutVersions('1', {}, null)).toMatchObject({ electron: '?', sqliteDriver: 'better-sqlite3', sqlite: '?' });
  });
});

describe('external links (shell.openExternal allow-list)', () => {
  it('allows only https to a listed host, without credentials or another port', () => {
    const hosts = ['alerts.weather.example'];
    expect(isAllowedExternalUrl('https://alerts.weather.example/cap/123', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://ALERTS.weather.example/', hosts)).toBe(true);
    for (const bad of [
      'http://alerts.weather.example/',
      'https://alerts.weather.example.evil.example/',
      'https://evil.example/?alerts.weather.example',
      'https://user:pw@alerts.weather.example/',
      'https://alerts.weather.example:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://alerts.weather.example/share',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(bad, hosts), bad).toBe(false);
    }
    expect(isAllowedExternalUrl('https://alerts.weather.example/', [])).toBe(false);
  });

  it('parses the host list, dropping anything that is not a host name', () => {
    expect(parseExternalHosts(' a.example, B.example ,*.c.example, http://d.example, localhost ')).toEqual([
      'a.example',
      'b.example',
    ]);
    expect(parseExternalHosts(undefined)).toEqual([]);
  });
});

describe('replica key policy (safeStorage)', () => {
  interface World {
    keyFile: string | null;
    replica: boolean;
    encryptedWith: string | null;
    asked: KeyQuestion[];
    removed: number;
  }

  function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret', broken = false): SafeStorageLike {
    return {
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
      encryptString: (s) => Buffer.from(`sealed:${s}`),
      decryptString: (b) => {
        if (broken) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        const s = b.toString();
        if (!s.startsWith('sealed:')) throw new Error('not sealed');
        return s.slice('sealed:'.length);
      },
    };
  }

  function deps(
    world: World,
    safeStorage: SafeStorageLike,
    answer: 'continue' | 'fresh' | 'quit' = 'quit',
  ): ResolveKeyDeps {
    let n = 0;
    return {
      safeStorage,
      platform: 'linux',
      randomBytes: (size) => Buffer.alloc(size, ++n),
      ask: async (q) => {
        world.asked.push(q);
        return answer;
      },
      log: () => {},
      now: () => new Date('2026-11-28T21:00:00Z'),
      io: {
        readKeyFile: () => world.keyFile,
        writeKeyFile: (t) => void (world.keyFile = t),
        replicaExists: () => world.replica,
        removeReplica: () => {
          world.replica = false;
          world.encryptedWith = null;
          world.removed++;
        },
        encryptReplica: (key) => {
          if (world.encryptedWith !== null) throw Object.assign(new Error('locked'), { code: 'REPLICA_LOCKED' });
          world.encryptedWith = key.toString('hex');
        },
      },
    };
  }

  const fresh = (): World => ({ keyFile: null, replica: false, encryptedWith: null, asked: [], removed: 0 });

  it('creates a random key sealed by the keychain, and reads it back the next start', async () => {
    const world = fresh();
    const first = await resolveReplicaKey(deps(world, fakeSafeStorage(true)));
    expect(first).toMatchObject({ kind: 'encrypted', backend: 'gnome_libsecret' });
    const file = JSON.parse(world.keyFile!);
    expect(file).toMatchObject({ version: 1, mode: 'safeStorage', backend: 'gnome_libsecret' });
    // The key never sits in the file in the clear.
    const key = (first as { key: Buffer }).key.toString('hex');
    expect(world.keyFile).not.toContain(key);
    const second = await resolveReplicaKey(deps(world, fakeSafeStorage(true)));
    expect((second as { key: Buffer }).key.toString('hex')).toBe(key);
    expect(world.asked).toEqual([]);
  });

  it('encrypts a replica that was plain before, in place', async () => {
    const world = { ...fresh(), replica: true };
    const d = await resolveReplicaKey(deps(world, fakeSafeStorage(true)));
    expect(world.encryptedWith).toBe((d as { key: Buffer }).key.toString('hex'));
  });

  it('without a keychain (basic_text, or none) asks the operator; quit means quit', async () => {
    for (const storage of [fakeSafeStorage(true, 'basic_text'), fakeSafeStorage(false)]) {
      const world = fresh();
      expect(await resolveReplicaKey(deps(world, storage, 'quit'))).toEqual({ kind: 'quit' });
      expect(world.asked).toEqual(['no-keychain']);
      expect(world.keyFile).toBeNull();
    }
  });

  it('remembers “continue unencrypted” for that keychain state, and asks again when it changes', async () => {
    const world = fresh();
    expect(await resolveReplicaKey(deps(world, fakeSafeStorage(true, 'basic_text'), 'continue'))).toEqual({
      kind: 'unencrypted',
      backend: 'basic_text',
    });
    expect(JSON.parse(world.keyFile!)).toMatchObject({ mode: 'unencrypted', backend: 'basic_text' });
    world.replica = true;
    expect(await resolveReplicaKey(deps(world, fakeSafeStorage(true, 'basic_text'), 'quit'))).toEqual({
      kind: 'unencrypted',
      backend: 'basic_text',
    });
    expect(world.asked).toEqual(['no-keychain']);
    // Now no safeStorage at all: a different state, asked again.
    expect(await resolveReplicaKey(deps(world, fakeSafeStorage(false), 'quit'))).toEqual({ kind: 'quit' });
    expect(world.asked).toEqual(['no-keychain', 'no-keychain']);
  });

  it('when a keychain appears, encrypts the unencrypted replica', async () => {
    const world = fresh();
    await resolveReplicaKey(deps(world, fakeSafeStorage(false), 'continue'));
    world.replica = true;
    const d = await resolveReplicaKey(deps(world, fakeSafeStorage(true)));
    expect(d.kind).toBe('encrypted');
    expect(world.encryptedWith).not.toBeNull();
  });

  it('a key the keychain cannot unlock: asks; a new replica deletes the old one and makes a new key', async () => {
    const world = fresh();
    await resolveReplicaKey(deps(world, fakeSafeStorage(true)));
    world.replica = true;
    world.encryptedWith = 'old';
    expect(await resolveReplicaKey(deps(world, fakeSafeStorage(true, 'gnome_libsecret', true), 'quit'))).toEqual({
      kind: 'quit',
    });
    expect(world.removed).toBe(0);
    const d = await resolveReplicaKey(deps(world, fakeSafeStorage(true, 'gnome_libsecret', true), 'fresh'));
    expect(d.kind).toBe('encrypted');
    expect(world.removed).toBe(1);
    expect(world.asked).toEqual(['locked', 'locked']);
  });

  it('a sealed key with the keychain gone, a damaged key file, or a lost key file with an encrypted replica: locked', async () => {
    const sealed = fresh();
    await resolveReplicaKey(deps(sealed, fakeSafeStorage(true)));
    sealed.replica = true;
    await resolveReplicaKey(deps(sealed, fakeSafeStorage(true, 'basic_text')));
    const damaged = { ...fresh(), keyFile: '{"version":1,"mode":"safe', replica: true };
    await resolveReplicaKey(deps(damaged, fakeSafeStorage(true)));
    const lost = { ...fresh(), replica: true, encryptedWith: 'gone' };
    expect(await resolveReplicaKey(deps(lost, fakeSafeStorage(true)))).toEqual({ kind: 'quit' });
    expect([sealed.asked, damaged.asked, lost.asked]).toEqual([['locked'], ['locked'], ['locked']]);
  });
});
