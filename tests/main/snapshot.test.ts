import { existsSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import { CONSOLE_NAMESPACE, PROTOCOL_SCHEMA, SnapshotAck, Wire } from '../../shared/protocol';
import { Replica } from '../../main/replica/replica';
import {
  LOCAL_TABLES,
  SNAPSHOT_TABLES,
  discardStaging,
  rebuildFromSnapshot,
  stagingFileOf,
} from '../../main/replica/snapshot';
import { SyncEngine } from '../../main/sync/engine';
import { systemClock } from '../../shared/clock';
import { tempDir } from './fixtures';
import { dumpReplica, metaOf, outboxOf } from './replica-dump';
import { eventually } from './stub-hub';

/**
 * Snapshot rebuild (issue 5) in one process: the real hub on 127.0.0.1, replicas in real
 * SQLite files, the rebuild driven through a real Socket.IO connection so a test can hold,
 * corrupt or abandon pages. The whole console (worker, engine) is in snapshot-rebuild.test.ts.
 */

const fast = { delayMs: 30, maxDelayMs: 300, jitter: 0.2 };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hubWith(entries: number): Promise<Hub> {
  const t = tempDir('watchfloor-snap-hub-');
  const hub = await startHub({ dataDir: t.dir, port: 0, batchMs: 5 });
  cleanups.push(t.cleanup, () => hub.close());
  await hub.simulate(entries);
  return hub;
}

function replicaFile(): string {
  const t = tempDir('watchfloor-snap-console-');
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'replica.sqlite');
}

/** A replica synced to the hub's head by the real engine, then disconnected. */
async function synced(hub: Hub, file: string, token: string): Promise<Replica> {
  const replica = new Replica({ file });
  const engine = new SyncEngine({ replica, hubUrl: hub.url, token, reconnect: fast });
  engine.start();
  await eventually(() => engine.status().state === 'online' && replica.cursor() === hub.head(), 'synced');
  await engine.close();
  return replica;
}

