import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { copyFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  DEMO_BASEMAP_ID,
  ImportedBasemap,
  type BasemapList,
  type BasemapTile,
  type BasemapTileArgs,
} from '../../shared/basemap';
import { toAppError, WatchfloorError, type ErrorCode } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { Database } from './sqlite';
import { hasSqliteHeader, MbtilesReader, openMbtiles, readMbtilesInfo, type MbtilesInfo } from './mbtiles';

/**
 * The console's basemaps (decision 0019): imported MBTiles files copied into
 * `<dataDir>/basemaps/<id>.mbtiles`, and `basemaps.json` saying which ones exist and
 * which the map shows. The copy means the officer's original may be moved or deleted.
 * Runs in the console host (Node main thread, or Electron's main process); tile reads
 * are single indexed SELECTs on read-only connections.
 */

/** 8 GiB: a city at street level (z 18) as JPEG is a few GB. */
export const DEFAULT_MAX_BASEMAP_BYTES = 8 * 1024 ** 3;

export interface BasemapStoreOptions {
  dataDir: string;
  /** refuse files larger than this (BASEMAP_TOO_BIG) */
  maxBytes?: number;
  /** a better-sqlite3 build for another ABI (Electron; decision 0005) */
  nativeBinding?: string | undefined;
  now?: () => Date;
  /** trouble nobody can be answered about (a damaged basemaps.json); default stderr */
  log?: (line: string) => void;
}

export interface BasemapCounters {
  imported: number;
  refused: Partial<Record<ErrorCode, number>>;
  tilesServed: number;
  tilesMissing: number;
}

const Registry = z.object({
  version: z.literal(1),
  active: z.string(),
  imported: z.array(ImportedBasemap),
});
type Registry = z.infer<typeof Registry>;

const REGISTRY_FILE = 'basemaps.json';

