import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { desktopChannels, invokeChannels, pushChannels } from '../../shared/api';
import { readShellConfig } from '../../main/app/config';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES } from '../../main/app/csp';
import {
  broadcastPush,
  createInvokeHandler,
  isTrustedSender,
  registerInvokeHandlers,
  type SenderInfo,
} from '../../main/app/ipc';
import { createDesktopTarget, routeInvoke } from '../../main/app/desktop';
import { APP_ENTRY_URL, isAppUrl } from '../../main/app/origin';
import { createBundleHandler, resolveBundlePath } from '../../main/app/protocol';
import {
  ALLOWED_PERMISSIONS,
  hardenSession,
  hardenWebContents,
  secureWindowOptions,
  type HardenableContents,
} from '../../main/app/window';

/**
 * The Electron shell's decisions, called with fakes for Electron's objects (the
 * binary cannot run on these machines). Issue 7 extends this to the full checklist.
 */

const ours = { id: 'our-webcontents' };
const isOurs = (wc: unknown): boolean => wc === ours;
const mainFrame = (url: string): SenderInfo['senderFrame'] => ({ url, parent: null });

describe('window options', () => {
  it('isolate, sandbox and keep Node out of every window', () => {
    const prefs = secureWindowOptions({ preloadPath: '/app/dist/preload/preload.cjs' }).webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('refuse navigation, redirects, webviews and new windows', () => {
    const handlers = new Map<string, (event: { preventDefault(): void; url?: string }, url?: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const fake = {
      on: (name: string, fn: never) => handlers.set(name, fn),
      setWindowOpenHandler: (fn: never) => (openHandler = fn),
    } as unknown as HardenableContents;
    hardenWebContents(fake);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(name)!({ preventDefault, url: 'https://example.com/' }, 'https://example.com/');
      expect(preventDefault, name).toHaveBeenCalledOnce();
    }
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('deny every permission but the explicit list, and grant those only to our app:// main frame', () => {
    let request:
      | ((
          wc: unknown,
          permission: string,
          cb: (granted: boolean) => void,
          details: { requestingUrl: string; isMainFrame: boolean },
        ) => void)
      | null = null;
    let check: ((...args: unknown[]) => boolean) | null = null;
    hardenSession({
      setPermissionRequestHandler: (fn: never) => (request = fn),
      setPermissionCheckHandler: (fn: never) => (check = fn),
    } as never);
    const ask = (permission: string, url: string, isMainFrame = true): boolean => {
      const cb = vi.fn();
      request!({}, permission, cb, { requestingUrl: url, isMainFrame });
      expect(cb).toHaveBeenCalledOnce();
      return cb.mock.calls[0]![0] as boolean;
    };
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'display-capture',
      'midiSysex',
      'pointerLock',
      'unknown',
    ]) {
      expect(ask(permission, APP_ENTRY_URL), permission).toBe(false);
      expect(check!({}, permission, 'app://watchfloor', { isMainFrame: true }), permission).toBe(false);
    }
    expect([...ALLOWED_PERMISSIONS].sort()).toEqual(['clipboard-sanitized-write', 'fullscreen']);
    for (const permission of ALLOWED_PERMISSIONS) {
      expect(ask(permission, APP_ENTRY_URL)).toBe(true);
      expect(check!({}, permission, 'app://watchfloor', { isMainFrame: true })).toBe(true);
      expect(ask(permission, 'https://evil.example/')).toBe(false);
      expect(ask(permission, APP_ENTRY_URL, false)).toBe(false);
      expect(check!({}, permission, 'https://evil.example', { isMainFrame: true })).toBe(false);
    }
  });

  it('hand allow-listed https links to the system browser, still refusing the navigation', () => {
    const handlers = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const fake = {
      on: (name: string, fn: never) => handlers.set(name, fn),
      setWindowOpenHandler: (fn: never) => (openHandler = fn),
    } as unknown as HardenableContents;
    const open = vi.fn();
    hardenWebContents(fake, () => {}, { allowedHosts: ['alerts.weather.example'], open });
    expect(openHandler!({ url: 'https://alerts.weather.example/cap/1' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    const preventDefault = vi.fn();
    handlers.get('will-navigate')!({ preventDefault }, 'https://alerts.weather.example/cap/2');
    expect(preventDefault).toHaveBeenCalledOnce();
    expect(open.mock.calls).toEqual([
      ['https://alerts.weather.example/cap/1'],
      ['https://alerts.weather.example/cap/2'],
    ]);
  });

  it('allow no webview, no remote content and no Blink or experimental features', () => {
    const options = secureWindowOptions({ preloadPath: '/p.cjs' });
    const prefs = options.webPreferences!;
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(JSON.stringify(options)).not.toMatch(/https?:/);
  });
});

describe('content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources] as const;
    }),
  );
  it('allows only our own scripts and no network from the page', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
  it('has no unsafe source anywhere', () => {
    for (const sources of Object.values(CSP_DIRECTIVES)) {
      for (const s of sources) expect(s).not.toMatch(/unsafe|\*|http:|https:|blob:/);
    }
  });
});

describe('app:// protocol', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'wf-bundle-'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Watchfloor</title>');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps our URLs inside the bundle and refuses everything else', () => {
    expect(resolveBundlePath(root, APP_ENTRY_URL)).toBe(path.join(root, 'index.html'));
    expect(resolveBundlePath(root, 'app://watchfloor/')).toBe(path.join(root, 'index.html'));
    expect(resolveBundlePath(root, 'app://watchfloor/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    // The URL parser itself resolves %2e%2e segments: they never climb above the root.
    expect(resolveBundlePath(root, 'app://watchfloor/%2e%2e/secret')).toBe(path.join(root, 'secret'));
    for (const bad of [
      'app://watchfloor/..%2fsecret',
      'app://watchfloor/a%5c..%5c..%5csecret',
      'app://other/index.html',
      'file:///etc/passwd',
      'https://watchfloor/index.html',
      'not a url',
    ]) {
      expect(resolveBundlePath(root, bad), bad).toBeNull();
    }
  });

  it('serves files with the CSP header, and 404s outside the bundle', async () => {
    const handle = createBundleHandler(root);
    const ok = await handle(fakeRequest(APP_ENTRY_URL));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await ok.text()).toContain('Watchfloor');
    expect((await handle(fakeRequest('app://watchfloor/missing.js'))).status).toBe(404);
    expect((await handle(fakeRequest('app://watchfloor/..%2f..%2fetc%2fpasswd'))).status).toBe(404);
    expect((await handle(fakeRequest(APP_ENTRY_URL, 'POST'))).status).toBe(405);
  });
});

/** Node's Request refuses app:// URLs; the handler reads only url and method. */
function fakeRequest(url: string, method = 'GET'): Request {
  return { url, method } as Request;
}

describe('IPC wrapper', () => {
  it('trusts only the main frame of our window showing app://', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSender({ sender: ours, senderFrame: mainFrame(APP_ENTRY_URL) }, isOurs)).toBe(true);
    expect(isTrustedSender({ sender: {}, senderFrame: mainFrame(APP_ENTRY_URL) }, isOurs)).toBe(false);
    expect(isTrustedSender({ sender: ours, senderFrame: mainFrame('https://evil.example/') }, isOurs)).toBe(false);
    expect(isTrustedSender({ sender: ours, senderFrame: mainFrame('app://watchfloor.evil/') }, isOurs)).toBe(false);
    expect(isTrustedSender({ sender: ours, senderFrame: { url: APP_ENTRY_URL, parent: {} } }, isOurs)).toBe(false);
    expect(isTrustedSender({ sender: ours, senderFrame: null }, isOurs)).toBe(false);
  });

  it('refuses a foreign sender as a value and never reaches the host', async () => {
    const target = { invoke: vi.fn() };
    const handler = createInvokeHandler(invokeChannels.getSnapshot.name, target, isOurs);
    const answer = await handler({ sender: ours, senderFrame: mainFrame('https://evil.example/') }, undefined);
    expect(answer).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    expect(target.invoke).not.toHaveBeenCalled();
  });

  it('forwards a trusted call with its raw args, and turns a throw into a value', async () => {
    const target = {
      invoke: vi.fn().mockResolvedValueOnce({ ok: true, value: 1 }).mockRejectedValueOnce(new Error('boom')),
    };
    const handler = createInvokeHandler(invokeChannels.acknowledgeAlert.name, target, isOurs);
    const event = { sender: ours, senderFrame: mainFrame(APP_ENTRY_URL) };
    expect(await handler(event, { alertId: 'x' })).toEqual({ ok: true, value: 1 });
    expect(target.invoke).toHaveBeenCalledWith('watchfloor:acknowledgeAlert', { alertId: 'x' });
    expect(await handler(event, { alertId: 'x' })).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('registers exactly the ConsoleApi and desktop channels, and unregisters them', () => {
    const handled = new Set<string>();
    const ipc = { handle: (name: string) => handled.add(name), removeHandler: (name: string) => handled.delete(name) };
    const off = registerInvokeHandlers(ipc as never, { invoke: vi.fn() }, isOurs);
    expect([...handled].sort()).toEqual(
      [...Object.values(invokeChannels), ...Object.values(desktopChannels)].map((c) => c.name).sort(),
    );
    off();
    expect(handled.size).toBe(0);
  });

  it('refuses a malformed argument end to end: wrapper, then the shell’s zod parse, and the handler never runs', async () => {
    const openPopout = vi.fn(() => ({ opened: true }));
    const desktop = createDesktopTarget({ openPopout, notify: vi.fn(), setDesktopStatus: vi.fn() });
    const host = { invoke: vi.fn() };
    const handler = createInvokeHandler(desktopChannels.openPopout.name, routeInvoke(host, desktop), isOurs);
    const event = { sender: ours, senderFrame: mainFrame(APP_ENTRY_URL) };
    for (const bad of [undefined, null, 'map', { panel: 'settings' }, { panel: 7 }, [1]]) {
      expect(await handler(event, bad), JSON.stringify(bad)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect(desktop.badRequests()).toBe(6);
    expect(openPopout).not.toHaveBeenCalled();
    expect(await handler(event, { panel: 'map' })).toEqual({ ok: true, value: { opened: true } });
    expect(openPopout).toHaveBeenCalledWith('map');
    expect(await handler({ sender: {}, senderFrame: mainFrame(APP_ENTRY_URL) }, { panel: 'map' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(openPopout).toHaveBeenCalledOnce();
    expect(host.invoke).not.toHaveBeenCalled();
  });

  it('pushes only declared channels, to live windows', () => {
    const live = { send: vi.fn(), isDestroyed: () => false };
    const dead = { send: vi.fn(), isDestroyed: () => true };
    broadcastPush([live, dead], pushChannels.changes.name, { alerts: [] });
    broadcastPush([live], 'watchfloor:somethingElse', {});
    expect(live.send).toHaveBeenCalledOnce();
    expect(live.send).toHaveBeenCalledWith('watchfloor:changes', { alerts: [] });
    expect(dead.send).not.toHaveBeenCalled();
  });
});

describe('shell config', () => {
  it('reads the hub and token from flags, then the environment, with a default data folder', () => {
    const fromFlags = readShellConfig(
      ['main.cjs', '--hub', 'http://127.0.0.1:7300', '--token=t0'],
      {},
      '/user/console',
    );
    expect(fromFlags).toMatchObject({
      hubUrl: 'http://127.0.0.1:7300',
      token: 't0',
      dataDir: '/user/console',
      sqliteBinding: null,
    });
    const fromEnv = readShellConfig(
      [],
      { WATCHFLOOR_HUB_URL: 'http://hub:1', WATCHFLOOR_TOKEN: 't1', WATCHFLOOR_SQLITE_BINDING: '/b.node' },
      '/d',
    );
    expect(fromEnv).toMatchObject({ hubUrl: 'http://hub:1', token: 't1', sqliteBinding: '/b.node' });
  });
  it('reads the external link allow-list from a flag or the environment (none by default)', () => {
    const base = ['--hub', 'http://127.0.0.1:7300', '--token=t0'];
    expect(readShellConfig(base, {}, '/d').externalHosts).toEqual([]);
    expect(readShellConfig([...base, '--external-hosts=a.example,b.example'], {}, '/d').externalHosts).toEqual([
      'a.example',
      'b.example',
    ]);
    expect(readShellConfig(base, { WATCHFLOOR_EXTERNAL_HOSTS: 'c.example' }, '/d').externalHosts).toEqual([
      'c.example',
    ]);
  });
  it('says what is missing', () => {
    expect(() => readShellConfig([], {}, '/d')).toThrow(/hubUrl|token/);
  });
});
