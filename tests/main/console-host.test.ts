import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeSet, invokeChannels, Snapshot } from '../../shared/api';
import { AlertDetail } from '../../shared/domain/alert';
import { readConsoleConfig, startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { alertEvent, alertIdOfSeq, assetEvent, tempDir } from './fixtures';
import { eventually, startStubHub, type StubHub } from './stub-hub';

let dir: string;
let cleanup: () => void;
let hub: StubHub;
let host: ConsoleHost | null = null;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  hub = await startStubHub();
  hub.append([assetEvent(1), alertEvent(2, { severity: 'Severe' }), alertEvent(3)], { broadcast: false });
});
afterEach(async () => {
  await host?.close();
  host = null;
  await hub.close();
  cleanup();
});

const start = (token = 'good') =>
  startConsoleHost({
    dataDir: dir,
    hubUrl: hub.url,
    token,
    consoleId: 'console-a',
    reconnect: { delayMs: 10, maxDelayMs: 50, jitter: 0.5 },
  });

async function snapshot(h: ConsoleHost): Promise<Snapshot> {
  const r = await h.invoke(invokeChannels.getSnapshot.name, undefined);
  if (!r.ok) throw new Error(r.error.message);
  return Snapshot.parse(r.value);
}

describe('console host (replica worker behind typed messages)', () => {
  it('serves the snapshot, alert detail and acknowledge through invoke, and pushes coalesced changes', async () => {
    host = await start();
    const pushes: ChangeSet[] = [];
    host.onPush((channel, payload) => {
      expect(channel).toBe('watchfloor:changes');
      pushes.push(ChangeSet.parse(payload));
    });
    const h = host;
    await eventually(async () => (await snapshot(h)).status.state === 'online');
    const snap = await snapshot(h);
    expect(snap.assets.map((a) => a.id)).toEqual(['asset-1']);
    expect(snap.alerts.map((a) => a.identifier)).toEqual(['A-2', 'A-3']);
    expect(snap.status).toMatchObject({ cursor: 3, head: 3, pendingActions: 0, officer: { name: 'Officer Ada' } });

    const detail = await h.invoke('watchfloor:getAlert', { alertId: alertIdOfSeq(2) });
    expect(detail.ok && AlertDetail.parse(detail.value).cap.identifier).toBe('A-2');
    expect(await h.invoke('watchfloor:getAlert', { alertId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    const ack = await h.invoke('watchfloor:acknowledgeAlert', {
      alertId: alertIdOfSeq(3),
      disposition: 'not-relevant',
    });
    expect(ack).toMatchObject({ ok: true, value: { mutationId: expect.any(String) } });
    await eventually(() =>
      pushes.some((p) => p.alerts.some((a) => a.id === alertIdOfSeq(3) && a.ack !== null && !a.pendingAck)),
    );
    const after = await snapshot(h);
    expect(after.alerts.find((a) => a.id === alertIdOfSeq(3))).toMatchObject({
      pendingAck: false,
      ack: { by: 'Officer Ada' },
    });
    expect(after.status.pendingActions).toBe(0);

    // Live events reach the renderer as pushes.
    hub.append([alertEvent(5)], { broadcast: false });
    hub.append([alertEvent(6, { severity: 'Extreme' })]);
    await eventually(() => pushes.some((p) => p.alerts.some((a) => a.identifier === 'A-6')));
    expect(pushes.some((p) => p.alerts.some((a) => a.identifier === 'A-5'))).toBe(true);
  });

  it('answers bad requests with BAD_REQUEST and counts them, never throws', async () => {
    host = await start();
    expect(await host.invoke('watchfloor:nope', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await host.invoke('watchfloor:getAlert', { alertId: 42 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await host.invoke('watchfloor:acknowledgeAlert', { alertId: 'x', disposition: 'meh' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await host.invoke(undefined as unknown as string, null)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(host.stats().badRequests).toBe(4);
  });

  it('works with no hub at all: actions stay pending and show in the view', async () => {
    await hub.close();
    host = await start();
    const h = host;
    await eventually(async () => (await snapshot(h)).status.state === 'offline');
    const snap = await snapshot(h);
    expect(snap.status.lastError?.code).toBe('OFFLINE');
    expect(snap.alerts).toEqual([]);
    // Nothing to acknowledge on an empty replica: refused with a code, not thrown.
    expect(await h.invoke('watchfloor:acknowledgeAlert', { alertId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('keeps its console id across restarts', async () => {
    host = await start();
    expect(host.consoleId).toBe('console-a');
    await host.close();
    host = await startConsoleHost({ dataDir: dir, hubUrl: hub.url, token: 'good', consoleId: 'other' });
    expect(host.consoleId).toBe('console-a');
  });

  it('fails to start with a coded, actionable error when the replica cannot be opened', async () => {
    const empty = tempDir('watchfloor-no-migrations-');
    try {
      await expect(
        startConsoleHost({ dataDir: dir, hubUrl: hub.url, token: 'good', migrationsDir: `${empty.dir}/missing` }),
      ).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringMatching(/migrations were not found.*reinstall/),
      });
    } finally {
      empty.cleanup();
    }
  });

  it('reads its configuration from flags or the environment, and says what is missing', () => {
    expect(readConsoleConfig(['--hub', 'http://127.0.0.1:1', '--token=t'], { WATCHFLOOR_DATA_DIR: '/d' })).toEqual({
      hubUrl: 'http://127.0.0.1:1',
      token: 't',
      dataDir: '/d',
    });
    expect(() => readConsoleConfig([], {})).toThrow(/--hub <url>/);
  });
});

describe('push coalescing', () => {
  it('merges change sets: newest row per id, newest status, nothing lost', async () => {
    const { mergeChanges } = await import('../../main/console/host');
    const summary = (id: string, pendingAck: boolean) => ({ id, pendingAck }) as unknown as ChangeSet['alerts'][number];
    const status = (cursor: number) => ({ cursor }) as unknown as NonNullable<ChangeSet['status']>;
    let merged = mergeChanges(null, { alerts: [summary('a', true)], assets: [], status: status(1) });
    merged = mergeChanges(merged, { alerts: [summary('b', false), summary('a', false)], assets: [] });
    expect(merged.alerts).toEqual([summary('a', false), summary('b', false)]);
    expect(merged.status).toEqual(status(1));
    merged = mergeChanges(merged, { alerts: [], assets: [], status: status(2) });
    expect(merged.status).toEqual(status(2));
  });
});

describe('push coalescing of incident response changes', () => {
  it('keeps incidents, units, log entries, steps, removals and needs-attention across merges', async () => {
    const { mergeChanges } = await import('../../main/console/host');
    const row = <T>(o: object) => o as unknown as T;
    type C = ChangeSet;
    let m = mergeChanges(null, {
      alerts: [],
      assets: [],
      incidents: [row<NonNullable<C['incidents']>[number]>({ id: 'i1', v: 1 }), row({ id: 'i2', v: 1 })],
      logEntries: [row<NonNullable<C['logEntries']>[number]>({ id: 'l1' })],
      checklistSteps: [row<NonNullable<C['checklistSteps']>[number]>({ incidentId: 'i1', stepId: 's1', v: 1 })],
    });
    m = mergeChanges(m, {
      alerts: [],
      assets: [],
      incidents: [row({ id: 'i1', v: 2 })],
      units: [row<NonNullable<C['units']>[number]>({ id: 'u1' })],
      checklistSteps: [row({ incidentId: 'i1', stepId: 's1', v: 2 })],
      removed: { incidents: ['i2'], logEntries: [] },
      needsAttention: [],
    });
    expect(m.incidents).toEqual([{ id: 'i1', v: 2 }]);
    expect(m.units).toEqual([{ id: 'u1' }]);
    expect(m.logEntries).toEqual([{ id: 'l1' }]);
    expect(m.checklistSteps).toEqual([{ incidentId: 'i1', stepId: 's1', v: 2 }]);
    expect(m.removed).toEqual({ incidents: ['i2'], logEntries: [] });
    expect(m.needsAttention).toEqual([]);
    // A row arriving after its removal undoes the removal.
    m = mergeChanges(m, { alerts: [], assets: [], incidents: [row({ id: 'i2', v: 3 })] });
    expect(m.removed?.incidents).toEqual([]);
    expect(m.incidents?.map((i) => i.id)).toEqual(['i1', 'i2']);
  });
});
