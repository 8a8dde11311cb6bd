import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock';
import { ErrorAck, HelloAck, MAX_PULL, PullAck, SnapshotAck } from '../../shared/protocol';
import { startHub, type Hub } from '../../hub/server';
import { HubStore } from '../../hub/store/hubStore';
import { migrate } from '../../hub/store/migrate';
import { SnapshotDesk } from '../../hub/store/snapshots';
import { acknowledge, ask, consoleFor, eventually, tempDir } from './helpers';

/** The hub's state tables (what mutations are decided against): retention must not touch them. */
const STATE_TABLES = [
  'alerts',
  'intake_seen',
  'incidents',
  'incident_alerts',
  'units',
  'activity_log',
  'checklist_steps',
  'mutations',
];
const dumpState = (db: Database.Database) =>
  Object.fromEntries(STATE_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));

describe('hub retention (issue 5)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const hubIn = async (options: { retainEvents?: number } = {}): Promise<{ hub: Hub; dir: string }> => {
    const t = tempDir();
    const hub = await startHub({ dataDir: t.dir, port: 0, batchMs: 5, ...options });
    cleanups.push(
      () => t.remove(),
      () => hub.close(),
    );
    return { hub, dir: t.dir };
  };
  const open = async (hub: Hub): Promise<Socket> => {
    const s = await consoleFor(hub);
    cleanups.push(() => void s.close());
    return s;
  };

  it('migration 0006 adds snapshot_base (STRICT, JSON payload) to a store at schema 5, log untouched', () => {
    const t = tempDir();
    const db = new Database(join(t.dir, 'hub.sqlite'));
    cleanups.push(() => {
      db.close();
      t.remove();
    });
    migrate(db, { target: 5 });
    db.prepare("INSERT INTO events (seq, type, at, payload) VALUES (1, 'asset.upserted', 'now', '{}')").run();
    migrate(db, { target: 6 });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    const insert = db.prepare(
      'INSERT INTO snapshot_base (seq, type, at, mutation_id, payload, asset_id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    insert.run(1, 'asset.upserted', 'now', null, '{"id":"BR-1"}', 'BR-1');
    expect(() => insert.run('two', 'x', 'now', null, '{}', null)).toThrow();
    expect(() => insert.run(3, 'x', 'now', null, 'not json', null)).toThrow();
  });

  it('compactLog: drops entries below beforeSeq, keeps what still shapes the state, leaves state tables alone', async () => {
    const { hub, dir } = await hubIn();
    await hub.simulate(600); // the city (231 assets, 64 units) and 600 sensor entries
    const s = await open(hub);
    await ask(s, 'hello', { consoleId: 'c', cursor: 0, schema: 1 });
    const pulled = PullAck.parse(await ask(s, 'pull', { after: 0, limit: MAX_PULL }));
    const alert = pulled.events.find((e) => e.type === 'alert.received');
    expect(alert).toBeDefined();
    await ask(s, 'mutate', acknowledge(alert!.type === 'alert.received' ? alert!.payload.alertId : ''));
    await hub.close();

    const store = HubStore.open(join(dir, 'hub.sqlite'), systemClock);
    try {
      const head = store.head();
      const before = dumpState(store.db);
      const log = store.read(0, 100_000);
      expect(log).toHaveLength(head);

      expect(store.compactLog(400)).toEqual({ tail: 400, removed: 399 });
      expect(store.tail()).toBe(400);
      expect(store.head()).toBe(head);
      expect(store.read(0, 10)[0]!.seq).toBe(400);
      expect(dumpState(store.db)).toEqual(before);
      // idempotent, and never backwards
      expect(store.compactLog(400)).toEqual({ tail: 400, removed: 0 });
      expect(store.compactLog(10)).toEqual({ tail: 400, removed: 0 });

      // base = every compacted entry except asset upserts a later upsert of the same asset replaced
      const newestUpsert = new Map<string, number>();
      for (const e of log.filter((e) => e.seq < 400))
        if (e.type === 'asset.upserted') newestUpsert.set(e.payload.id, e.seq);
      const expected = log
        .filter((e) => e.seq < 400)
        .filter((e) => e.type !== 'asset.upserted' || newestUpsert.get(e.payload.id) === e.seq)
        .map((e) => e.seq);
      const base = store.db.prepare('SELECT seq FROM snapshot_base ORDER BY seq').pluck().all();
      expect(base).toEqual(expected);

      // past the head: stops at head + 1, and the head survives an empty log
      expect(store.compactLog(head + 1_000)).toEqual({ tail: head + 1, removed: head - 399 });
      expect(store.head()).toBe(head);
      expect(store.read(0, 10)).toEqual([]);
      expect(dumpState(store.db)).toEqual(before);
      const [next] = store.append([{ type: 'asset.upserted', payload: firstAsset(log) }]);
      expect(next!.seq).toBe(head + 1);
    } finally {
      store.close();
    }
  });

  it('startHub({ retainEvents }) keeps the newest N; hello reports the tail; a pull behind it is STALE_CURSOR', async () => {
    const { hub } = await hubIn({ retainEvents: 100 });
    await hub.simulate(500);
    const head = hub.head();
    await eventually(() => hub.metrics().tail === head - 99);
    const s = await open(hub);
    const hello = HelloAck.parse(await ask(s, 'hello', { consoleId: 'c', cursor: 0, schema: 1 }));
    expect(hello).toMatchObject({ head, tail: head - 99 });
    const stale = ErrorAck.parse(await ask(s, 'pull', { after: head - 101, limit: 10 }));
    expect(stale.error.code).toBe('STALE_CURSOR');
    const ok = PullAck.parse(await ask(s, 'pull', { after: head - 100, limit: MAX_PULL }));
    expect(ok.events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => head - 99 + i));
    // the handle compacts on demand too
    expect(hub.compact(head - 10)).toBe(head - 10);
    expect(hub.compact(head - 50)).toBe(head - 10);
    expect(HelloAck.parse(await ask(s, 'hello', { consoleId: 'c', cursor: 0, schema: 1 })).tail).toBe(head - 10);
  });

  it('snapshot: pages as of one seq, unchanged by appends and compactions during the fetch', async () => {
    const { hub } = await hubIn();
    await hub.simulate(1_000);
    const s = await open(hub);
    await ask(s, 'hello', { consoleId: 'c', cursor: 0, schema: 1 });
    const full = PullAck.parse(await ask(s, 'pull', { after: 0, limit: MAX_PULL })).events;
    hub.compact(700);
    const asOf = hub.head();

    const first = SnapshotAck.parse(await ask(s, 'snapshot', { after: 0, limit: 300 }));
    expect(first).toMatchObject({ asOf, tail: 700, done: false });
    // the hub moves on while the console fetches: more entries, a further compaction
    await hub.simulate(300);
    hub.compact(hub.head() - 5);
    const pages = [first];
    while (!pages.at(-1)!.done) {
      const last = pages.at(-1)!;
      pages.push(
        SnapshotAck.parse(
          await ask(s, 'snapshot', { snapshotId: last.snapshotId, after: last.events.at(-1)!.seq, limit: 300 }),
        ),
      );
    }
    const got = pages.flatMap((p) => p.events);
    expect(pages.every((p) => p.asOf === asOf && p.snapshotId === first.snapshotId)).toBe(true);
    // everything from the tail on, verbatim; below it every entry but replaced asset upserts
    expect(got.filter((e) => e.seq >= 700)).toEqual(full.filter((e) => e.seq >= 700));
    const below = got.filter((e) => e.seq < 700);
    expect(below).toEqual(full.filter((e) => below.some((b) => b.seq === e.seq)));
    expect(full.filter((e) => e.seq < 700 && e.type !== 'asset.upserted').length).toBe(
      below.filter((e) => e.type !== 'asset.upserted').length,
    );
    expect(got.map((e) => e.seq)).toEqual([...got.map((e) => e.seq)].sort((a, b) => a - b));

    // the finished snapshot is closed: its id is unknown now
    const gone = ErrorAck.parse(await ask(s, 'snapshot', { snapshotId: first.snapshotId, after: 0, limit: 10 }));
    expect(gone.error.code).toBe('NOT_FOUND');
    const bad = ErrorAck.parse(await ask(s, 'snapshot', { after: -1, limit: 10 }));
    expect(bad.error.code).toBe('BAD_REQUEST');
    expect(hub.metrics().messages.snapshot).toBe(pages.length + 2);
  });

  it('snapshot desk: an idle snapshot closes, the least recently used one is evicted past maxOpen', async () => {
    const { hub, dir } = await hubIn();
    await hub.simulate(50);
    const desk = new SnapshotDesk(join(dir, 'hub.sqlite'), { idleMs: 100, maxOpen: 2 });
    cleanups.push(() => desk.close());
    const a = desk.begin(10);
    const b = desk.begin(10);
    expect(desk.next(a.snapshotId, a.events.at(-1)!.seq, 10)).not.toBeNull(); // a is now the most recent
    desk.begin(10); // evicts b
    expect(desk.next(b.snapshotId, b.events.at(-1)!.seq, 10)).toBeNull();
    expect(desk.openCount()).toBe(2);
    await new Promise((r) => setTimeout(r, 250));
    expect(desk.openCount()).toBe(0);
    expect(desk.next(a.snapshotId, 20, 10)).toBeNull();
  });

  it('CLI serve --retain N keeps the newest N entries (the demo city is 295)', async () => {
    const t = tempDir();
    cleanups.push(() => t.remove());
    const root = resolve(__dirname, '../..');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'hub/cli.ts'),
        'serve',
        '--port',
        '0',
        '--data',
        t.dir,
        '--simulate',
        'demo-city',
        '--rate',
        '0',
        '--retain',
        '100',
      ],
      { cwd: root },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    cleanups.push(async () => {
      child.kill('SIGTERM');
      await exited;
    });
    const url = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) res(m[1]!);
      });
      child.once('exit', (code) => rej(new Error(`hub exited ${code}`)));
    });
    const health = await eventually(async () => {
      const h = (await (await fetch(`${url}/health`)).json()) as { head: number; tail: number };
      return h.tail === 196 ? h : null; // the city, compacted, then the roster a second later
    });
    expect(health).toMatchObject({ head: 295, tail: 196 });
  });
});

function firstAsset(log: ReturnType<HubStore['read']>) {
  const e = log.find((x) => x.type === 'asset.upserted');
  if (!e || e.type !== 'asset.upserted') throw new Error('no asset on the log');
  return e.payload;
}
