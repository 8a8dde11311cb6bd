import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createConsoleApi, type BridgeTransport } from '../shared/bridge';
import type { Result } from '../shared/errors';

/**
 * The sandboxed preload: exposes `window.watchfloor` (the ConsoleApi) and nothing
 * else. ipcRenderer itself never reaches the page, and listeners receive the
 * payload only, never the IpcRendererEvent (whose `sender` is ipcRenderer).
 * Bundled to CommonJS by scripts/build-node.ts: sandboxed preloads cannot be ESM.
 */
const ipcTransport: BridgeTransport = {
  invoke: (channel, args) => ipcRenderer.invoke(channel, args) as Promise<Result<unknown>>,
  subscribe(channel, listener) {
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
};

contextBridge.exposeInMainWorld('watchfloor', createConsoleApi(ipcTransport));
