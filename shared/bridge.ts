import type { ConsoleApi } from './api';
import { channelName, desktopNames, invokeNames, pushNames } from './channelNames';
import type { Result } from './errors';

/**
 * How a ConsoleApi reaches main. The preload implements it with ipcRenderer;
 * the e2e harness with Playwright bindings. Only the transport is swapped:
 * both build `window.watchfloor` with `createConsoleApi`.
 */
export interface BridgeTransport {
  invoke(channel: string, args: unknown): Promise<Result<unknown>>;
  /** Subscribe to a push channel; returns unsubscribe. The listener gets the payload only. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function createConsoleApi(transport: BridgeTransport): ConsoleApi {
  // Names only (shared/channelNames.ts): this runs in every window before the page, without zod.
  const api: Record<string, unknown> = {};
  for (const name of invokeNames) {
    const channel = channelName(name);
    api[name] = (args?: unknown) => transport.invoke(channel, args);
  }
  // The desktop shell's own operations (windows, notifications, tray) go the same way.
  for (const name of desktopNames) {
    const channel = channelName(name);
    api[name] = (args?: unknown) => transport.invoke(channel, args);
  }
  for (const name of pushNames) {
    const channel = channelName(name);
    const method = `on${name[0]!.toUpperCase()}${name.slice(1)}`;
    api[method] = (listener: (payload: unknown) => void) => transport.subscribe(channel, listener);
  }
  return Object.freeze(api) as unknown as ConsoleApi;
}
