import type BetterSqlite3 from 'better-sqlite3';
import MultipleCiphers from 'better-sqlite3-multiple-ciphers';
import { WatchfloorError } from '../../shared/errors';
import { loadMigrations, migrate, type Migration } from './migrate';

/**
 * The replica's driver is better-sqlite3-multiple-ciphers (decision 0025): better-sqlite3's
 * API over SQLite3 Multiple Ciphers, so the file can be encrypted with SQLCipher's format.
 * Without a key it is plain SQLite. Typed as better-sqlite3 (the same API), so the rest of
 * the replica keeps its types.
 */
const Database = MultipleCiphers as unknown as typeof BetterSqlite3;
type Database = BetterSqlite3.Database;

/**
 * Readable and writable handles are split at the type level: query code takes a
 * ReadDb and cannot call a writing helper by mistake. Both are the same connection;
 * the worker is the only writer.
 */
declare const readBrand: unique symbol;
declare const writeBrand: unique symbol;
export type ReadDb = Database & { readonly [readBrand]: true };
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
  /** 32 random bytes: the replica is encrypted with them (SQLCipher 4 format); none: plain SQLite */
  key?: Uint8Array;
  /** page cache in KiB (default 64 MB; the encryption benchmark tries others) */
  cacheKiB?: number;
}

export const REPLICA_KEY_BYTES = 32;

export const REPLICA_LOCKED_MESSAGE =
  "This workstation's local replica cannot be read with its key (the key is wrong, or the file is encrypted and no key was given). Start with a new replica or restore the key; see docs/security.md.";

/**
 * Applies the key before anything reads the file, then proves it with a read: SQLite
 * reads nothing until the first statement, and a wrong key only shows as "file is not
 * a database" there. The key is passed raw (x'…', no passphrase derivation: it is
 * already 32 random bytes), so opening costs no PBKDF2 rounds.
 */
export function unlock(db: Database, key: Uint8Array | undefined): void {
  if (key !== undefined) {
    if (key.length !== REPLICA_KEY_BYTES) throw new Error(`A replica key is ${REPLICA_KEY_BYTES} bytes.`);
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${Buffer.from(key).toString('hex')}'"`);
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    if ((err as { code?: unknown }).code === 'SQLITE_NOTADB') {
      db.close();
      throw new WatchfloorError('REPLICA_LOCKED', REPLICA_LOCKED_MESSAGE);
    }
    throw err;
  }
}

export function openReplicaDb(options: OpenReplicaOptions): WriteDb {
  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  unlock(db, options.key);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a power cut may lose the last commits but never corrupts;
  // lost events are pulled again from the hub, the cursor moves with them.
  db.pragma('synchronous = NORMAL');
  // 64 MB page cache: a batch of large CAP messages spills a 2 MB cache to the WAL mid-transaction.
  db.pragma(`cache_size = -${Math.trunc(options.cacheKiB ?? 65536)}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, options.migrations ?? loadMigrations(options.migrationsDir), options.targetVersion);
  return db as WriteDb;
}

export function openReadOnly(file: string, key?: Uint8Array): ReadDb {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  unlock(db, key);
  return db as ReadDb;
}

/**
 * Encrypts an existing plain replica in place with `key` (a console that ran before
 * encryption at rest, or whose keychain has just become available), keeping every row
 * and the outbox. SQLite3 Multiple Ciphers cannot rekey in WAL mode, so the journal is
 * checkpointed and switched to DELETE for the rekey; openReplicaDb turns WAL back on.
 */
export function encryptInPlace(file: string, key: Uint8Array, nativeBinding?: string): void {
  if (key.length !== REPLICA_KEY_BYTES) throw new Error(`A replica key is ${REPLICA_KEY_BYTES} bytes.`);
  const db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    unlock(db, undefined); // a plain file, readable without a key: else this is not ours to encrypt
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`rekey = "x'${Buffer.from(key).toString('hex')}'"`);
  } finally {
    if (db.open) db.close();
  }
}
