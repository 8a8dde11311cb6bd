import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startHub, type Hub } from '../../hub/server';
import type { ConnectionStatus } from '../../shared/api';
import { type AlertSummary } from '../../shared/domain/alert';
import { CONSOLE_NAMESPACE, ErrorAck, HelloAck, PullAck, PROTOCOL_SCHEMA } from '../../shared/protocol';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import type { LogEntry } from '../../main/replica/replica';
import type { SyncCounters } from '../../main/sync/engine';
import { tempDir } from './fixtures';
import { eventually } from './stub-hub';

/**
 * The console core against the REAL hub (hub/server.ts) on 127.0.0.1: real Socket.IO,
 * real replica worker, real SQLite on both sides. Figures are printed, never asserted.
 */

const fast = { delayMs: 50, maxDelayMs: 500, jitter: 0.5 };
let dirs: Array<() => void> = [];
let hubs: Hub[] = [];
let hosts: ConsoleHost[] = [];

function dir(name: string): string {
  const t = tempDir(`watchfloor-${name}-`);
  dirs.push(t.cleanup);
  return t.dir;
}

async function hub(dataDir = dir('hub'), port = 0): Promise<Hub> {
  const h = await startHub({ dataDir, port, simulate: null });
  hubs.push(h);
  return h;
}

async function consoleOn(h: Hub, name: string, extra: { token?: string; dataDir?: string } = {}): Promise<ConsoleHost> {
  const token = extra.token ?? (await h.issueToken({ role: 'officer', name }));
  const host = await startConsoleHost({
    dataDir: extra.dataDir ?? dir(`console-${name}`),
    hubUrl: h.url,
    token,
    reconnect: fast,
  });
  hosts.push(host);
  return host;
}

async function status(host: ConsoleHost): Promise<ConnectionStatus> {
  const r = await host.call('getStatus');
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ConnectionStatus;
}

async function counters(host: ConsoleHost): Promise<SyncCounters> {
  const r = await host.call('getSyncCounters');
  if (!r.ok) throw new Error(r.error.message);
  return r.value as SyncCounters;
}

async function consoleLog(host: ConsoleHost): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for (;;) {
    const r = await host.call('getLog', { after: out.at(-1)?.seq ?? 0, limit: 5_000 });
    if (!r.ok) throw new Error(r.error.message);
    const page = r.value as LogEntry[];
    if (page.length === 0) return out;
    out.push(...page);
  }
}

/** The hub's log, pulled through the protocol by a bare client. */
async function hubLog(h: Hub): Promise<LogEntry[]> {
  const socket = await rawSocket(h, await h.issueToken({ role: 'supervisor', name: 'Auditor' }));
  try {
    await socket.timeout(5_000).emitWithAck('hello', { consoleId: 'auditor', cursor: 0, schema: PROTOCOL_SCHEMA });
    const out: LogEntry[] = [];
    for (;;) {
      const ack = PullAck.parse(
        await socket.timeout(10_000).emitWithAck('pull', { after: out.at(-1)?.seq ?? 0, limit: 5_000 }),
      );
      if (ack.events.length === 0) return out;
      out.push(
        ...ack.events.map((e) => ({
          seq: e.seq,
          type: e.type,
          at: e.at,
          mutationId: e.mutationId,
          payload: e.payload,
        })),
      );
      if (out.at(-1)!.seq >= ack.head) return out;
    }
  } finally {
    socket.disconnect();
  }
}

