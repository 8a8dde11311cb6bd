import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { startHub, type Hub } from '../../hub/server';
import type { ChangeSet, ConnectionStatus } from '../../shared/api';
import type { IncidentView } from '../../shared/domain/incident';
import type { UnitView } from '../../shared/domain/unit';
import type { IncidentDetail, NeedsAttentionItem } from '../../shared/responseApi';
import { PROTOCOL_SCHEMA, PullAck } from '../../shared/protocol';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { Replica } from '../../main/replica/replica';
import { ask, consoleFor, hlc } from '../hub/helpers';
import { testResources, hostValue as value } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Incidents, units, the activity log and checklists through the console core: real hub
 * on 127.0.0.1 (demo city and roster, no live stream), real replica workers, real SQLite.
 * Times are printed, never asserted.
 */

const fast = { delayMs: 50, maxDelayMs: 500, jitter: 0.5 };
const { dir, later } = testResources();

async function demoHub(dataDir = dir('hub'), port = 0): Promise<Hub> {
  const h = await startHub({ dataDir, port, simulate: { seed: 11, rate: 0 } });
  later(() => h.close());
  return h;
}

async function consoleOn(h: Hub, name: string): Promise<ConsoleHost> {
  const token = await h.issueToken({ role: 'officer', name, position: 'Duty Officer' });
  const host = await startConsoleHost({
    dataDir: dir(`console-${name.replace(/\W/g, '')}`),
    hubUrl: h.url,
    token,
    reconnect: fast,
  });
  later(() => host.close());
  return host;
}

const status = async (host: ConsoleHost) => {
  const r = await host.call('getStatus');
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ConnectionStatus;
};
const atHead = (h: Hub, ...hosts: ConsoleHost[]) =>
  eventually(async () => {
    for (const host of hosts) {
      const s = await status(host);
      if (s.cursor !== h.head() || s.pendingActions !== 0) return false;
    }
    return true;
  }, 'consoles at head');

const unitOn = async (host: ConsoleHost, id: string) =>
  (await value<UnitView[]>(host, 'getUnits')).find((u) => u.id === id) as UnitView;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN).toFixed(3));
};

