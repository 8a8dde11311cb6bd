import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { HubEvent } from '../../shared/domain/events';
import { EventsBatch, MAX_PULL, PullAck } from '../../shared/protocol';
import type { EventDraft } from '../../hub/events';
import { startHub } from '../../hub/server';
import { DemoCitySimulator } from '../../hub/simulator/simulator';
import { HubStore } from '../../hub/store/hubStore';
import { ask, consoleFor, eventually, tempDir } from './helpers';

/**
 * HubStore.validate checks drafts ahead (the bench's streams, made before its clock) and append
 * takes what it returned without a second parse. It must append exactly what a plain append
 * would, refuse exactly what append refuses, and a look-alike draft must get the full parse.
 */
const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));

/** The demo city's assets and a few hundred of its alerts (Alerts, Updates, Cancels). */
function simulatorDrafts(alerts: number): EventDraft[] {
  const sim = DemoCitySimulator.start({ seed: 11, clock });
  return [...sim.takeCity(), ...sim.take(alerts)];
}

describe('hub store: drafts validated ahead', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const store = () => {
    const t = tempDir();
    const s = HubStore.open(join(t.dir, 'hub.sqlite'), clock);
    cleanups.push(() => (s.close(), t.remove()));
    return s;
  };
  const tables = (s: HubStore) =>
    ['events', 'alerts', 'alert_hazards'].map((t) => s.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());

  it('appends the same log, alert state and hazard index as a plain append', () => {
    const drafts = simulatorDrafts(400);
    const plain = store();
    const ahead = store();
    const validated = ahead.validate(drafts);
    for (let i = 0; i < drafts.length; i += 97) {
      plain.append(drafts.slice(i, i + 97));
      ahead.append(validated.slice(i, i + 97));
    }
    expect(ahead.read(0, 10_000)).toEqual(plain.read(0, 10_000));
    expect(tables(ahead)).toEqual(tables(plain));
    expect(ahead.head()).toBe(drafts.length);
  });

  it('refuses what append refuses, and appends nothing of a batch with one bad draft', () => {
    const s = store();
    const good = simulatorDrafts(5).slice(-5);
    const bad = { type: 'asset.upserted', payload: { id: '' } } as unknown as EventDraft;
    expect(() => s.append([bad])).toThrow();
    expect(() => s.validate([...good, bad])).toThrow();
    expect(s.head()).toBe(0);
    // an alert the schema refuses: the same ZodError issues as HubEvent.parse, through either door
    const alert = simulatorDrafts(1).at(-1)! as Extract<EventDraft, { type: 'alert.received' }>;
    const badAlert = {
      ...alert,
      payload: { ...alert.payload, cap: { ...alert.payload.cap, msgType: 'Rumour' } },
    } as unknown as EventDraft;
    const expected = HubEvent.safeParse({ seq: 1, at: '2026-11-28T10:00:00.000Z', mutationId: null, ...badAlert });
    expect(expected.success).toBe(false);
    for (const attempt of [() => s.append([badAlert]), () => s.validate([badAlert])]) {
      let thrown: unknown;
      try {
        attempt();
      } catch (e) {
        thrown = e;
      }
      expect((thrown as { issues?: unknown }).issues).toEqual(expected.error?.issues);
    }
    expect(s.head()).toBe(0);
    // log and audit entries are sealed into their chain when appended: never ahead
    const log = { type: 'log.appended', payload: {} } as unknown as EventDraft;
    expect(() => s.validate([log])).toThrow(/sealed into its chain/);
  });

  it('parses a look-alike that validate did not make, as any draft', () => {
    const s = store();
    const [real] = s.validate([simulatorDrafts(0)[0]!]);
    // the shape of a validated draft, with a payload the schema refuses
    const forged = { type: 'asset.upserted' as const, payload: { id: '' }, json: '{"id":""}' };
    expect(() => s.append([forged as never])).toThrow();
    expect(s.head()).toBe(0);
    // a valid payload with a lying `json`: the log holds the payload, not the lie
    const lying = { ...real!, json: '{"id":"not what was checked"}' };
    s.append([lying as never]);
    expect(JSON.parse(s.db.prepare('SELECT payload FROM events WHERE seq = 1').pluck().get() as string)).toEqual(
      real!.payload,
    );
  });

  it('freezes what it checked, so it cannot change before it is appended', () => {
    const s = store();
    const [v] = s.validate([simulatorDrafts(1).at(-1)!]);
    const payload = v!.payload as { alertId: string; cap: { infos: { headline?: string }[] } };
    expect(() => (payload.alertId = 'x,y')).toThrow(TypeError);
    expect(() => (payload.cap.infos[0]!.headline = 'changed')).toThrow(TypeError);
    expect(Object.isFrozen(v)).toBe(true);
  });
});

describe('hub: prepared drafts through append and publish', () => {
  const sockets: Socket[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    for (const c of cleanups.splice(0)) await c();
  });

  it('appends them in order and pushes them live to a console over Socket.IO', async () => {
    const t = tempDir();
    const hub = await startHub({ dataDir: t.dir, port: 0, batchMs: 5, clock });
    cleanups.push(async () => (await hub.close(), t.remove()));
    const s = await consoleFor(hub);
    sockets.push(s);
    await ask(s, 'hello', { consoleId: 'console-a', cursor: 0, schema: 1 });
    const got: EventsBatch['events'] = [];
    s.on('events', (b: unknown) => got.push(...EventsBatch.parse(b).events));

    const drafts = simulatorDrafts(50);
    const prepared = hub.prepare(drafts);
    expect(hub.head()).toBe(0); // checked, not appended
    const appended = hub.appendPrepared(prepared);
    expect(appended.map((e) => e.seq)).toEqual(drafts.map((_, i) => i + 1));
    await eventually(() => got.length === drafts.length);
    expect(got.map((e) => e.seq)).toEqual(appended.map((e) => e.seq));
    const pulled = PullAck.parse(await ask(s, 'pull', { after: 0, limit: MAX_PULL }));
    expect(pulled.events).toEqual(got);
    expect(hub.metrics().eventsAppended).toBe(drafts.length);
    const db = new Database(join(t.dir, 'hub.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM alerts').pluck().get()).toBe(50);
    } finally {
      db.close();
    }
  });
});
