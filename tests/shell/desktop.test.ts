import { describe, expect, it, vi } from 'vitest';
import { desktopChannels, invokeChannels, type DesktopStatus, type NotifyArgs } from '../../shared/api';
import { CSP_DIRECTIVES } from '../../main/app/csp';
import { createDesktopTarget, routeInvoke } from '../../main/app/desktop';
import { registerInvokeHandlers, type SenderInfo } from '../../main/app/ipc';
import { createNotifier, type NotificationConstructor, type NotificationOptionsLike } from '../../main/app/notify';
import { createPopoutManager, popoutUrl, popoutWindowOptions, type PopoutWindow } from '../../main/app/popout';
import {
  createTrayController,
  TRAY_ICON_SIZE,
  trayIconBitmap,
  trayModel,
  type TrayLike,
  type TrayMenuItem,
} from '../../main/app/tray';
import { secureWindowOptions } from '../../main/app/window';

/**
 * The desktop integration's shell side (issue 7, decisions 0027 and 0028), with fakes for
 * Electron's Notification, Tray, Menu and BrowserWindow: pop-out windows are as hardened
 * as the main one, the desktop channels go through the one IPC wrapper and are parsed,
 * notifications are silent, capped and clickable, the tray follows the console.
 */

const PRELOAD = '/app/dist/preload/preload.cjs';

describe('pop-out windows', () => {
  it('have exactly the main window’s security options, for every panel', () => {
    const main = secureWindowOptions({ preloadPath: PRELOAD });
    for (const panel of ['map', 'queue', 'incidents', 'units'] as const) {
      const options = popoutWindowOptions(PRELOAD, panel);
      expect(options.webPreferences, panel).toEqual(main.webPreferences);
      expect(options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        preload: PRELOAD,
      });
      expect(options.show).toBe(false);
      expect(options.title).toMatch(/^Watchfloor: /);
    }
  });

  it('load the same bundle from app:// at #/popout/<panel>', () => {
    expect(popoutUrl('queue')).toBe('app://watchfloor/index.html#/popout/queue');
    expect(popoutUrl('map')).toBe('app://watchfloor/index.html#/popout/map');
  });

  it('open once per panel: asking again brings the open one forward, closing frees it', () => {
    const made: Array<PopoutWindow & { closed: () => void; focused: number }> = [];
    const manager = createPopoutManager(() => {
      let onClosed = (): void => {};
      let destroyed = false;
      const win = {
        focused: 0,
        isDestroyed: () => destroyed,
        isMinimized: () => false,
        restore: vi.fn(),
        focus: () => void win.focused++,
        once: (_e: 'closed', l: () => void) => (onClosed = l),
        closed: () => {
          destroyed = true;
          onClosed();
        },
      };
      made.push(win);
      return win;
    });
    expect(manager.open('queue')).toEqual({ opened: true });
    expect(manager.open('queue')).toEqual({ opened: false });
    expect(made).toHaveLength(1);
    expect(made[0]!.focused).toBe(1);
    expect(manager.open('map')).toEqual({ opened: true });
    expect(manager.openPanels().sort()).toEqual(['map', 'queue']);
    made[0]!.closed();
    expect(manager.openPanels()).toEqual(['map']);
    expect(manager.open('queue')).toEqual({ opened: true });
    expect(made).toHaveLength(3);
  });
});