async function rawSocket(h: Hub, token: string): Promise<Socket> {
  const socket = io(`${h.url}${CONSOLE_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Same entries, once each, in seq order 1..n: nothing missing, nothing doubled. */
function expectSameLog(replica: LogEntry[], hubEntries: LogEntry[]): void {
  expect(replica.length).toBe(hubEntries.length);
  expect(replica.map((e) => e.seq)).toEqual(hubEntries.map((_, i) => i + 1));
  const strip = (e: LogEntry) => ({ seq: e.seq, type: e.type, mutationId: e.mutationId, payload: e.payload });
  expect(replica.map(strip)).toEqual(hubEntries.map(strip));
}

beforeEach(() => {
  dirs = [];
  hubs = [];
  hosts = [];
});
afterEach(async () => {
  await Promise.allSettled(hosts.map((h) => h.close()));
  await Promise.allSettled(hubs.map((h) => h.close()));
  for (const c of dirs) c();
});

// Real hubs, real workers, 10 000 events on a shared 2-core machine: generous bounds, nothing timed is asserted.
describe('console core against the real hub', { timeout: 300_000 }, () => {
  it('10 000 events with the connection cut three times: the replica equals the hub log', async () => {
    const h = await hub();
    const a = await consoleOn(h, 'Officer Ada');
    await eventually(async () => (await status(a)).state === 'online', 'console online');

    const connects = async () =>
      ((await a.call('getSyncCounters')) as { ok: true; value: { connects: number } }).value.connects;
    const started = performance.now();
    for (let cut = 0; cut < 3; cut++) {
      // Cut only a live connection, right after a burst: live batches are still on their way.
      await eventually(
        async () => (await connects()) === cut + 1 && (await status(a)).state !== 'offline',
        `connected (${cut + 1})`,
      );
      await h.simulate(2_500);
      h.disconnectAll();
    }
    await h.simulate(2_500);
    const head = h.head();
    expect(head).toBeGreaterThanOrEqual(10_000);
    await eventually(async () => (await status(a)).cursor === head, 'replica at head');
    const liveMs = performance.now() - started;
    expectSameLog(await consoleLog(a), await hubLog(h));
    const s = await status(a);
    expect(s).toMatchObject({ state: 'online', cursor: head, head });
    expect((await counters(a)).connects).toBeGreaterThanOrEqual(4);

    const applyA = await counters(a);

    // A fresh console catching up the whole log from nothing (timed from the worker being up).
    const b = await consoleOn(h, 'Officer Bo');
    const catchStart = performance.now();
    await eventually(async () => (await status(b)).cursor === head, 'fresh console caught up');
    const catchMs = performance.now() - catchStart;
    expectSameLog(await consoleLog(b), await hubLog(h));
    const applyB = await counters(b);
    const rate = (n: number, ms: number) => ((n / ms) * 1000).toFixed(0);
    console.log(
      `[figures] live stream with 3 cuts: ${head} events end to end in ${liveMs.toFixed(0)} ms (hub simulation included); ` +
        `replica apply ${rate(applyA.eventsApplied, applyA.applyMs)} events/s (${applyA.applyMs.toFixed(0)} ms in applyEvents)\n` +
        `[figures] fresh catch-up of ${head} events: ${catchMs.toFixed(0)} ms (${rate(head, catchMs)} events/s); ` +
        `replica apply ${rate(applyB.eventsApplied, applyB.applyMs)} events/s (${applyB.applyMs.toFixed(0)} ms in applyEvents, ${applyB.pulls} pulls)`,
    );
  });

  it('a hub restart in the middle: the console reconnects, catches up and delivers what was made meanwhile', async () => {
    const hubDir = dir('hub-restart');
    let h = await hub(hubDir);
    const port = h.port;
    const a = await consoleOn(h, 'Officer Ada');
    await h.simulate(3_000);
    await eventually(async () => (await status(a)).cursor === h.head(), 'first half');
    await h.close();
    hubs = hubs.filter((x) => x !== h);
    await eventually(async () => (await status(a)).state === 'offline', 'offline while the hub is down');

    // An action made while the hub is away stays pending, and shows.
    const snap = await a.invoke('watchfloor:getSnapshot', undefined);
    if (!snap.ok) throw new Error(snap.error.message);
    const target = (snap.value as { alerts: AlertSummary[] }).alerts.find((x) => x.ack === null);
    expect(target).toBeDefined();
    const ack = await a.invoke('watchfloor:acknowledgeAlert', { alertId: target!.id });
    expect(ack.ok).toBe(true);
    expect((await status(a)).pendingActions).toBe(1);

    h = await hub(hubDir, port);
    await h.simulate(3_000);
    await eventually(async () => {
      const s = await status(a);
      return s.state === 'online' && s.cursor === h.head() && s.pendingActions === 0;
    }, 'caught up after restart with the outbox delivered');
    expectSameLog(await consoleLog(a), await hubLog(h));
    const outbox = (await a.call('getOutbox')) as { ok: true; value: Array<{ state: string }> };
    expect(outbox.value.map((r) => r.state)).toEqual(['confirmed']);
  });

  it('a bad token is refused, with a reason for the officer', async () => {
    const h = await hub();
    const forged = await consoleOn(h, 'Mallory', { token: 'not-a-token' });
    await eventually(async () => (await status(forged)).state === 'refused', 'refused');
    expect((await status(forged)).lastError?.code).toBe('UNAUTHORIZED');
    // A token signed by another hub is no better.
    const other = await hub();
    const foreign = await consoleOn(h, 'Eve', { token: await other.issueToken({ role: 'officer', name: 'Eve' }) });
    await eventually(async () => (await status(foreign)).state === 'refused', 'foreign token refused');
  });

  it('a malformed pull is answered with an error and the connection stays up', async () => {
    const h = await hub();
    const socket = await rawSocket(h, await h.issueToken({ role: 'officer', name: 'Probe' }));
    HelloAck.parse(
      await socket.timeout(5_000).emitWithAck('hello', { consoleId: 'probe', cursor: 0, schema: PROTOCOL_SCHEMA }),
    );
    const answer = await socket.timeout(5_000).emitWithAck('pull', { after: -1, limit: 'all' });
    expect(ErrorAck.parse(answer).error.code).toBe('BAD_REQUEST');
    expect(socket.connected).toBe(true);
    PullAck.parse(await socket.timeout(5_000).emitWithAck('pull', { after: 0, limit: 10 }));
    socket.disconnect();
  });

  it('acknowledged on console A, confirmed by the hub, seen acknowledged on console B', async () => {
    const h = await hub();
    await h.simulate(500);
    const a = await consoleOn(h, 'Officer Ada');
    const b = await consoleOn(h, 'Officer Bo');
    await eventually(
      async () => (await status(a)).cursor === h.head() && (await status(b)).cursor === h.head(),
      'both at head',
    );
    const snap = await a.invoke('watchfloor:getSnapshot', undefined);
    if (!snap.ok) throw new Error(snap.error.message);
    const alert = (snap.value as { alerts: AlertSummary[] }).alerts.find((x) => x.ack === null)!;
    expect(alert).toBeDefined();

    const pushesOnB: AlertSummary[] = [];
    b.onPush((_channel, payload) => pushesOnB.push(...(payload as { alerts: AlertSummary[] }).alerts));
    const r = await a.invoke('watchfloor:acknowledgeAlert', {
      alertId: alert.id,
      disposition: 'relevant-some-impact',
      note: 'crew informed',
    });
    expect(r.ok).toBe(true);
    const mutationId = (r as { ok: true; value: { mutationId: string } }).value.mutationId;

    await eventually(async () => {
      const o = (await a.call('getOutbox')) as { ok: true; value: Array<{ id: string; state: string }> };
      return o.value.find((x) => x.id === mutationId)?.state === 'confirmed';
    }, 'confirmed on A');
    const onA = await a.invoke('watchfloor:getAlert', { alertId: alert.id });
    expect(onA).toMatchObject({
      ok: true,
      value: { summary: { pendingAck: false, ack: { by: 'Officer Ada', disposition: 'relevant-some-impact' } } },
    });

    await eventually(() => pushesOnB.some((x) => x.id === alert.id && x.ack?.by === 'Officer Ada'), 'pushed to B');
    const onB = await b.invoke('watchfloor:getAlert', { alertId: alert.id });
    expect(onB).toMatchObject({
      ok: true,
      value: { summary: { pendingAck: false, ack: { by: 'Officer Ada', note: 'crew informed' } } },
    });
    const logB = await consoleLog(b);
    expect(logB.some((e) => e.mutationId === mutationId && e.type === 'alert.acknowledged')).toBe(true);
  });
  it('two consoles acknowledge the same alert while the hub is down: one confirmed, the other refused with the reason', async () => {
    const hubDir = dir('hub-race');
    let h = await hub(hubDir);
    const port = h.port;
    await h.simulate(300);
    const a = await consoleOn(h, 'Officer Ada');
    const b = await consoleOn(h, 'Officer Bo');
    await eventually(
      async () => (await status(a)).cursor === h.head() && (await status(b)).cursor === h.head(),
      'both at head',
    );
    await h.close();
    hubs = hubs.filter((x) => x !== h);
    await eventually(
      async () => (await status(a)).state === 'offline' && (await status(b)).state === 'offline',
      'both offline',
    );

    const snap = await a.invoke('watchfloor:getSnapshot', undefined);
    if (!snap.ok) throw new Error(snap.error.message);
    const alert = (snap.value as { alerts: AlertSummary[] }).alerts.find((x) => x.ack === null)!;
    expect((await a.invoke('watchfloor:acknowledgeAlert', { alertId: alert.id })).ok).toBe(true);
    expect((await b.invoke('watchfloor:acknowledgeAlert', { alertId: alert.id })).ok).toBe(true);

    h = await hub(hubDir, port);
    type Row = { state: string; error: { code: string; message: string } | null };
    const outbox = async (host: ConsoleHost) => ((await host.call('getOutbox')) as { ok: true; value: Row[] }).value;
    await eventually(
      async () => (await status(a)).pendingActions === 0 && (await status(b)).pendingActions === 0,
      'both answered',
    );
    const rows = [...(await outbox(a)), ...(await outbox(b))];
    expect(rows.map((r) => r.state).sort()).toEqual(['confirmed', 'rejected']);
    const refused = rows.find((r) => r.state === 'rejected')!;
    expect(refused.error?.code).toBe('CONFLICT');
    expect(refused.error?.message).toMatch(/Already acknowledged/);

    // Both converge on the winner's acknowledgement; the loser's prediction is rolled back.
    const winner = (await outbox(a))[0]!.state === 'confirmed' ? 'Officer Ada' : 'Officer Bo';
    for (const host of [a, b]) {
      await eventually(async () => (await status(host)).cursor === h.head(), 'at head');
      expect(await host.invoke('watchfloor:getAlert', { alertId: alert.id })).toMatchObject({
        ok: true,
        value: { summary: { pendingAck: false, ack: { by: winner } } },
      });
    }
  });
});