async function socketOn(hub: Hub, token: string, cursor: number): Promise<Socket> {
  const socket = io(`${hub.url}${CONSOLE_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  cleanups.push(() => void socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await socket.emitWithAck(Wire.hello, { consoleId: 'snap-test', cursor, schema: PROTOCOL_SCHEMA });
  return socket;
}

/** Officer actions written while the hub is unreachable: an acknowledgement, an incident, a log entry. */
function actOffline(replica: Replica): { alertId: string; incidentId: string } {
  const alertId = replica.alertQueue().find((a) => !a.ack)!.id;
  replica.acknowledgeAlert({ alertId });
  const { incidentId } = replica.response.openIncident(
    { title: 'Offline: river gauge', incidentType: 'flooding', priority: 2 },
    () => true,
  );
  replica.response.appendLog({ incidentId, text: 'Opened while the hub was unreachable.' });
  return { alertId, incidentId };
}

describe('snapshot rebuild (issue 5)', { timeout: 120_000 }, () => {
  it('every replica table is either rebuilt from the snapshot or kept as this console’s own', () => {
    const replica = new Replica({ file: replicaFile() });
    cleanups.push(() => replica.close());
    const tables = replica.db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table'
           AND name NOT IN (SELECT v.name || s.suffix FROM sqlite_schema v,
                (SELECT '_node' AS suffix UNION ALL SELECT '_rowid' UNION ALL SELECT '_parent') s
               WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%')`,
      )
      .pluck()
      .all() as string[];
    const classified = new Set<string>([...SNAPSHOT_TABLES, ...LOCAL_TABLES]);
    // A new table must be put in one list: rebuilt from the hub, or kept through a rebuild.
    expect(tables.filter((t) => !classified.has(t))).toEqual([]);
  });

  it('swaps the hub state in at one seq, keeps the outbox, and the pending actions still show', async () => {
    const hub = await hubWith(1_500);
    const token = await hub.issueToken({ role: 'officer', name: 'Bea Offline' });
    const file = replicaFile();
    const replica = await synced(hub, file, token);
    cleanups.push(() => replica.close());
    const { alertId, incidentId } = actOffline(replica);
    const outboxBefore = outboxOf(file);
    const consoleId = replica.consoleId;

    await hub.simulate(1_500);
    hub.compact(hub.head() - 20);
    const socket = await socketOn(hub, token, replica.cursor());
    const progress: number[] = [];
    const outcome = await rebuildFromSnapshot({
      replica,
      clock: systemClock,
      ask: (payload) => socket.emitWithAck(Wire.snapshot, payload),
      current: () => socket.connected,
      onProgress: (p) => progress.push(p.received),
      pageSize: 500,
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.asOf).toBe(hub.head());
    expect(progress.length).toBeGreaterThan(2);
    expect(replica.cursor()).toBe(hub.head());
    expect(metaOf(file)).toMatchObject({ cursor: hub.head(), hub_id: hub.hubId, console_id: consoleId });
    expect(existsSync(stagingFileOf(file))).toBe(false);
    // the outbox is untouched and the local effects are replayed over the new state
    expect(outboxOf(file)).toEqual(outboxBefore);
    expect(replica.pendingCount()).toBe(3);
    expect(replica.alertSummaries([alertId])[0]).toMatchObject({ pendingAck: true });
    const incident = replica.response.incidents().find((i) => i.id === incidentId);
    expect(incident).toMatchObject({ pending: true, title: 'Offline: river gauge' });

    // equal, row for row, to a console that synced from scratch
    const fresh = replicaFile();
    const other = await synced(hub, fresh, token);
    other.close();
    expect(dumpReplica(file)).toEqual(dumpReplica(fresh));
  });

  it('a bad snapshot page is refused with BAD_REQUEST and changes nothing', async () => {
    const hub = await hubWith(800);
    const token = await hub.issueToken({ role: 'officer', name: 'Bea Offline' });
    const file = replicaFile();
    const replica = await synced(hub, file, token);
    cleanups.push(() => replica.close());
    actOffline(replica);
    await hub.simulate(800);
    hub.compact(hub.head());
    const before = { dump: dumpReplica(file), meta: metaOf(file), outbox: outboxOf(file) };

    const corruptions: [string, (page: SnapshotAck) => unknown][] = [
      ['out of order', (p) => ({ ...p, events: [...p.events].reverse() })],
      ['beyond asOf', (p) => ({ ...p, asOf: p.events[0]!.seq - 1 })],
      [
        'not a log entry',
        (p) => ({ ...p, events: [{ ...p.events[0], type: 'alert.received', payload: { nope: 1 } }] }),
      ],
      ['another snapshot', (p) => ({ ...p, snapshotId: 'someone-else' })],
    ];
    for (const [what, corrupt] of corruptions) {
      const socket = await socketOn(hub, token, replica.cursor());
      let pages = 0;
      const outcome = await rebuildFromSnapshot({
        replica,
        clock: systemClock,
        ask: async (payload) => {
          const raw = SnapshotAck.parse(await socket.emitWithAck(Wire.snapshot, payload));
          // the second page is the bad one: the first has already gone into staging
          return ++pages === 2 ? corrupt(raw) : raw;
        },
        current: () => socket.connected,
        pageSize: 300,
      });
      expect(outcome, what).toMatchObject({ ok: false, stale: false, error: { code: 'BAD_REQUEST' } });
      expect(existsSync(stagingFileOf(file)), what).toBe(false);
      expect({ dump: dumpReplica(file), meta: metaOf(file), outbox: outboxOf(file) }, what).toEqual(before);
      socket.close();
    }
  });

  it('a crash mid-snapshot leaves the old replica; the next start discards the staging file and rebuilds', async () => {
    const hub = await hubWith(1_200);
    const token = await hub.issueToken({ role: 'officer', name: 'Bea Offline' });
    const file = replicaFile();
    const replica = await synced(hub, file, token);
    actOffline(replica);
    await hub.simulate(1_200);
    hub.compact(hub.head() - 5);
    const before = { dump: dumpReplica(file), meta: metaOf(file), outbox: outboxOf(file) };

    // The third page never comes: the process "dies" there, with staging half filled.
    const socket = await socketOn(hub, token, replica.cursor());
    let pages = 0;
    let stuck!: () => void;
    const reachedThird = new Promise<void>((r) => (stuck = r));
    void rebuildFromSnapshot({
      replica,
      clock: systemClock,
      ask: (payload) => {
        if (++pages === 3) {
          stuck();
          return new Promise(() => {});
        }
        return socket.emitWithAck(Wire.snapshot, payload);
      },
      current: () => true,
      pageSize: 300,
    });
    await reachedThird;
    expect(existsSync(stagingFileOf(file))).toBe(true);
    expect({ dump: dumpReplica(file), meta: metaOf(file), outbox: outboxOf(file) }).toEqual(before);
    replica.close(); // the crash: the staging connection is never closed, its file stays

    // Next start: the engine throws the staging file away, rebuilds, then flushes the outbox.
    const again = new Replica({ file });
    cleanups.push(() => again.close());
    const engine = new SyncEngine({ replica: again, hubUrl: hub.url, token, reconnect: fast });
    expect(existsSync(stagingFileOf(file))).toBe(false);
    engine.start();
    cleanups.push(() => engine.close());
    await eventually(
      () => engine.status().state === 'online' && again.pendingCount() === 0 && again.cursor() === hub.head(),
      'rebuilt and flushed',
    );
    expect(engine.counters.rebuilds).toBe(1);
    expect(outboxOf(file).map((r) => r.state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  });

  it('discardStaging removes a staging replica and its WAL files, and nothing else', () => {
    const file = replicaFile();
    const r = new Replica({ file });
    const staging = r.openSibling(stagingFileOf(file));
    staging.close();
    r.close();
    expect(existsSync(stagingFileOf(file))).toBe(true);
    expect(discardStaging(file)).toBe(true);
    expect(existsSync(stagingFileOf(file))).toBe(false);
    expect(existsSync(file)).toBe(true);
    expect(discardStaging(file)).toBe(false);
    // an in-memory replica stages in memory: no file appears in the working directory
    expect(stagingFileOf(':memory:')).toBe(':memory:');
    expect(discardStaging(':memory:')).toBe(false);
  });
});
