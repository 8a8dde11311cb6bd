import type { z } from 'zod';
import { type invokeChannels } from '../../shared/api';
import type { BasemapOperation } from '../../shared/basemap';
import { ok, toAppError, WatchfloorError, type Result } from '../../shared/errors';
import type { BasemapStore } from './store';

/**
 * The basemap operations of the ConsoleApi, answered by the console host (not the
 * replica worker; see main/replica/rpc.ts). Arguments arrive parsed by the host.
 */

/** What the shell offers beyond Node: Electron implements it with dialog.showOpenDialog. */
export interface BasemapShell {
  /** the chosen .mbtiles path, or null when the officer cancelled */
  chooseBasemapFile(): Promise<string | null>;
}

type Args<N extends BasemapOperation> = z.infer<(typeof invokeChannels)[N]['args']>;
type Handlers = { [N in BasemapOperation]: (args: Args<N>) => unknown };

export function basemapHandlers(store: BasemapStore, shell: BasemapShell | null): Handlers {
  return {
    getBasemaps: () => store.list(),
    importBasemap: (args) => store.import(args.path),
    setActiveBasemap: (args) => store.setActive(args.id),
    getBasemapTile: (args) => store.tile(args),
    chooseBasemapFile: async () => {
      if (!shell)
        throw new WatchfloorError(
          'NOT_FOUND',
          'This console has no file dialog; type the path of the .mbtiles file instead.',
        );
      return { path: await shell.chooseBasemapFile() };
    },
  };
}

export async function callBasemap(handlers: Handlers, name: BasemapOperation, args: unknown): Promise<Result<unknown>> {
  try {
    return ok(await (handlers[name] as (a: unknown) => unknown)(args));
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}
