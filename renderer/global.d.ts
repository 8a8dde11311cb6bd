import type { ConsoleApi } from '../shared/api';

declare global {
  interface Window {
    /** Exposed by the preload (or the e2e harness): the renderer's only way out. Read it through `renderer/api.ts`. */
    readonly watchfloor: ConsoleApi;
  }
}
