import path from 'node:path';
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

/**
 * With a shell (Electron), only files the officer picked in its dialog are imported: a
 * page that could name any path could probe the file system with the refusals. Without
 * one (the harness, preview) a typed path is the only way in.
 */
export function basemapHandlers(store: BasemapStore, shell: BasemapShell | null): Handlers {
  const chosen = new Set<string>();
  const importByPath = shell === null;
  return {
    getBasemaps: () => ({ ...store.list(), importByPath }),
    importBasemap: async (args) => {
      const file = path.resolve(args.path);
      if (!importByPath && !chosen.has(file))
        throw new WatchfloorError(
          'FORBIDDEN',
          'The desktop console imports a basemap only from its file dialog: use Choose file….',
        );
      chosen.delete(file);
      return store.import(file);
    },
    setActiveBasemap: (args) => ({ ...store.setActive(args.id), importByPath }),
    getBasemapTile: (args) => store.tile(args),
    chooseBasemapFile: async () => {
      if (!shell)
        throw new WatchfloorError(
          'NOT_FOUND',
          'This console has no file dialog; type the path of the .mbtiles file instead.',
        );
      const picked = await shell.chooseBasemapFile();
      if (picked !== null) chosen.add(path.resolve(picked));
      return { path: picked };
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
