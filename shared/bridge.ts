import {
  desktopChannels,
  invokeChannels,
  pushChannels,
  type ConsoleApi,
  type DesktopName,
  type InvokeName,
  type PushName,
} from './api';
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
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(invokeChannels) as InvokeName[]) {
    const ch = invokeChannels[name];
    api[name] = (args?: unknown) => transport.invoke(ch.name, args);
  }
  // The desktop shell's own operations (windows, notifications, tray) go the same way.
  for (const name of Object.keys(desktopChannels) as DesktopName[]) {
    const ch = desktopChannels[name];
    api[name] = (args?: unknown) => transport.invoke(ch.name, args);
  }
  for (const name of Object.keys(pushChannels) as PushName[]) {
    const ch = pushChannels[name];
    const method = `on${name[0]!.toUpperCase()}${name.slice(1)}`;
    api[method] = (listener: (payload: unknown) => void) => transport.subscribe(ch.name, listener);
  }
  return Object.freeze(api) as unknown as ConsoleApi;
}
