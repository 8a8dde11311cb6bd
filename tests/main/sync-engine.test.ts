import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import type { ConnectionStatus } from '../../shared/api';
import { Replica } from '../../main/replica/replica';
import { backoffDelay, SyncEngine, type SyncEngineOptions } from '../../main/sync/engine';
import { alertEvent, alertIdOfSeq, assetEvent, tempDir } from './fixtures';
import { eventually, startStubHub, type StubHub } from './stub-hub';

let dir: string;
let cleanup: () => void;
let hub: StubHub;
let replica: Replica;
let engine: SyncEngine | null;
let clock: ManualClock;
let statuses: ConnectionStatus[];

const fast = { delayMs: 10, maxDelayMs: 50, jitter: 0.5 };

function startEngine(extra: Partial<SyncEngineOptions> = {}): SyncEngine {
  statuses = [];
  const e: SyncEngine = new SyncEngine({
    replica,
    hubUrl: hub.url,
    token: 'good',
    clock,
    reconnect: fast,
    ackTimeoutMs: 2_000,
    onChange: (c) => {
      if (c.status) statuses.push(e.status());
    },
    ...extra,
  });
  e.start();
  engine = e;
  return e;
}

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  replica = new Replica({ file: path.join(dir, 'replica.sqlite'), clock, consoleId: 'console-a' });
  hub = await startStubHub();
  engine = null;
});
afterEach(async () => {
  await engine?.close();
  replica.close();
  await hub.close();
  cleanup();
});

const seqs = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) =>
    i % 3 === 0 ? assetEvent(from + i, `asset-${(from + i) % 50}`) : alertEvent(from + i),
  );

