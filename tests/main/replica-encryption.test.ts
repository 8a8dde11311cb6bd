import PlainDatabase from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptInPlace, openReadOnly, openReplicaDb, REPLICA_KEY_BYTES } from '../../main/replica/db';
import { Replica } from '../../main/replica/replica';
import { WatchfloorError } from '../../shared/errors';
import { tempDir } from './fixtures';

/**
 * Encryption at rest (issue 7, decision 0025): a replica opened with a key is a
 * SQLCipher file that plain SQLite cannot read, and a wrong or missing key is a
 * REPLICA_LOCKED error, never a half-opened database.
 */

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function freshFile(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return path.join(t.dir, 'replica.sqlite');
}

const SQLITE_HEADER = 'SQLite format 3\0';

function lockedCode(open: () => unknown): string | null {
  try {
    const db = open() as { close(): void };
    db.close();
    return null;
  } catch (err) {
    return err instanceof WatchfloorError ? err.code : `other: ${String(err)}`;
  }
}

describe('encrypted replica', () => {
  it('is written encrypted, and reads back whole with its key', () => {
    const file = freshFile();
    const key = randomBytes(REPLICA_KEY_BYTES);
    const replica = new Replica({ file, key, consoleId: 'console-enc' });
    const consoleId = replica.consoleId;
    replica.db.pragma('wal_checkpoint(TRUNCATE)');
    replica.db.close();

    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(4096);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe(SQLITE_HEADER);
    // Nothing of the schema is readable in the file.
    expect(bytes.includes(Buffer.from('CREATE TABLE'))).toBe(false);
    expect(bytes.includes(Buffer.from('console-enc'))).toBe(false);

    const again = new Replica({ file, key });
    expect(again.consoleId).toBe(consoleId);
    again.db.close();
    const ro = openReadOnly(file, key);
    expect(ro.prepare('SELECT console_id FROM meta WHERE id = 1').get()).toEqual({ console_id: consoleId });
    ro.close();
  });

  it('cannot be read by plain SQLite', () => {
    const file = freshFile();
    openReplicaDb({ file, key: randomBytes(REPLICA_KEY_BYTES) }).close();
    const plain = new PlainDatabase(file, { readonly: true });
    expect(() => plain.prepare('SELECT * FROM meta').all()).toThrow(/not a database/);
    plain.close();
  });

  it('refuses a wrong key and a missing key with REPLICA_LOCKED', () => {
    const file = freshFile();
    openReplicaDb({ file, key: randomBytes(REPLICA_KEY_BYTES) }).close();
    expect(lockedCode(() => openReplicaDb({ file, key: randomBytes(REPLICA_KEY_BYTES) }))).toBe('REPLICA_LOCKED');
    expect(lockedCode(() => openReplicaDb({ file }))).toBe('REPLICA_LOCKED');
    expect(lockedCode(() => openReadOnly(file, randomBytes(REPLICA_KEY_BYTES)))).toBe('REPLICA_LOCKED');
  });

  it('refuses a key of the wrong length before touching the file', () => {
    const file = freshFile();
    expect(() => openReplicaDb({ file, key: randomBytes(16) })).toThrow(/32 bytes/);
  });

  it('without a key stays plain SQLite, readable by better-sqlite3', () => {
    const file = freshFile();
    const db = openReplicaDb({ file });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe(SQLITE_HEADER);
    const plain = new PlainDatabase(file, { readonly: true });
    expect(plain.prepare('SELECT id FROM meta').get()).toEqual({ id: 1 });
    plain.close();
  });
});

describe('encrypting a plain replica in place', () => {
  it('keeps every row and leaves nothing readable', () => {
    const file = freshFile();
    const plain = new Replica({ file, consoleId: 'console-before' });
    plain.db.close();
    const key = randomBytes(REPLICA_KEY_BYTES);
    encryptInPlace(file, key);
    expect(readFileSync(file).includes(Buffer.from('console-before'))).toBe(false);
    const after = new Replica({ file, key });
    expect(after.consoleId).toBe('console-before');
    expect(after.db.pragma('journal_mode', { simple: true })).toBe('wal');
    after.db.close();
    // Encrypting twice is refused: the file is no longer plain.
    expect(lockedCode(() => encryptInPlace(file, key))).toBe('REPLICA_LOCKED');
  });
});
