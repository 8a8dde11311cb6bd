import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { WatchfloorError } from '../../shared/errors';

/**
 * Numbered migrations (`NNNN_name.sql`), each applied once, in order, in its own
 * transaction that also records it. A store newer than this hub is refused
 * rather than half-understood.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`hub migrations must be numbered 1, 2, 3 … without gaps; found ${m.version} at ${i + 1}`);
  });
  return migrations;
}

export function schemaVersion(db: Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Brings the store to `target` (default: the newest this hub knows). Returns the version reached. */
export function migrate(
  db: Database,
  options: { target?: number; migrations?: Migration[]; now?: () => string } = {},
): number {
  const migrations = options.migrations ?? loadMigrations();
  const target = options.target ?? migrations.length;
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new WatchfloorError(
      'SCHEMA_MISMATCH',
      `The hub store is at schema ${current} but this hub only knows ${migrations.length}; run a newer hub.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const now = options.now ?? (() => new Date().toISOString());
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now());
    })();
  }
  return Math.max(current, Math.min(target, migrations.length));
}
