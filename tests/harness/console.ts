import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';

/** The caller of a binding (Playwright's BindingSource, not exported under that name). */
interface BindingSource {
  frame: import('playwright-core').Frame;
  page: Page;
}
import { mergeChanges } from '../../main/console/host';
import { startSessionHost, type SessionHost } from '../../main/console/sessionHost';
import {
  type ChangeSet,
  desktopChannels,
  pushChannels,
  type DesktopEvent,
  type DesktopName,
  type DesktopStatus,
  type NotifyArgs,
  type PopoutPanel,
} from '../../shared/api';
import type { Result } from '../../shared/errors';
import { assertBuilt, harnessBridgeBundle, rendererDist, replicaWorkerBundle } from './paths';

/**
 * The console in plain Chromium, for e2e tests and `npm run preview`: the real
 * console host (replica worker, sync engine, outbox), the production renderer
 * bundle, and `window.watchfloor` built by the same createConsoleApi as the
 * preload. Only the transport differs: Playwright bindings instead of IPC.
 */

/** The page's origin. Served by context.route: nothing leaves the machine. */
export const HARNESS_ORIGIN = 'http://watchfloor.local';

export interface OpenConsoleOptions {
  dataDir: string;
  hubUrl: string;
  /** signed in from the start with this token; without one the console opens at sign-in (issue 6) */
  token?: string;
  /** an offline sign-in's re-check interval (default 5 s) */
  recheckMs?: number;
  viewport?: { width: number; height: number };
  /** BCP 47 locale of the browser context, e.g. 'en-GB' */
  locale?: string;
  /** another replica worker (bench/ bundles its own from the current source) */
  worker?: { workerPath: string; migrationsDir: string };
}

export interface HarnessConsole {
  readonly host: SessionHost;
  readonly context: BrowserContext;
  readonly page: Page;
  /** the page's errors, console warnings and failed requests, for a failing test's report */
  readonly diagnostics: readonly string[];
  /** the native notifications the console asked the shell for, in order */
  readonly notifications: readonly NotifyArgs[];
  /** what the console last told the shell's tray */
  desktopStatus(): DesktopStatus | null;
  /** every open window of this console (the main page first) */
  windows(): Page[];
  /**
   * Another window on the same console host, e.g. `#/popout/queue`: what a second
   * BrowserWindow is in Electron (same bridge, same pushes, no second replica).
   */
  openWindow(hash: string): Promise<Page>;
  /** the shell's push to the main window: a notification clicked, the tray's mute */
  sendDesktopEvent(event: DesktopEvent): Promise<void>;
  close(): Promise<void>;
}

const desktopNames = new Map<string, DesktopName>(
  (Object.keys(desktopChannels) as DesktopName[]).map((name) => [desktopChannels[name].name, name]),
);

/**
 * Delivers one push into a page, as the preload's ipcRenderer listener would. As JSON text:
 * Playwright's own argument serialiser walks every value in JavaScript on both sides and took
 * seconds of CPU for a megabyte of rows, where Electron's IPC (structured clone) takes
 * milliseconds; a string crosses as one value and JSON.parse in the page is native (issue 8).
 * A bridge built before __watchfloorPushJson existed gets the parsed value.
 */
async function deliver(page: Page, channel: string, payload: unknown): Promise<void> {
  await page
    .evaluate(
      ([c, json]) => {
        const w = globalThis as unknown as {
          __watchfloorPush?: (c: string, p: unknown) => void;
          __watchfloorPushJson?: (c: string, json: string) => void;
        };
        if (w.__watchfloorPushJson) w.__watchfloorPushJson(c, json);
        else w.__watchfloorPush?.(c, JSON.parse(json));
      },
      [channel, JSON.stringify(payload ?? null)] as const,
    )
    .catch(() => {
      // The page is navigating or closed; the renderer re-reads a snapshot on load.
    });
}

const popoutHash = (panel: PopoutPanel): string => `#/popout/${panel}`;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.wav': 'audio/wav',
};

/** The Electron shell's CSP, loaded at run time (main/app is outside this tsconfig project). */
async function shellCsp(): Promise<string> {
  const modulePath = '../../main/app/csp';
  const mod = (await import(modulePath)) as { CONTENT_SECURITY_POLICY: string };
  return mod.CONTENT_SECURITY_POLICY;
}

