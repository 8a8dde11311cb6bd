import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { WatchfloorError } from '../../shared/errors';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Where the numbered .sql files live: next to this module under tsx; for the bundled
 * worker (dist/main/replica-worker.cjs) a `migrations/` folder shipped next to it, or,
 * in a checkout, the source folder. `migrationsDir` overrides both.
 */
export function defaultMigrationsDir(): string {
  const here =
    typeof import.meta !== 'undefined' && typeof import.meta.url === 'string'
      ? path.dirname(fileURLToPath(import.meta.url))
      : __dirname;
  const candidates = [path.join(here, 'migrations'), path.join(here, '..', '..', 'main', 'replica', 'migrations')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    throw new WatchfloorError('INTERNAL', `The replica's migrations were not found in ${dir}; reinstall the console.`);
  }
  const migrations = files
    .map((file) => FILE.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: Number(m[1]), name: m[2]!, sql: readFileSync(path.join(dir, m[0]), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new WatchfloorError('INTERNAL', `Replica migration ${i + 1} is missing in ${dir}; reinstall the console.`);
    }
  });
  return migrations;
}

export function schemaVersion(db: Database.Database): number {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`,
  );
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Apply every migration above the current version, up to `target` (default: all).
 * Each one runs in its own transaction together with the row that records it, so a
 * crash leaves the replica at a whole version, never between two.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], target?: number): number {
  let version = schemaVersion(db);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const goal = target ?? latest;
  if (version > latest) {
    throw new WatchfloorError(
      'SCHEMA_MISMATCH',
      `This replica was written by a newer console (schema ${version}, this console knows ${latest}); update the console.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= version || m.version > goal) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    version = m.version;
  }
  return version;
}
