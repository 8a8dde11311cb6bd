import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityFixture, type CityFixture } from '../../bench/city';
import { migrationsDir } from '../../bench/harness';
import { systemClock } from '../../shared/clock';
import { HubStore } from '../../hub/store/hubStore';
import { Replica } from '../../main/replica/replica';

/**
 * The city fixture is written in bulk with its CHECK constraints off, its hub alert rows
 * computed instead of read back from the payloads, and the hub's log and the replica's written
 * at once by two threads, each from the same templates (bench/city.ts): a small one must still
 * be what the schemas and the log say.
 */
describe('bench city fixture', () => {
  let root: string;
  let city: CityFixture;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wf-city-test-'));
    city = cityFixture({ events: 3_000, assets: 300, threads: 150 }, root);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const open = (file: string) => new Database(file, { readonly: true });

  it('passes integrity_check, CHECK constraints included, in both files', () => {
    for (const file of [city.hubFile, city.replicaFile]) {
      const db = open(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.prepare('SELECT count(*) FROM events WHERE NOT json_valid(payload)').pluck().get()).toBe(0);
      } finally {
        db.close();
      }
    }
  });

  it("has the hub's alert rows its log implies, in log order", () => {
    const db = open(city.hubFile);
    try {
      const fromLog = db
        .prepare(
          "SELECT json_extract(payload, '$.alertId') AS id, seq FROM events WHERE type = 'alert.received' ORDER BY seq",
        )
        .all();
      const rows = db.prepare('SELECT id, received_seq AS seq FROM alerts ORDER BY rowid').all();
      expect(rows).toEqual(fromLog);
      expect(rows.length).toBe(city.threads * city.versions);
    } finally {
      db.close();
    }
  });

  it("holds the same log in the replica as in the hub (each file's own copy, made by the same statement)", () => {
    const hub = open(city.hubFile);
    const replica = open(city.replicaFile);
    try {
      const log = 'SELECT seq, type, at, mutation_id, payload FROM events ORDER BY seq';
      const hubLog = hub.prepare(log).all();
      expect(hubLog.length).toBe(city.head);
      expect(replica.prepare(log).all()).toEqual(hubLog);
    } finally {
      hub.close();
      replica.close();
    }
  });

  it('keeps every index a migrated replica and hub have', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-city-fresh-'));
    try {
      const indexes = (file: string) => {
        const db = open(file);
        try {
          return db
            .prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
            .all();
        } finally {
          db.close();
        }
      };
      new Replica({ file: join(dir, 'replica.sqlite'), migrationsDir, consoleId: 'fresh' }).close();
      HubStore.open(join(dir, 'hub.sqlite'), systemClock).close();
      expect(indexes(city.replicaFile)).toEqual(indexes(join(dir, 'replica.sqlite')));
      expect(indexes(city.hubFile)).toEqual(indexes(join(dir, 'hub.sqlite')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens as a replica at the head with one current alert per thread', () => {
    const replica = new Replica({ file: city.replicaFile, migrationsDir, consoleId: 'bench-city' });
    try {
      expect(replica.cursor()).toBe(city.head);
      expect(
        replica.db.prepare("SELECT count(*) FROM alerts WHERE lifecycle = 'current'").pluck().get(),
      ).toBe(city.threads);
    } finally {
      replica.close();
    }
  });
});