describe('desktop channels', () => {
  const handlers = () => ({
    openPopout: vi.fn(() => ({ opened: true })),
    notify: vi.fn(() => ({ shown: true })),
    setDesktopStatus: vi.fn(),
  });

  it('are registered through the one IPC wrapper, which refuses a foreign sender', async () => {
    const registered = new Map<string, (event: SenderInfo, args?: unknown) => Promise<unknown>>();
    const ipc = {
      handle: (name: string, fn: never) => registered.set(name, fn),
      removeHandler: (name: string) => registered.delete(name),
    };
    const h = handlers();
    const hostInvoke = vi.fn(async () => ({ ok: true as const, value: 'host' }));
    const ours = { id: 'ours' };
    registerInvokeHandlers(ipc, routeInvoke({ invoke: hostInvoke }, createDesktopTarget(h)), (wc) => wc === ours);
    for (const ch of [...Object.values(invokeChannels), ...Object.values(desktopChannels)])
      expect(registered.has(ch.name), ch.name).toBe(true);

    const popout = registered.get(desktopChannels.openPopout.name)!;
    const fromOurs: SenderInfo = {
      sender: ours,
      senderFrame: { url: 'app://watchfloor/index.html#/popout/map', parent: null },
    };
    expect(await popout(fromOurs, { panel: 'queue' })).toEqual({ ok: true, value: { opened: true } });
    expect(h.openPopout).toHaveBeenCalledWith('queue');
    expect(hostInvoke).not.toHaveBeenCalled();

    const foreign: SenderInfo = {
      sender: { id: 'other' },
      senderFrame: { url: 'app://watchfloor/index.html', parent: null },
    };
    expect(await popout(foreign, { panel: 'map' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const remote: SenderInfo = { sender: ours, senderFrame: { url: 'https://evil.example/', parent: null } };
    expect(await popout(remote, { panel: 'map' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(h.openPopout).toHaveBeenCalledTimes(1);

    // A console channel still reaches the host.
    await registered.get(invokeChannels.getUnits.name)!(fromOurs, undefined);
    expect(hostInvoke).toHaveBeenCalledWith(invokeChannels.getUnits.name, undefined);
  });

  it('refuse malformed arguments with BAD_REQUEST, count them, and change nothing', async () => {
    const h = handlers();
    const target = createDesktopTarget(h);
    const bad: Array<[string, unknown]> = [
      [desktopChannels.openPopout.name, { panel: 'settings' }],
      [desktopChannels.openPopout.name, undefined],
      [desktopChannels.notify.name, { alertId: 'a', title: '', body: 'x', severity: 'Extreme' }],
      [desktopChannels.notify.name, { alertId: 'a', title: 't'.repeat(201), body: 'x', severity: 'Extreme' }],
      [desktopChannels.setDesktopStatus.name, { state: 'online', unacknowledged: -1, muted: false, labels: {} }],
      ['watchfloor:openDevTools', {}],
    ];
    for (const [channel, args] of bad)
      expect(await target.invoke(channel, args), channel).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(target.badRequests()).toBe(bad.length);
    expect(h.openPopout).not.toHaveBeenCalled();
    expect(h.notify).not.toHaveBeenCalled();
    expect(h.setDesktopStatus).not.toHaveBeenCalled();
  });
});

describe('notifications', () => {
  const args = (over: Partial<NotifyArgs> = {}): NotifyArgs => ({
    alertId: 'city,1',
    title: 'Extreme: Bridge strain',
    body: 'Span 3',
    severity: 'Extreme',
    ...over,
  });

  function fakeNotification(supported = true) {
    const made: Array<{ options: NotificationOptionsLike; shown: boolean; click: () => void }> = [];
    const Fake = class {
      private listeners = new Map<string, () => void>();
      constructor(options: NotificationOptionsLike) {
        made.push({ options, shown: false, click: () => this.listeners.get('click')?.() });
      }
      on(event: string, l: () => void) {
        this.listeners.set(event, l);
        return this;
      }
      show() {
        made.at(-1)!.shown = true;
      }
      static isSupported = () => supported;
    } as unknown as NotificationConstructor;
    return { Fake, made };
  }

  it('are silent (the console plays its own sound), and an Extreme one stays until dealt with', () => {
    const { Fake, made } = fakeNotification();
    const notifier = createNotifier({ Notification: Fake, onClick: () => {} });
    expect(notifier.notify(args())).toEqual({ shown: true });
    expect(notifier.notify(args({ severity: 'Severe', alertId: 'city,2' }))).toEqual({ shown: true });
    expect(made.map((m) => m.options)).toEqual([
      { title: 'Extreme: Bridge strain', body: 'Span 3', silent: true, urgency: 'critical', timeoutType: 'never' },
      { title: 'Extreme: Bridge strain', body: 'Span 3', silent: true, urgency: 'normal', timeoutType: 'default' },
    ]);
    expect(made.every((m) => m.shown)).toBe(true);
  });

  it('a click shows the console and selects the alert', () => {
    const { Fake, made } = fakeNotification();
    const onClick = vi.fn();
    const notifier = createNotifier({ Notification: Fake, onClick });
    notifier.notify(args());
    expect(notifier.live()).toBe(1);
    made[0]!.click();
    expect(onClick).toHaveBeenCalledWith('city,1');
    expect(notifier.live()).toBe(0);
  });

  it('are capped per minute whatever the page asks, and skipped where the desktop has none', () => {
    let now = 0;
    const { Fake, made } = fakeNotification();
    const notifier = createNotifier({ Notification: Fake, onClick: () => {}, now: () => now, maxPerMinute: 3 });
    const shown = Array.from({ length: 5 }, (_, i) => notifier.notify(args({ alertId: `c,${i}` })).shown);
    expect(shown).toEqual([true, true, true, false, false]);
    now = 60_000;
    expect(notifier.notify(args()).shown).toBe(true);
    expect(made).toHaveLength(4);
    const none = fakeNotification(false);
    expect(createNotifier({ Notification: none.Fake, onClick: () => {} }).notify(args())).toEqual({ shown: false });
    expect(none.made).toHaveLength(0);
  });
});

describe('tray', () => {
  const status = (over: Partial<DesktopStatus> = {}): DesktopStatus => ({
    state: 'online',
    unacknowledged: 3,
    muted: false,
    labels: { tooltip: 'Watchfloor: online, 3 to acknowledge', show: 'Show', mute: 'Mute', quit: 'Quit' },
    ...over,
  });

  it('models connection state, the count to acknowledge and mute', () => {
    expect(trayModel(null)).toMatchObject({ tone: 'starting', tooltip: 'Watchfloor', menu: [] });
    const m = trayModel(status());
    expect(m).toMatchObject({ tone: 'online', attention: true, muted: false, title: '3' });
    expect(m.menu.map((i) => i.id)).toEqual(['status', 'separator', 'show', 'mute', 'separator', 'quit']);
    expect(m.menu.find((i) => i.id === 'mute')).toMatchObject({ type: 'checkbox', checked: false });
    expect(trayModel(status({ state: 'offline', unacknowledged: 0 }))).toMatchObject({
      tone: 'offline',
      attention: false,
      title: '',
    });
    expect(trayModel(status({ state: 'catching-up' })).tone).toBe('busy');
    expect(trayModel(status({ state: 'refused' })).tone).toBe('offline');
  });

  it('draws a different icon for each state, with a badge when alerts wait', () => {
    const icons = new Set(
      (['starting', 'online', 'busy', 'offline'] as const).flatMap((tone) =>
        [false, true].map((attention) => trayIconBitmap({ tone, attention, muted: false }).toString('base64')),
      ),
    );
    expect(icons.size).toBe(8);
    const bitmap = trayIconBitmap({ tone: 'online', attention: false, muted: false });
    expect(bitmap.length).toBe(TRAY_ICON_SIZE * TRAY_ICON_SIZE * 4);
    const centre = ((TRAY_ICON_SIZE / 2) * TRAY_ICON_SIZE + TRAY_ICON_SIZE / 2) * 4;
    // BGRA: the online green (#2fbf71), opaque.
    expect([...bitmap.subarray(centre, centre + 4)]).toEqual([0x71, 0xbf, 0x2f, 0xff]);
    expect(bitmap[3]).toBe(0); // a transparent corner
  });

  it('the controller redraws what changed and wires the menu to show, mute and quit', () => {
    const calls: string[] = [];
    let menu: Array<TrayMenuItem & { click?: () => void }> = [];
    let trayClick = (): void => {};
    const tray: TrayLike = {
      setImage: () => calls.push('image'),
      setToolTip: (t) => calls.push(`tooltip:${t}`),
      setTitle: (t) => calls.push(`title:${t}`),
      setContextMenu: () => calls.push('menu'),
      on: (_e, l) => (trayClick = l),
      destroy: () => calls.push('destroy'),
    };
    const onShow = vi.fn();
    const onMute = vi.fn();
    const onQuit = vi.fn();
    const c = createTrayController({
      createTray: () => tray,
      createImage: (bitmap) => bitmap,
      buildMenu: (items) => {
        menu = [...items];
        return items;
      },
      onShow,
      onMute,
      onQuit,
    });
    expect(calls).toEqual(['tooltip:Watchfloor']);
    calls.length = 0;
    c.update(status());
    expect(calls).toEqual(['image', 'tooltip:Watchfloor: online, 3 to acknowledge', 'title:3', 'menu']);
    calls.length = 0;
    c.update(status());
    expect(calls).toEqual([]); // nothing changed, nothing redrawn
    menu.find((i) => i.id === 'mute')!.click!();
    expect(onMute).toHaveBeenCalledWith(true);
    menu.find((i) => i.id === 'show')!.click!();
    menu.find((i) => i.id === 'quit')!.click!();
    trayClick();
    expect(onShow).toHaveBeenCalledTimes(2);
    expect(onQuit).toHaveBeenCalledOnce();
    c.update(status({ state: 'offline' }));
    expect(calls).toEqual(['image']);
  });
});

describe('content security policy for sounds', () => {
  it('lets the page play its own bundled sounds and nothing else', () => {
    expect(CSP_DIRECTIVES['media-src']).toEqual(["'self'"]);
    expect(CSP_DIRECTIVES['connect-src']).toEqual(["'none'"]);
  });
});

describe('every window can play the alert sounds unattended', () => {
  it('sets the autoplay policy in the shared window options', () => {
    expect(secureWindowOptions({ preloadPath: PRELOAD }).webPreferences?.autoplayPolicy).toBe(
      'no-user-gesture-required',
    );
  });
});
