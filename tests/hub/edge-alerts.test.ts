import { afterEach, describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import { buildDemoCity } from '../../hub/simulator/city';
import type { HubEvent } from '../../shared/domain/events';
import { newId } from '../../shared/ids';
import { capOfDraft } from '../../shared/telemetry/edge';
import { toAlertDraft, type RuleHit } from '../../shared/telemetry/rules/drafts';
import { ask, connect, hlc, tempDir } from './helpers';

/**
 * `alert.raise` on a real hub over real Socket.IO (issue 9, decision 0032): a console's
 * rule-engine alert goes on the log once; the same message under another action id, or a
 * second report of a hazard the hub already has at least as severe, is answered
 * `duplicateOf` and appends nothing; a worse report is appended; a message that lies about
 * its sender or hazard is refused.
 */
const city = buildDemoCity();
const bridge = city.assets.find((a) => a.asset.kind === 'bridge' && a.asset.criticality === 5)!.asset;
let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function hubWithCity(): Promise<Hub> {
  const t = tempDir();
  cleanups.push(t.remove);
  const hub = await startHub({ dataDir: t.dir, port: 0, simulate: { seed: 3, rate: 0 }, telemetry: false });
  cleanups.push(() => hub.close());
  await hub.simulate(city.assets.length);
  return hub;
}

async function consoleSocket(hub: Hub, consoleId: string) {
  const token = await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
  const socket = await connect(hub.url, { token });
  cleanups.push(() => socket.close());
  const hello = (await ask(socket, 'hello', { consoleId, cursor: 0, schema: 1 })) as { head: number };
  expect(hello.head).toBeGreaterThan(0);
  return socket;
}

const hit = (over: Partial<RuleHit>): RuleHit => ({
  rule: 'prediction',
  phase: 'raised',
  assetId: bridge.id,
  assetName: bridge.name,
  sensor: 'strain',
  t: Date.now(),
  level: 'warning',
  value: 540,
  slopePerMinute: 4,
  predictedMinutes: 14,
  ...over,
});

function raise(consoleId: string, h: RuleHit, id = newId()) {
  const draft = toAlertDraft(h);
  const cap = capOfDraft(draft, consoleId, { id: bridge.id, name: bridge.name, location: bridge.location });
  return {
    id,
    hlc: hlc(consoleId),
    type: 'alert.raise' as const,
    payload: { cap, edge: { kind: draft.kind, assetId: h.assetId, sensor: h.sensor, rule: h.rule } },
  };
}

async function pull(socket: Awaited<ReturnType<typeof consoleSocket>>, after: number): Promise<HubEvent[]> {
  return ((await ask(socket, 'pull', { after, limit: 5000 })) as { events: HubEvent[] }).events;
}

describe('alert.raise', () => {
  it('appends a console alert once; the same message again, under any action id, is its own duplicate', async () => {
    const hub = await hubWithCity();
    const socket = await consoleSocket(hub, 'console-a');
    const head = hub.head();
    const m = raise('console-a', hit({}));
    const first = (await ask(socket, 'mutate', m)) as { ok: boolean; seq: number; duplicateOf?: string };
    expect(first).toEqual({ ok: true, seq: head + 1 });
    const events = await pull(socket, head);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'alert.received', mutationId: m.id });
    const alertId = `watchfloor-console:console-a,${m.payload.cap.identifier}`;
    expect((events[0] as Extract<HubEvent, { type: 'alert.received' }>).payload.alertId).toBe(alertId);
    expect((events[0] as Extract<HubEvent, { type: 'alert.received' }>).payload.source.kind).toBe('sensor-rule');

    // the outbox sent it again after a lost ack: same id, same answer
    expect(await ask(socket, 'mutate', m)).toEqual(first);
    // the same draft under a new action id (a rebuilt outbox): takes effect once
    const again = (await ask(socket, 'mutate', { ...m, id: newId(), hlc: hlc('console-a') })) as object;
    expect(again).toEqual({ ok: true, seq: head + 1, duplicateOf: alertId });
    expect(hub.head()).toBe(head + 1);
  });

  it("a second console's report of the same hazard corroborates the first; a worse one is appended", async () => {
    const hub = await hubWithCity();
    const a = await consoleSocket(hub, 'console-a');
    const b = await consoleSocket(hub, 'console-b');
    const head = hub.head();
    const fromA = raise('console-a', hit({ level: 'warning' }));
    expect(await ask(a, 'mutate', fromA)).toMatchObject({ ok: true, seq: head + 1 });
    const alertA = `watchfloor-console:console-a,${fromA.payload.cap.identifier}`;

    // console B's engine saw the same trend a second later: not a second alert
    const fromB = raise('console-b', hit({ level: 'warning', t: Date.now() + 1_000 }));
    expect(await ask(b, 'mutate', fromB)).toEqual({ ok: true, seq: head + 1, duplicateOf: alertA });
    expect(hub.head()).toBe(head + 1);

    // a maintenance notice on the same sensor is another hazard: appended
    const notice = raise('console-b', hit({ rule: 'frozen', level: undefined, count: 12 }));
    expect(await ask(b, 'mutate', notice)).toMatchObject({ ok: true, seq: head + 2 });
    expect((await ask(b, 'mutate', notice)) as object).not.toHaveProperty('duplicateOf');

    // worse than what the log says (alarm predicted, Severe): the officers must see it
    const worse = raise('console-b', hit({ level: 'alarm', predictedMinutes: 20, t: Date.now() + 2_000 }));
    expect(await ask(b, 'mutate', worse)).toMatchObject({ ok: true, seq: head + 3 });
    expect((await ask(b, 'mutate', worse)) as object).not.toHaveProperty('duplicateOf');

    // and console A's Cancel of its own warning goes on the log, ending it
    const cancelDraft = toAlertDraft(
      hit({ rule: 'prediction', phase: 'cleared', level: 'warning', t: Date.now() + 3_000 }),
    );
    const cancelCap = capOfDraft(cancelDraft, 'console-a', null, [
      { sender: fromA.payload.cap.sender, identifier: fromA.payload.cap.identifier, sent: fromA.payload.cap.sent },
    ]);
    const cancel = {
      id: newId(),
      hlc: hlc('console-a'),
      type: 'alert.raise' as const,
      payload: { cap: cancelCap, edge: { kind: 'danger', assetId: bridge.id, sensor: 'strain', rule: 'prediction' } },
    };
    expect(await ask(a, 'mutate', cancel)).toMatchObject({ ok: true, seq: head + 4 });
  });

  it('refuses a message that is not what it says: another sender, a hazard it does not name, a Cancel of nothing', async () => {
    const hub = await hubWithCity();
    const socket = await consoleSocket(hub, 'console-a');
    const head = hub.head();
    const asOther = raise('console-z', hit({}));
    expect(await ask(socket, 'mutate', asOther)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const lying = raise('console-a', hit({}));
    lying.payload.edge.sensor = 'deflection' as never;
    expect(await ask(socket, 'mutate', lying)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const draft = toAlertDraft(hit({ phase: 'cleared' }));
    const orphan = {
      id: newId(),
      hlc: hlc('console-a'),
      type: 'alert.raise' as const,
      payload: {
        cap: capOfDraft(draft, 'console-a', null, [
          { sender: 'watchfloor-console:console-a', identifier: 'nope', sent: '2026-11-28T10:00:00+00:00' },
        ]),
        edge: { kind: 'danger', assetId: bridge.id, sensor: 'strain', rule: 'prediction' },
      },
    };
    expect(await ask(socket, 'mutate', orphan)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(hub.head()).toBe(head);
  });
});
