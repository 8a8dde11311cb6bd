import { createConsoleApi, type BridgeTransport } from '../../../shared/bridge';
import type { Result } from '../../../shared/errors';

/**
 * The e2e harness's stand-in for the preload, injected with page.addInitScript
 * (bundled to an IIFE as dist/harness/bridge.js). It builds `window.watchfloor`
 * with the very same createConsoleApi; only the transport differs:
 * - invoke goes to the Playwright binding `__watchfloorInvokeJson` (→ host.invoke), whose
 *   answer is JSON text (Playwright's serialiser is far slower than Electron's structured
 *   clone for big answers: tests/harness/console.ts);
 * - pushes arrive through `__watchfloorPushJson(channel, json)` (or `__watchfloorPush(channel,
 *   payload)`), which the harness calls with page.evaluate, and are fanned out to subscribers.
 */
interface HarnessWindow {
  __watchfloorInvoke?: (channel: string, args: unknown) => Promise<Result<unknown>>;
  /** the same, answering JSON text (tests/harness/console.ts: Playwright's serialiser is slow for big answers) */
  __watchfloorInvokeJson?: (channel: string, args: unknown) => Promise<string>;
  __watchfloorPush?: (channel: string, payload: unknown) => void;
  __watchfloorPushJson?: (channel: string, json: string) => void;
  watchfloor?: unknown;
}

const win = window as unknown as HarnessWindow;
const listeners = new Map<string, Set<(payload: unknown) => void>>();

/** Big answers, loaded as same-origin scripts that call __watchfloorAnswer (tests/harness/console.ts). */
const answers = new Map<string, (value: Result<unknown>) => void>();
Object.defineProperty(win, '__watchfloorAnswer', {
  value: (key: string, value: Result<unknown>): void => {
    answers.get(key)?.(value);
    answers.delete(key);
  },
  writable: false,
  configurable: false,
});
const loadAnswer = (key: string, src: string): Promise<Result<unknown>> =>
  new Promise((resolve) => {
    answers.set(key, resolve);
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => script.remove();
    script.onerror = () => {
      script.remove();
      answers.delete(key);
      resolve({ ok: false, error: { code: 'INTERNAL', message: 'The harness could not load an answer.' } });
    };
    document.head.append(script);
  });

const bindingTransport: BridgeTransport = {
  invoke(channel, args) {
    const json = win.__watchfloorInvokeJson;
    if (json !== undefined)
      return json(channel, args).then((text) => {
        const answer = JSON.parse(text) as Result<unknown> | { $answer: string; src: string };
        return '$answer' in answer ? loadAnswer(answer.$answer, answer.src) : answer;
      });
    const binding = win.__watchfloorInvoke;
    if (binding === undefined) {
      return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'The harness binding is missing.' } });
    }
    return binding(channel, args);
  },
  subscribe(channel, listener) {
    let set = listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      listeners.set(channel, set);
    }
    // A fresh wrapper per subscription, so subscribing the same function twice unsubscribes independently.
    const entry = (payload: unknown): void => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
};

const push = (channel: string, payload: unknown): void => {
  for (const listener of [...(listeners.get(channel) ?? [])]) {
    try {
      listener(payload);
    } catch (err) {
      console.error(err);
    }
  }
};
Object.defineProperty(win, '__watchfloorPush', { value: push, writable: false, configurable: false });
Object.defineProperty(win, '__watchfloorPushJson', {
  value: (channel: string, json: string): void => push(channel, JSON.parse(json)),
  writable: false,
  configurable: false,
});

Object.defineProperty(win, 'watchfloor', {
  value: createConsoleApi(bindingTransport),
  writable: false,
  configurable: false,
});