/**
 * Big invoke answers (a snapshot page is 1–1.5 MB of rows) do not come back through the
 * binding: a DevTools message of that size took the page's main thread 1.3–2.5 s to receive
 * (measured in a trace, issue 8), where Electron's IPC takes milliseconds. The binding answers
 * a key instead and the page loads the answer as a same-origin script (allowed by the CSP's
 * `script-src 'self'`; connect-src stays 'none'), which Chromium fetches and parses like any
 * bundled script. Each answer is served once.
 */
const BIG_ANSWER = 64 * 1024;
const ANSWER_PATH = '/__harness/answer/';

async function serveBundle(route: Route, csp: string, answers: Map<string, string>): Promise<void> {
  const url = new URL(route.request().url());
  if (url.origin !== HARNESS_ORIGIN) {
    await route.abort('blockedbyclient');
    return;
  }
  if (url.pathname.startsWith(ANSWER_PATH)) {
    const key = url.pathname.slice(ANSWER_PATH.length).replace(/\.js$/, '');
    const json = answers.get(key);
    answers.delete(key);
    if (json === undefined) {
      await route.fulfill({ status: 404, body: 'Not found' });
      return;
    }
    await route.fulfill({
      status: 200,
      body: `__watchfloorAnswer(${JSON.stringify(key)}, ${json});`,
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    });
    return;
  }
  const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname).replace(/^\/+/, '');
  const file = path.resolve(rendererDist, relative);
  if (!file.startsWith(rendererDist + path.sep)) {
    await route.fulfill({ status: 404, body: 'Not found' });
    return;
  }
  try {
    const body = await readFile(file);
    await route.fulfill({
      status: 200,
      body,
      headers: {
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    await route.fulfill({ status: 404, body: 'Not found' });
  }
}

/** Starts a console host and a page showing it in `browser`. */
export async function openConsole(browser: Browser, options: OpenConsoleOptions): Promise<HarnessConsole> {
  assertBuilt();
  const csp = await shellCsp();
  const host = await startSessionHost({
    dataDir: options.dataDir,
    hubUrl: options.hubUrl,
    ...(options.token ? { token: options.token } : {}),
    ...(options.recheckMs ? { recheckMs: options.recheckMs } : {}),
    // The built worker, as Electron runs it; falls back to the host's own default (source under tsx).
    ...(options.worker ?? (existsSync(replicaWorkerBundle) ? { workerPath: replicaWorkerBundle } : {})),
  });
  let context: BrowserContext | null = null;
  try {
    context = await browser.newContext({
      viewport: options.viewport ?? { width: 1440, height: 900 },
      locale: options.locale ?? 'en-GB',
      colorScheme: 'dark',
      serviceWorkers: 'block',
    });
    const answers = new Map<string, string>();
    let answerSeq = 0;
    await context.route('**/*', (route) => serveBundle(route, csp, answers));
    const diagnostics: string[] = [];
    const note = (line: string): void => {
      if (diagnostics.length < 500) diagnostics.push(`${new Date().toISOString()} ${line}`);
    };
    const ctx = context;
    const pages: Page[] = [];
    const notifications: NotifyArgs[] = [];
    let desktopStatus: DesktopStatus | null = null;
    const popouts = new Map<PopoutPanel, Page>();

    // Every window of this console: its diagnostics, and the host's pushes in order (each
    // waits for the one before), as main/app broadcasts them to every BrowserWindow.
    const attach = (page: Page, label: string): void => {
      pages.push(page);
      page.on('pageerror', (err) => note(`${label} pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning')
          note(`${label} console.${msg.type()}: ${msg.text()} (${msg.location().url})`);
      });
      page.on('requestfailed', (req) => note(`${label} requestfailed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
      // Pushes wait in order while one is being delivered. Each delivery is a DevTools round trip
      // (page.evaluate), far slower than Electron's IPC: on a loaded machine the page fell 5–15 s
      // behind the host at 2 events/s, and tests waited for pushes still queued here. Change sets
      // waiting are merged as the host merges them per frame (mergeChanges); other channels are
      // delivered one by one.
      const waiting: { channel: string; payload: unknown }[] = [];
      let delivering = false;
      const pump = async (): Promise<void> => {
        delivering = true;
        for (let next = waiting.shift(); next; next = waiting.shift()) await deliver(page, next.channel, next.payload);
        delivering = false;
      };
      const unsubscribe = host.onPush((channel, payload) => {
        const last = waiting.at(-1);
        if (channel === pushChannels.changes.name && last?.channel === channel)
          last.payload = mergeChanges(last.payload as ChangeSet, payload as ChangeSet);
        else waiting.push({ channel, payload });
        if (!delivering) void pump();
      });
      page.once('close', () => {
        unsubscribe();
        pages.splice(pages.indexOf(page), 1);
      });
    };

    const openWindow = async (hash: string): Promise<Page> => {
      const page = await ctx.newPage();
      attach(page, hash || 'window');
      await page.goto(`${HARNESS_ORIGIN}/index.html${hash}`);
      return page;
    };

    // The shell's side of the desktop channels (main/app/desktop.ts in Electron): a pop-out
    // is a second page on the same host; notifications and the tray are recorded for tests.
    const desktop = async (name: DesktopName, rawArgs: unknown): Promise<Result<unknown>> => {
      const parsed = desktopChannels[name].args.safeParse(rawArgs);
      if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', message: `Bad request for ${name}.` } };
      switch (name) {
        case 'openPopout': {
          const panel = (parsed.data as { panel: PopoutPanel }).panel;
          const open = popouts.get(panel);
          // Already open: Electron focuses it. Not page.bringToFront() here: headless Chromium
          // then hides the other page and stops its animation frames, which no two windows
          // on two monitors do.
          if (open && !open.isClosed()) return { ok: true, value: { opened: false } };
          // As in Electron (loadURL not awaited): the answer does not wait for the page to load.
          const page = await ctx.newPage();
          attach(page, popoutHash(panel));
          popouts.set(panel, page);
          void page.goto(`${HARNESS_ORIGIN}/index.html${popoutHash(panel)}`).catch(() => {});
          return { ok: true, value: { opened: true } };
        }
        case 'notify':
          notifications.push(parsed.data as NotifyArgs);
          return { ok: true, value: { shown: true } };
        case 'setDesktopStatus':
          desktopStatus = parsed.data as DesktopStatus;
          return { ok: true, value: {} };
      }
    };

    // Same check as main/app/ipc.ts: only the main frame of our origin may call.
    const invoke = async (source: BindingSource, channel: unknown, args: unknown): Promise<Result<unknown>> => {
      if (source.frame !== source.page.mainFrame() || new URL(source.frame.url()).origin !== HARNESS_ORIGIN) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'This request did not come from a Watchfloor window and was refused.' },
        };
      }
      if (typeof channel !== 'string')
        return { ok: false, error: { code: 'BAD_REQUEST', message: 'The channel must be a string.' } };
      const desktopName = desktopNames.get(channel);
      if (desktopName) return desktop(desktopName, args);
      return host.invoke(channel, args);
    };
    await ctx.exposeBinding('__watchfloorInvoke', invoke);
    // The answer as JSON text, for the same reason as deliver's: a snapshot page of 2 000 alerts
    // cost ~1.4 s of this process's CPU through Playwright's serialiser (tests/harness/page/bridge.ts).
    // A big answer is loaded by the page as a script (serveBundle): the binding answers its key.
    await ctx.exposeBinding('__watchfloorInvokeJson', async (source, channel: unknown, args: unknown) => {
      const json = JSON.stringify(await invoke(source, channel, args));
      if (json.length < BIG_ANSWER) return json;
      const key = `a${++answerSeq}`;
      answers.set(key, json);
      return JSON.stringify({ $answer: key, src: `${ANSWER_PATH}${key}.js` });
    });
    await ctx.addInitScript({ path: harnessBridgeBundle });

    const page = await ctx.newPage();
    attach(page, 'main');
    await page.goto(`${HARNESS_ORIGIN}/index.html`);
    return {
      host,
      context: ctx,
      page,
      diagnostics,
      notifications,
      desktopStatus: () => desktopStatus,
      windows: () => [...pages],
      openWindow,
      sendDesktopEvent: (event) => deliver(page, pushChannels.desktop.name, event),
      async close() {
        await ctx.close().catch(() => {});
        await host.close();
      },
    };
  } catch (err) {
    await context?.close().catch(() => {});
    await host.close();
    throw err;
  }
}
