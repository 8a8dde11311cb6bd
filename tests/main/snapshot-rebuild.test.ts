import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import { invokeChannels, type ConnectionStatus } from '../../shared/api';
import type { AlertSummary } from '../../shared/domain/alert';
import { CONSOLE_NAMESPACE, MutateAck, PROTOCOL_SCHEMA, Wire } from '../../shared/protocol';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { stagingFileOf } from '../../main/replica/snapshot';
import type { SyncCounters } from '../../main/sync/engine';
import { tempDir } from './fixtures';
import { dumpReplica, eventsOf, metaOf, openReplicaFile, outboxOf } from './replica-dump';
import { eventually } from './stub-hub';

/**
 * Issue 5, the whole console: replica worker, sync engine, real hub on 127.0.0.1, real SQLite.
 * A console offline with pending actions while the hub moves on and compacts past its cursor
 * rebuilds from the snapshot and ends equal, row for row, to a console that applied the whole
 * log and to one that started from nothing; every action it made is on the hub exactly once.
 */

const fast = { delayMs: 50, maxDelayMs: 300, jitter: 0.2 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch {
      // already closed by the test
    }
  }
});

function dir(name: string): string {
  const t = tempDir(`watchfloor-${name}-`);
  cleanups.push(t.cleanup);
  return t.dir;
}

async function open(hub: { url: string }, token: string, dataDir: string): Promise<ConsoleHost> {
  const host = await startConsoleHost({ dataDir, hubUrl: hub.url, token, reconnect: fast });
  cleanups.push(() => host.close());
  return host;
}

async function value<T>(
  p: Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}
const status = (h: ConsoleHost) => value<ConnectionStatus>(h.call('getStatus'));
const counters = (h: ConsoleHost) => value<SyncCounters>(h.call('getSyncCounters'));

async function settled(h: ConsoleHost, hub: Hub): Promise<void> {
  await eventually(async () => {
    const s = await status(h);
    return s.state === 'online' && s.pendingActions === 0 && s.cursor === hub.head();
  }, 'online, caught up, outbox flushed');
}

/** Affected assets are computed after the apply (decision 0029): wait until none is queued. */
async function drained(file: string): Promise<void> {
  await eventually(() => {
    const db = openReplicaFile(file);
    try {
      const has = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'affected_pending'").get();
      return !has || (db.prepare('SELECT count(*) AS n FROM affected_pending').get() as { n: number }).n === 0;
    } finally {
      db.close();
    }
  }, 'affected assets computed');
}