describe('incident response on two consoles', () => {
  it('open, dispatch (pending at once, then confirmed), status on A shows on B; log and checklist carry author and time', async () => {
    const h = await demoHub();
    const a = await consoleOn(h, 'Ada Okafor');
    const b = await consoleOn(h, 'Ben Ito');
    await atHead(h, a, b);

    const { incidentId } = await value<{ incidentId: string }>(a, 'openIncident', {
      title: 'Strain alarm, Kingsgate Bridge',
      incidentType: 'bridge-structural',
      priority: 1,
    });
    // The local effect is there at once (pending, or already confirmed: the hub is on 127.0.0.1).
    const local = (await value<IncidentView[]>(a, 'getIncidents')).find((i) => i.id === incidentId);
    expect(local).toMatchObject({ status: 'open' });

    await value(a, 'dispatchUnits', { incidentId, unitIds: ['E1', 'BI1'] });
    expect(await unitOn(a, 'E1')).toMatchObject({ status: 'dispatched', incidentId });

    await atHead(h, a, b);
    expect(await unitOn(a, 'E1')).toMatchObject({ status: 'dispatched', incidentId, pending: false });
    const onB = (await value<IncidentView[]>(b, 'getIncidents')).find((i) => i.id === incidentId)!;
    expect(onB.number).toMatch(/^INC-\d{4}$/);
    expect(onB.unitIds.sort()).toEqual(['BI1', 'E1']);
    expect(onB.openStepsDue.length).toBeGreaterThan(0);

    // A status change on A reaches B's pushes; measure console-to-console propagation.
    const seenOnB = new Map<string, number>();
    const logOnB: string[] = [];
    const boardOnB: IncidentView[] = [];
    b.onPush((_c, payload) => {
      const changes = payload as ChangeSet;
      for (const u of changes.units ?? []) {
        if (!u.pending) seenOnB.set(`${u.id}:${u.status}`, performance.now());
      }
      logOnB.push(...(changes.logEntries ?? []).map((e) => e.text));
      boardOnB.push(...(changes.incidents ?? []));
    });
    const cycle = ['en-route', 'on-scene', 'clearing', 'available'] as const;
    const times: number[] = [];
    const rounds = 15;
    for (let round = 0; round < rounds; round++) {
      if (round > 0) await value(a, 'dispatchUnits', { incidentId, unitIds: ['E1'] });
      for (const next of cycle) {
        seenOnB.clear();
        const t0 = performance.now();
        await value(a, 'setUnitStatus', { unitId: 'E1', status: next });
        await eventually(() => seenOnB.has(`E1:${next}`), `E1 ${next} on B`);
        times.push((seenOnB.get(`E1:${next}`) as number) - t0);
      }
    }
    // B's board and activity log were pushed too, not only the unit.
    await eventually(() => logOnB.some((t) => t.startsWith('E1 Engine 1: on-scene → clearing')), 'log entry on B');
    expect(boardOnB.some((i) => i.id === incidentId)).toBe(true);
    console.log(
      JSON.stringify({
        figure: 'console-to-console propagation (A invoke → B push, unit status)',
        n: times.length,
        p50_ms: pct(times, 50),
        p99_ms: pct(times, 99),
        max_ms: pct(times, 100),
      }),
    );

    // Log entry, correction and a checklist step; B's detail shows them with author and time.
    const { entryId } = await value<{ entryId: string }>(a, 'appendLog', {
      incidentId,
      text: 'BI1 reports a 4 mm crack at pier 3',
    });
    await value(b, 'setChecklistStep', {
      incidentId,
      stepId: 'close-traffic',
      state: 'done',
      remark: 'P1, P2 at both ends',
    });
    await atHead(h, a, b);
    await value(b, 'appendLog', { incidentId, text: 'Correction: 0.4 mm', corrects: entryId });
    await atHead(h, a, b);
    const detail = await value<IncidentDetail>(a, 'getIncident', { incidentId });
    const texts = detail.log.map((e) => `${e.author}|${e.position}|${e.kind}|${e.text}`);
    expect(texts.some((t) => t.startsWith('Ada Okafor|Duty Officer|auto|Opened INC-'))).toBe(true);
    expect(texts.some((t) => t.includes('E1 Engine 1 dispatched'))).toBe(true);
    expect(texts.some((t) => t.includes('on-scene'))).toBe(true);
    expect(texts.some((t) => t.startsWith('Ben Ito|Duty Officer|auto|Checklist step'))).toBe(true);
    const correction = detail.log.find((e) => e.corrects === entryId);
    expect(correction).toMatchObject({ author: 'Ben Ito', kind: 'manual', pending: false });
    expect(detail.log.every((e) => e.at && e.operationalPeriod === 1)).toBe(true);
    expect(detail.checklist.find((s) => s.stepId === 'close-traffic')).toMatchObject({
      state: 'done',
      by: 'Ben Ito (Duty Officer)',
    });
  });

  it('double dispatch from two consoles at once: one confirmed, the other rolled back and listed with the hub reason', async () => {
    const h = await demoHub();
    const a = await consoleOn(h, 'Ada Okafor');
    const b = await consoleOn(h, 'Ben Ito');
    await atHead(h, a, b);
    const inc1 = (
      await value<{ incidentId: string }>(a, 'openIncident', {
        title: 'Gas leak',
        incidentType: 'gas-pressure-loss',
        priority: 1,
      })
    ).incidentId;
    const inc2 = (
      await value<{ incidentId: string }>(b, 'openIncident', { title: 'Flood', incidentType: 'flooding', priority: 2 })
    ).incidentId;
    await atHead(h, a, b);

    const attention: NeedsAttentionItem[][] = [];
    for (const host of [a, b])
      host.onPush((_c, p) => (p as ChangeSet).needsAttention && attention.push((p as ChangeSet).needsAttention!));
    const [ra, rb] = await Promise.all([
      a.invoke('watchfloor:dispatchUnits', { incidentId: inc1, unitIds: ['GC1'] }),
      b.invoke('watchfloor:dispatchUnits', { incidentId: inc2, unitIds: ['GC1'] }),
    ]);
    expect(ra.ok && rb.ok).toBe(true); // both are accepted locally: neither knew of the other
    await atHead(h, a, b);

    const refusedA = await value<NeedsAttentionItem[]>(a, 'getNeedsAttention');
    const refusedB = await value<NeedsAttentionItem[]>(b, 'getNeedsAttention');
    const refused = [...refusedA, ...refusedB];
    expect(refused).toHaveLength(1);
    const [loserItem] = refused;
    expect(loserItem).toMatchObject({ type: 'unit.dispatch', error: { code: 'CONFLICT' } });
    expect(loserItem!.error.message).toContain('GC1');
    const winnerIncident = refusedA.length ? inc2 : inc1;
    const winnerName = refusedA.length ? 'Ben Ito' : 'Ada Okafor';
    expect(loserItem!.error.message).toContain(winnerName);
    // Both consoles show the winner's dispatch, nothing pending: the loser's prediction rolled back.
    for (const host of [a, b])
      expect(await unitOn(host, 'GC1')).toMatchObject({ incidentId: winnerIncident, pending: false });
    await eventually(() => attention.some((list) => list.length === 1), 'needs-attention pushed');
  });

  it('offline: a dispatch and a log entry are kept in the outbox and confirmed when the hub is back', async () => {
    const hubDir = dir('hub-offline');
    let h = await demoHub(hubDir);
    const port = h.port;
    const a = await consoleOn(h, 'Ada Okafor');
    await atHead(h, a);
    const { incidentId } = await value<{ incidentId: string }>(a, 'openIncident', {
      title: 'Quake',
      incidentType: 'earthquake',
      priority: 1,
    });
    await atHead(h, a);
    await h.close();
    await eventually(async () => (await status(a)).state === 'offline', 'offline');
    await value(a, 'dispatchUnits', { incidentId, unitIds: ['A1', 'A2'] });
    const { entryId } = await value<{ entryId: string }>(a, 'appendLog', {
      incidentId,
      text: 'Hospital intake full at St Brigid',
    });
    expect(await unitOn(a, 'A1')).toMatchObject({ status: 'dispatched', pending: true });
    expect((await value<IncidentDetail>(a, 'getIncident', { incidentId })).log.at(-1)).toMatchObject({
      id: entryId,
      pending: true,
      seq: null,
    });
    // What the officer waits for: invoke through the host to the worker's outbox and back, offline.
    const invokeMs: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      if (i % 2 === 0) await value(a, 'dispatchUnits', { incidentId, unitIds: ['A3'] });
      else await value(a, 'releaseUnit', { unitId: 'A3', incidentId });
      invokeMs.push(performance.now() - t0);
    }
    console.log(
      JSON.stringify({
        figure: 'dispatch/release invoke round trip (host → worker → outbox row → answer), offline',
        n: invokeMs.length,
        p50_ms: pct(invokeMs, 50),
        p99_ms: pct(invokeMs, 99),
      }),
    );
    h = await startHub({ dataDir: hubDir, port, simulate: { seed: 11, rate: 0 } });
    later(() => h.close());
    await atHead(h, a);
    expect(await unitOn(a, 'A1')).toMatchObject({ status: 'dispatched', pending: false, incidentId });
    const entry = (await value<IncidentDetail>(a, 'getIncident', { incidentId })).log.find((e) => e.id === entryId);
    expect(entry).toMatchObject({ pending: false, author: 'Ada Okafor' });
    expect(entry?.seq).toBeGreaterThan(0);
  });
});