const fmtBytes = (n: number): string =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(n / 1024 ** 2))} MB`;

export class BasemapStore {
  readonly dir: string;
  readonly counters: BasemapCounters = { imported: 0, refused: {}, tilesServed: 0, tilesMissing: 0 };
  private registry: Registry;
  private readonly readers = new Map<string, MbtilesReader>();
  private readonly maxBytes: number;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;

  constructor(private readonly options: BasemapStoreOptions) {
    this.dir = path.join(options.dataDir, 'basemaps');
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BASEMAP_BYTES;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? ((line) => process.stderr.write(`[basemaps] ${line}\n`));
    mkdirSync(this.dir, { recursive: true });
    // A console stopped mid-import leaves a partial copy; nothing refers to it.
    for (const name of readdirSync(this.dir)) if (name.endsWith('.part')) unlinkSync(path.join(this.dir, name));
    this.registry = this.load();
  }

  list(): Omit<BasemapList, 'importByPath'> {
    return { active: this.registry.active, imported: this.registry.imported.map((b) => ({ ...b })) };
  }

  /** Checks, copies and records an MBTiles file, and makes it the active basemap. */
  async import(sourcePath: string): Promise<ImportedBasemap> {
    try {
      const imported = await this.importChecked(path.resolve(sourcePath));
      this.counters.imported++;
      return imported;
    } catch (err) {
      const { code } = toAppError(err);
      this.counters.refused[code] = (this.counters.refused[code] ?? 0) + 1;
      throw err;
    }
  }

  setActive(id: string): Omit<BasemapList, 'importByPath'> {
    if (id !== DEMO_BASEMAP_ID && !this.registry.imported.some((b) => b.id === id))
      throw new WatchfloorError('NOT_FOUND', 'That basemap is not on this console any more; choose another.');
    this.save({ ...this.registry, active: id });
    return this.list();
  }

  /** A tile of an imported basemap (XYZ), or null where the file has none. */
  tile(args: BasemapTileArgs): BasemapTile {
    const reader = this.reader(args.id);
    const tile = reader.get(args.z, args.x, args.y);
    if (tile) this.counters.tilesServed++;
    else this.counters.tilesMissing++;
    return tile;
  }

  close(): void {
    for (const r of this.readers.values()) r.close();
    this.readers.clear();
  }

  private reader(id: string): MbtilesReader {
    const open = this.readers.get(id);
    if (open) return open;
    if (!this.registry.imported.some((b) => b.id === id))
      throw new WatchfloorError('NOT_FOUND', 'That basemap is not on this console; choose another.');
    const reader = new MbtilesReader(openMbtiles(this.fileOf(id), { nativeBinding: this.options.nativeBinding }));
    this.readers.set(id, reader);
    return reader;
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.mbtiles`);
  }

  private async importChecked(source: string): Promise<ImportedBasemap> {
    const shown = path.basename(source);
    let size: number;
    try {
      const s = await stat(source);
      if (!s.isFile())
        throw new WatchfloorError('BASEMAP_UNREADABLE', `${shown} is a folder, not a file; choose the .mbtiles file.`);
      size = s.size;
    } catch (err) {
      if (err instanceof WatchfloorError) throw err;
      throw new WatchfloorError(
        'BASEMAP_UNREADABLE',
        `The console cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path and that the file is there.`,
      );
    }
    if (size > this.maxBytes)
      throw new WatchfloorError(
        'BASEMAP_TOO_BIG',
        `${shown} is ${fmtBytes(size)}; the console takes basemaps up to ${fmtBytes(this.maxBytes)}. Export fewer zoom levels or a smaller area.`,
      );
    let sqlite: boolean;
    try {
      sqlite = hasSqliteHeader(source);
    } catch (err) {
      throw new WatchfloorError(
        'BASEMAP_UNREADABLE',
        `The console cannot read ${shown} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
    if (!sqlite)
      throw new WatchfloorError(
        'BASEMAP_NOT_SQLITE',
        `${shown} is not an MBTiles file (not an SQLite database). Choose the .mbtiles file your map export made.`,
      );
    const fallbackName = path.basename(source, path.extname(source));
    this.check(source, fallbackName);

    // Copy, then check the copy (what the map will read), then give it its final name.
    const id = newId().toLowerCase();
    const part = path.join(this.dir, `${id}.part`);
    const final = this.fileOf(id);
    try {
      await copyFile(source, part);
      this.toRollbackJournal(part);
      const info = this.check(part, fallbackName);
      renameSync(part, final);
      const entry: ImportedBasemap = {
        id,
        ...info,
        bytes: statSync(final).size,
        sourceName: shown.slice(0, 300),
        importedAt: this.now().toISOString(),
      };
      this.save({ ...this.registry, active: id, imported: [...this.registry.imported, entry] });
      return entry;
    } catch (err) {
      await unlink(part).catch(() => {});
      if (err instanceof WatchfloorError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC')
        throw new WatchfloorError(
          'INTERNAL',
          `The disk is full: ${shown} needs ${fmtBytes(size)}. Free some space and import again.`,
        );
      throw err;
    }
  }

  private check(file: string, fallbackName: string): MbtilesInfo {
    const db = openMbtiles(file, { nativeBinding: this.options.nativeBinding });
    try {
      return readMbtilesInfo(db, fallbackName);
    } finally {
      db.close();
    }
  }

  /**
   * A file exported in WAL mode cannot be opened read-only without its -shm beside it;
   * our copy is ours to change, so it goes back to a rollback journal once.
   */
  private toRollbackJournal(file: string): void {
    const db = new Database(file, {
      fileMustExist: true,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
    });
    try {
      if (db.pragma('journal_mode', { simple: true }) === 'wal') db.pragma('journal_mode = DELETE');
    } catch (err) {
      throw new WatchfloorError('BASEMAP_NOT_SQLITE', `SQLite could not read the copy (${(err as Error).message}).`);
    } finally {
      db.close();
    }
  }

  private load(): Registry {
    const file = path.join(this.dir, REGISTRY_FILE);
    const empty: Registry = { version: 1, active: DEMO_BASEMAP_ID, imported: [] };
    if (!existsSync(file)) return empty;
    let parsed: Registry;
    try {
      parsed = Registry.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (err) {
      // Keep the damaged file for a look; the demo basemap still works.
      const aside = `${file}.damaged-${Date.now()}`;
      renameSync(file, aside);
      this.log(`${REGISTRY_FILE} could not be read (${(err as Error).message}); moved to ${aside}, starting afresh.`);
      return empty;
    }
    const present = parsed.imported.filter((b) => existsSync(this.fileOf(b.id)));
    if (present.length !== parsed.imported.length)
      this.log(`${parsed.imported.length - present.length} imported basemap file(s) are missing; they are left out.`);
    const active = present.some((b) => b.id === parsed.active) ? parsed.active : DEMO_BASEMAP_ID;
    return { version: 1, active, imported: present };
  }

  /** Written beside and renamed over: a crash leaves the old list or the new one, never half. */
  private save(next: Registry): void {
    const file = path.join(this.dir, REGISTRY_FILE);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
    renameSync(tmp, file);
    this.registry = next;
  }
}