describe('snapshot rebuild, whole console (issue 5)', { timeout: 600_000 }, () => {
  it('offline with pending actions past the retention: rebuilds, equals full-log and fresh consoles, actions once', async () => {
    const hubDir = dir('hub');
    const hub = await startHub({ dataDir: hubDir, port: 0, batchMs: 5 });
    cleanups.push(() => hub.close());
    await hub.simulate(600);
    const ada = await hub.issueToken({ role: 'officer', name: 'Ada Online' });
    const bea = await hub.issueToken({ role: 'officer', name: 'Bea Offline' });
    const dirA = dir('console-a');
    const dirB = dir('console-b');
    const fileA = path.join(dirA, 'replica.sqlite');
    const fileB = path.join(dirB, 'replica.sqlite');

    const a = await open(hub, ada, dirA);
    let b = await open(hub, bea, dirB);
    await settled(a, hub);
    await settled(b, hub);
    await b.close();

    // B works offline (the hub's address answers nothing): three actions in its outbox.
    const offline = await open({ url: 'http://127.0.0.1:9' }, bea, dirB);
    const queue = await value<{ alerts: AlertSummary[] }>(offline.invoke(invokeChannels.getSnapshot.name, undefined));
    const [ackB, ackA] = queue.alerts.filter((x) => !x.ack);
    await value(offline.invoke(invokeChannels.acknowledgeAlert.name, { alertId: ackB!.id }));
    const { incidentId } = await value<{ incidentId: string }>(
      offline.invoke(invokeChannels.openIncident.name, {
        title: 'Levee seepage at gauge 4',
        incidentType: 'flooding',
        priority: 2,
      }),
    );
    await value(
      offline.invoke(invokeChannels.appendLog.name, { incidentId, text: 'Opened offline; sandbags requested.' }),
    );
    expect((await status(offline)).pendingActions).toBe(3);
    await offline.close();
    const outboxDb = openReplicaFile(fileB);
    const outbox = outboxDb.prepare('SELECT id, type, payload, hlc FROM outbox ORDER BY ord').all() as {
      id: string;
      type: string;
      payload: string;
      hlc: string;
    }[];
    outboxDb.close();
    expect(outbox).toHaveLength(3);

    // Its first action reached the hub before the outage; the answer never came back.
    const raw = io(`${hub.url}${CONSOLE_NAMESPACE}`, {
      auth: { token: bea },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((r) => raw.once('connect', () => r()));
    await raw.emitWithAck(Wire.hello, { consoleId: 'b-before-outage', cursor: 0, schema: PROTOCOL_SCHEMA });
    const first = outbox[0]!;
    expect(
      MutateAck.parse(
        await raw.emitWithAck(Wire.mutate, {
          id: first.id,
          type: first.type,
          payload: JSON.parse(first.payload),
          hlc: first.hlc,
        }),
      ).ok,
    ).toBe(true);
    raw.close();

    // The hub moves on (alerts, A's own actions) and compacts past B's cursor.
    await hub.simulate(600);
    await value(a.invoke(invokeChannels.acknowledgeAlert.name, { alertId: ackA!.id }));
    await value(
      a.invoke(invokeChannels.openIncident.name, {
        title: 'Bridge B-12 strain',
        incidentType: 'bridge-structural',
        priority: 1,
      }),
    );
    await settled(a, hub);
    const cursorB = metaOf(fileB).cursor;
    expect(hub.compact(hub.head() - 10)).toBe(hub.head() - 10);
    expect(cursorB).toBeLessThan(hub.head() - 11);

    // B comes back: 'rebuilding' is shown, then it pulls, flushes and settles.
    b = await open(hub, bea, dirB);
    const states = new Set<string>();
    b.onPush((_channel, payload) => {
      const s = (payload as { status?: ConnectionStatus }).status;
      if (s) states.add(s.state);
    });
    await settled(b, hub);
    expect(states.has('rebuilding')).toBe(true);
    expect((await counters(b)).rebuilds).toBe(1);
    await settled(a, hub);

    // A console started from nothing now rebuilds too.
    const dirC = dir('console-c');
    const c = await open(hub, ada, dirC);
    await settled(c, hub);
    const fileC = path.join(dirC, 'replica.sqlite');
    for (const f of [fileA, fileB, fileC]) await drained(f);
    await Promise.all([a.close(), b.close(), c.close()]);

    const full = dumpReplica(fileA);
    expect(dumpReplica(fileB)).toEqual(full);
    expect(dumpReplica(fileC)).toEqual(full);
    expect(existsSync(stagingFileOf(fileB))).toBe(false);
    // B's log is a subset of A's, entry for entry, and all of it from the tail on
    const eventsA = new Map(eventsOf(fileA).map((e) => [e.seq, e]));
    const eventsB = eventsOf(fileB);
    for (const e of eventsB) expect(e).toEqual(eventsA.get(e.seq));
    const tail = hub.metrics().tail;
    expect(eventsB.filter((e) => e.seq >= tail)).toHaveLength(hub.head() - tail + 1);

    // Every action of B: confirmed, and on the hub exactly once (one decision, one append).
    const rows = outboxOf(fileB);
    expect(rows.map((r) => r.state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    await hub.close();
    const hubDb = new Database(path.join(hubDir, 'hub.sqlite'), { readonly: true });
    try {
      for (const r of rows) {
        const decided = hubDb.prepare('SELECT answer FROM mutations WHERE id = ?').all(r.id) as { answer: string }[];
        expect(decided).toHaveLength(1);
        expect(JSON.parse(decided[0]!.answer)).toMatchObject({ ok: true });
        const seqs = [...eventsA.values()].filter((e) => e.mutation_id === r.id).map((e) => e.seq);
        expect(seqs.length).toBeGreaterThan(0);
        expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length); // one append, not two
        expect(seqs).toContain(r.hub_seq);
      }
    } finally {
      hubDb.close();
    }
  });

  it('the console closed mid-snapshot keeps its old replica and outbox, and rebuilds at the next start', async () => {
    const hub = await startHub({ dataDir: dir('hub'), port: 0, batchMs: 5 });
    cleanups.push(() => hub.close());
    await hub.simulate(500);
    const bea = await hub.issueToken({ role: 'officer', name: 'Bea Offline' });
    const dirB = dir('console-b');
    const fileB = path.join(dirB, 'replica.sqlite');
    let b = await open(hub, bea, dirB);
    await settled(b, hub);
    await b.close();
    const offline = await open({ url: 'http://127.0.0.1:9' }, bea, dirB);
    await value(offline.invoke(invokeChannels.appendLog.name, { incidentId: null, text: 'Radio check, offline.' }));
    await drained(fileB);
    await offline.close();
    // a snapshot big enough to take several pages on this machine
    await hub.simulate(6_000);
    hub.compact(hub.head());
    const before = { dump: dumpReplica(fileB), meta: metaOf(fileB), outbox: outboxOf(fileB) };

    b = await open(hub, bea, dirB);
    await eventually(async () => {
      const s = await status(b);
      return s.state === 'rebuilding' && (s.rebuild?.received ?? 0) > 0;
    }, 'fetching the snapshot');
    await b.close();
    expect({ dump: dumpReplica(fileB), meta: metaOf(fileB), outbox: outboxOf(fileB) }).toEqual(before);

    b = await open(hub, bea, dirB);
    await settled(b, hub);
    expect(existsSync(stagingFileOf(fileB))).toBe(false);
    expect(outboxOf(fileB).map((r) => r.state)).toEqual(['confirmed']);
  });
});