describe('sync engine against a scripted hub', () => {
  it('pulls until head, reporting progress, then goes online', async () => {
    hub.append(seqs(230), { broadcast: false });
    const e = startEngine({ pullLimit: 50 });
    await eventually(() => e.status().state === 'online' && e.status().cursor === 230, 'online at head');
    expect(replica.log(0, 1000).map((x) => x.seq)).toEqual(hub.log.map((x) => x.seq));
    const catching = statuses.filter((s) => s.state === 'catching-up');
    expect(catching.length).toBeGreaterThan(1);
    expect(catching.map((s) => s.cursor)).toEqual([...catching.map((s) => s.cursor)].sort((a, b) => a - b));
    expect(e.status()).toMatchObject({ head: 230, officer: { name: 'Officer Ada', role: 'officer' }, lastError: null });
    expect(e.counters.pulls).toBeGreaterThanOrEqual(5);
    expect(replica.hubId()).toBe('stub-hub');
  });

  it('applies live batches, and a gap makes it pull', async () => {
    hub.append(seqs(3), { broadcast: false });
    const e = startEngine();
    await eventually(() => e.status().state === 'online');
    hub.append(seqs(2, 4));
    await eventually(() => replica.cursor() === 5);
    hub.append(seqs(2, 6), { broadcast: false }); // lost on the way
    hub.append(seqs(1, 8));
    await eventually(() => replica.cursor() === 8, 'gap closed by a pull');
    expect(e.counters.gaps).toBeGreaterThanOrEqual(1);
    expect(replica.log().map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('counts and ignores malformed messages; a bad log entry stops the apply at its seq', async () => {
    const e = startEngine();
    await eventually(() => e.status().state === 'online');
    hub.sendRaw('events', { nonsense: true });
    hub.sendRaw('events', 'x');
    await eventually(() => e.counters.badMessages === 2);
    hub.append(seqs(1));
    await eventually(() => replica.cursor() === 1);
    hub.sendRaw('events', { events: [{ ...alertEvent(2), type: 'alert.teleported' }], head: 2 });
    await eventually(() => e.counters.badEvents >= 1);
    expect(replica.cursor()).toBe(1);
    expect(e.status().lastError?.code).toBe('SCHEMA_MISMATCH');
  });

  it('a token the hub does not accept leaves the console refused, with a reason', async () => {
    const e = startEngine({ token: 'forged' });
    await eventually(() => e.status().state === 'refused');
    expect(e.status().lastError).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(e.status().since).toBe(new Date(clock.now()).toISOString());
  });

  it('refuses to mix in a log from another hub, or one shorter than its own', async () => {
    hub.append(seqs(5), { broadcast: false });
    replica.applyEvents(hub.log);
    replica.setHubId('some-other-hub');
    const e = startEngine();
    await eventually(() => e.status().state === 'refused');
    expect(e.status().lastError).toMatchObject({ code: 'STALE_CURSOR', message: expect.stringMatching(/another hub/) });
    await e.close();
    replica.setHubId('stub-hub');
    hub.log.splice(3); // the hub lost its last entries
    const e2 = startEngine();
    await eventually(() => e2.status().state === 'refused');
    expect(e2.status().lastError?.message).toMatch(/log ends at 3/);
    expect(replica.cursor()).toBe(5);
  });

  it('reconnects after the hub cuts it, and catches up what it missed', async () => {
    const e = startEngine();
    await eventually(() => e.status().state === 'online');
    clock.advance(1_000);
    hub.disconnectAll();
    await eventually(() => statuses.some((s) => s.state === 'offline'));
    const offline = statuses.find((s) => s.state === 'offline')!;
    expect(offline.since).toBe('2026-11-28T10:00:01.000Z');
    expect(offline.lastError?.code).toBe('OFFLINE');
    hub.append(seqs(40), { broadcast: false });
    await eventually(() => e.status().state === 'online' && replica.cursor() === 40, 'back online and caught up');
    expect(e.counters.connects).toBeGreaterThanOrEqual(2);
  });

  it('flushes the outbox in order after catch-up: accepted → confirmed, refused → rejected with the reason', async () => {
    hub.append(seqs(3), { broadcast: false });
    // Actions made offline, before the engine ever connected.
    replica.applyEvents(hub.log);
    const a = replica.acknowledgeAlert({ alertId: alertIdOfSeq(2) }).mutationId;
    const b = replica.acknowledgeAlert({ alertId: alertIdOfSeq(3) }).mutationId;
    hub.refuseNext({ code: 'CONFLICT', message: 'Officer Bo acknowledged this alert first.' });
    const e = startEngine();
    await eventually(
      () => replica.outbox().every((r) => r.state === 'confirmed' || r.state === 'rejected'),
      'all answered',
    );
    const rows = replica.outbox();
    expect(rows.map((r) => [r.id, r.state])).toEqual([
      [a, 'rejected'],
      [b, 'confirmed'],
    ]);
    expect(rows[0]!.error).toEqual({ code: 'CONFLICT', message: 'Officer Bo acknowledged this alert first.' });
    expect((hub.mutations as Array<{ id: string }>).map((m) => m.id)).toEqual([a, b]);
    await eventually(() => replica.cursor() === 4);
    expect(replica.alertSummaries([alertIdOfSeq(3)])[0]).toMatchObject({
      pendingAck: false,
      ack: { by: 'Officer Ada' },
    });
    expect(e.status().pendingActions).toBe(0);
  });

  it('keeps actions pending while the hub is away and sends them when it is back', async () => {
    hub.append(seqs(2), { broadcast: false });
    const e = startEngine();
    await eventually(() => e.status().state === 'online' && replica.cursor() === 2);
    const url = hub.url;
    await hub.close();
    await eventually(() => e.status().state === 'offline');
    const m = replica.acknowledgeAlert({ alertId: alertIdOfSeq(2) }).mutationId;
    e.notifyOutbox();
    expect(replica.outbox()[0]).toMatchObject({ id: m, state: 'pending' });
    expect(e.status().pendingActions).toBe(1);
    // The same port, a fresh hub with the same log.
    hub = await startStubHub({ port: Number(new URL(url).port), log: hub.log });
    await eventually(() => replica.outbox()[0]?.state === 'confirmed', 'confirmed after reconnect');
    expect(e.status()).toMatchObject({ state: 'online', pendingActions: 0 });
  });
});

describe('reconnect backoff', () => {
  it('doubles up to the ceiling and spreads each delay by the jitter', () => {
    const policy = { delayMs: 500, maxDelayMs: 10_000, jitter: 0.5 };
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => backoffDelay(policy, n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
    expect(backoffDelay(policy, 2, () => 0)).toBe(1000);
    expect(backoffDelay(policy, 2, () => 1)).toBe(3000);
    expect(backoffDelay({ ...policy, jitter: 0 }, 2, Math.random)).toBe(2000);
  });
});