describe('local commit time in the replica', () => {
  it('dispatch / release / log entry: p50 and p99 over 1 000 actions each (printed)', async () => {
    const h = await demoHub();
    const s = await consoleFor(h, 'officer', 'Ada Okafor');
    await ask(s, 'hello', { consoleId: 'bench', cursor: 0, schema: PROTOCOL_SCHEMA });
    const incidentId = '0190a0a0-0000-7000-8000-000000000001';
    const opened = await ask(s, 'mutate', {
      id: '0190a0a0-0000-7000-8000-0000000000aa',
      type: 'incident.open',
      payload: { incidentId, title: 'Bench', incidentType: 'flooding', priority: 2 },
      hlc: hlc('bench'),
    });
    expect(opened).toMatchObject({ ok: true });
    const events = PullAck.parse(await ask(s, 'pull', { after: 0, limit: 5_000 })).events;
    s.close();

    const replica = new Replica({ file: path.join(dir('replica-bench'), 'replica.sqlite'), consoleId: 'bench' });
    later(() => replica.close());
    replica.applyEvents(events);
    const units = replica.response.units().map((u) => u.id);
    const time = (fn: () => unknown): number => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    const dispatch: number[] = [];
    const release: number[] = [];
    const log: number[] = [];
    // No hub: every action stays open in the outbox, so the overlay replays up to 3 000 rows (offline worst case).
    for (let i = 0; i < 1_000; i++) {
      const unitId = units[i % units.length] as string;
      if ((replica.response.units([unitId])[0] as UnitView).incidentId) {
        release.push(time(() => replica.response.releaseUnit({ unitId, incidentId })));
      }
      dispatch.push(time(() => replica.response.dispatchUnits({ incidentId, unitIds: [unitId] })));
      log.push(time(() => replica.response.appendLog({ incidentId, text: `note ${i}` })));
    }
    expect(replica.pendingCount()).toBe(dispatch.length + release.length + log.length);
    console.log(
      JSON.stringify({
        figure: 'local commit time in the replica (prediction + outbox row), no hub, outbox growing to 3 000 open rows',
        dispatch: { n: dispatch.length, p50_ms: pct(dispatch, 50), p99_ms: pct(dispatch, 99) },
        release: { n: release.length, p50_ms: pct(release, 50), p99_ms: pct(release, 99) },
        logEntry: { n: log.length, p50_ms: pct(log, 50), p99_ms: pct(log, 99) },
      }),
    );
  });
});
