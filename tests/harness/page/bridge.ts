import { createConsoleApi, type BridgeTransport } from '../../../shared/bridge';
import type { Result } from '../../../shared/errors';

/**
 * The e2e harness's stand-in for the preload, injected with page.addInitScript
 * (bundled to an IIFE as dist/harness/bridge.js). It builds `window.watchfloor`
 * with the very same createConsoleApi; only the transport differs:
 * - invoke goes to the Playwright binding `__watchfloorInvoke` (→ host.invoke);
 * - pushes arrive through `__watchfloorPush(channel, payload)`, which the harness
 *   calls with page.evaluate, and are fanned out to subscribers.
 */
interface HarnessWindow {
  __watchfloorInvoke?: (channel: string, args: unknown) => Promise<Result<unknown>>;
  __watchfloorPush?: (channel: string, payload: unknown) => void;
  watchfloor?: unknown;
}

const win = window as unknown as HarnessWindow;
const listeners = new Map<string, Set<(payload: unknown) => void>>();

const bindingTransport: BridgeTransport = {
  invoke(channel, args) {
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

Object.defineProperty(win, '__watchfloorPush', {
  value: (channel: string, payload: unknown): void => {
    for (const listener of [...(listeners.get(channel) ?? [])]) {
      try {
        listener(payload);
      } catch (err) {
        console.error(err);
      }
    }
  },
  writable: false,
  configurable: false,
});

Object.defineProperty(win, 'watchfloor', {
  value: createConsoleApi(bindingTransport),
  writable: false,
  configurable: false,
});
