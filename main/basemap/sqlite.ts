import type BetterSqlite3 from 'better-sqlite3';
import MultipleCiphers from 'better-sqlite3-multiple-ciphers';

/**
 * The console's SQLite driver, the same one the replica uses (decision 0025): its
 * Electron build is the one WATCHFLOOR_SQLITE_BINDING names (decision 0005), so MBTiles
 * files are opened with it too. Without a key it reads plain SQLite files, which is what
 * MBTiles files are.
 */
export const Database = MultipleCiphers as unknown as typeof BetterSqlite3;
export type Database = BetterSqlite3.Database;
