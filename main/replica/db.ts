import Database from 'better-sqlite3';
import { loadMigrations, migrate, type Migration } from './migrate';

/**
 * Readable and writable handles are split at the type level: query code takes a
 * ReadDb and cannot call a writing helper by mistake. Both are the same connection;
 * the worker is the only writer.
 */
declare const readBrand: unique symbol;
declare const writeBrand: unique symbol;
export type ReadDb = Database.Database & { readonly [readBrand]: true };
export type WriteDb = ReadDb & { readonly [writeBrand]: true };

export interface OpenReplicaOptions {
  /** path of replica.sqlite, or ':memory:' */
  file: string;
  migrations?: readonly Migration[];
  migrationsDir?: string;
  /** stop at this schema version (migration tests) */
  targetVersion?: number;
  /** a better-sqlite3 build for another ABI (Electron; decision 0005) */
  nativeBinding?: string;
}

export function openReplicaDb(options: OpenReplicaOptions): WriteDb {
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a power cut may lose the last commits but never corrupts;
  // lost events are pulled again from the hub, the cursor moves with them.
  db.pragma('synchronous = NORMAL');
  // 64 MB page cache: a batch of large CAP messages spills a 2 MB cache to the WAL mid-transaction.
  db.pragma('cache_size = -65536');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, options.migrations ?? loadMigrations(options.migrationsDir), options.targetVersion);
  return db as WriteDb;
}

export function openReadOnly(file: string): ReadDb {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  return db as ReadDb;
}
