import Database from 'better-sqlite3';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventsBatch, HelloAck, MAX_PULL, MutateAck, PullAck } from '../../shared/protocol';
import { newId } from '../../shared/ids';
import { ManualClock } from '../../shared/clock';
import { startHub, type Hub } from '../../hub/server';
import { acknowledge, ask, connect, consoleFor, eventually, tempDir } from './helpers';

describe('hub on 127.0.0.1', () => {
  let hub: Hub;
  let remove: () => void;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    const t = tempDir();
    remove = t.remove;
    hub = await startHub({ dataDir: t.dir, port: 0, batchMs: 5 });
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    await hub.close();
    remove();
  });
  const open = async (role: 'officer' | 'supervisor' | 'feed' = 'officer', name?: string) => {
    const s = await consoleFor(hub, role, name);
    sockets.push(s);
    return s;
  };
  const hello = (s: Socket, consoleId = 'console-a') => ask(s, 'hello', { consoleId, cursor: 0, schema: 1 });
  const firstAlertId = async (s: Socket) => {
    const pulled = PullAck.parse(await ask(s, 'pull', { after: 0, limit: MAX_PULL }));
    const alert = pulled.events.find((e) => e.type === 'alert.received');
    if (!alert || alert.type !== 'alert.received') throw new Error('no alert on the log');
    return alert.payload.alertId;
  };

  describe('handshake', () => {
    it('refuses a connection without a token', async () => {
      await expect(connect(hub.url, {})).rejects.toMatchObject({
        message: 'UNAUTHORIZED',
        data: { code: 'UNAUTHORIZED' },
      });
    });

    it('refuses a token this hub did not sign', async () => {
      const other = tempDir();
      const otherHub = await startHub({ dataDir: other.dir, port: 0 });
      const foreign = await otherHub.issueToken({ role: 'supervisor', name: 'Mallory' });
      await otherHub.close();
      other.remove();
      const refused = connect(hub.url, { token: foreign });
      await expect(refused).rejects.toMatchObject({
        data: { code: 'UNAUTHORIZED', message: expect.stringMatching(/not signed by this hub/) },
      });
      await expect(connect(hub.url, { token: 'not.a.jwt' })).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
      expect(hub.metrics().errors.UNAUTHORIZED).toBe(2);
      expect(hub.metrics().connections.refused).toBe(2);
    });

    it('refuses the default namespace, token or not', async () => {
      const token = await hub.issueToken({ role: 'officer', name: 'Lost' });
      const s = io(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const err = await new Promise<Error & { data?: unknown }>((r) => s.once('connect_error', r));
      s.close();
      expect(err.data).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('says who the token names in the hello ack', async () => {
      const s = await open('supervisor', 'Grace Hopper');
      const ack = HelloAck.parse(await hello(s));
      expect(ack).toMatchObject({
        hubId: hub.hubId,
        head: 0,
        tail: 1,
        schema: 1,
        officer: { name: 'Grace Hopper', role: 'supervisor' },
      });
    });

    it('refuses another protocol version with SCHEMA_MISMATCH', async () => {
      const s = await open();
      expect(await ask(s, 'hello', { consoleId: 'c', cursor: 0, schema: 99 })).toMatchObject({
        error: { code: 'SCHEMA_MISMATCH' },
      });
    });
  });

  describe('malformed messages', () => {
    it('get BAD_REQUEST, leave the connection up and the log untouched', async () => {
      await hub.simulate(300);
      const s = await open();
      const headBefore = hub.head();
      const cases: [string, unknown][] = [
        ['hello', { consoleId: '', cursor: -1, schema: 'one' }],
        ['hello', 'hello'],
        ['pull', { after: -5, limit: 10 }],
        ['pull', { after: 0, limit: 0 }],
        ['pull', null],
        ['mutate', { id: 'not-a-uuid', type: 'alert.acknowledge', payload: { alertId: 'x' }, hlc: 'nope' }],
        ['mutate', { ...acknowledge('x'), type: 'alert.delete' }],
        ['mutate', [1, 2, 3]],
      ];
      for (const [event, payload] of cases) {
        const answer = await ask(s, event, payload);
        if (event === 'mutate')
          expect(MutateAck.parse(answer)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
        else expect(answer).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/malformed/) } });
      }
      expect(await ask(s, 'evacuate-city', { now: true })).toMatchObject({ error: { code: 'BAD_REQUEST' } });
      expect(s.connected).toBe(true);
      expect(hub.head()).toBe(headBefore);
      expect(hub.metrics().errors.BAD_REQUEST).toBe(cases.length + 1);
      // Still serves the same connection.
      expect(HelloAck.parse(await hello(s)).head).toBe(headBefore);
    });

    it('survive a missing ack callback', async () => {
      const s = await open();
      s.emit('pull', { after: 'x' });
      s.emit('hello');
      s.emit('mutate', acknowledge('nowhere'));
      s.emit('pull');
      const ack = HelloAck.parse(await hello(s));
      expect(ack.head).toBe(0);
      expect(s.connected).toBe(true);
      const m = hub.metrics();
      expect(m.errors.BAD_REQUEST).toBe(3);
      expect(m.errors.NOT_FOUND).toBe(1);
    });

    it('serves GET /health with the counters', async () => {
      const s = await open();
      await ask(s, 'pull', { after: 'x' });
      const res = await fetch(`${hub.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        hubId: hub.hubId,
        errors: { BAD_REQUEST: 1 },
        consoles: 1,
      });
    });
  });

  describe('pull and live batches', () => {
    it('pulls in order, clamps the limit to MAX_PULL, and pushes live batches to consoles that said hello', async () => {
      const s = await open();
      const silent = await open();
      const batches: EventsBatch[] = [];
      let silentGot = 0;
      s.on('events', (b: unknown) => batches.push(EventsBatch.parse(b)));
      silent.on('events', () => silentGot++);
      await hello(s);
      await hub.simulate(MAX_PULL + 500);
      const first = PullAck.parse(await ask(s, 'pull', { after: 0, limit: 100_000 }));
      expect(first.events).toHaveLength(MAX_PULL);
      expect(first.head).toBe(MAX_PULL + 500);
      const rest = PullAck.parse(await ask(s, 'pull', { after: MAX_PULL, limit: 10_000 }));
      expect([...first.events, ...rest.events].map((e) => e.seq)).toEqual(
        Array.from({ length: MAX_PULL + 500 }, (_, i) => i + 1),
      );
      await eventually(() => batches.flatMap((b) => b.events).length === MAX_PULL + 500);
      expect(batches.flatMap((b) => b.events.map((e) => e.seq))).toEqual(
        first.events.map((e) => e.seq).concat(rest.events.map((e) => e.seq)),
      );
      expect(silentGot).toBe(0);
    });
  });

  describe('mutations', () => {
    it('take effect once per id and return the first answer again', async () => {
      await hub.simulate(400);
      const s = await open();
      await hello(s);
      const alertId = await firstAlertId(s);
      const request = acknowledge(alertId);
      const first = MutateAck.parse(await ask(s, 'mutate', request));
      // the acknowledgement (401) and its activity-log entry (402, issue 4); the ack names the last
      expect(first).toEqual({ ok: true, seq: 402 });
      const again = MutateAck.parse(await ask(s, 'mutate', request));
      expect(again).toEqual(first);
      expect(hub.head()).toBe(402);
      const log = PullAck.parse(await ask(s, 'pull', { after: 400, limit: 10 }));
      expect(log.events.map((e) => e.type)).toEqual(['alert.acknowledged', 'log.appended']);
      expect(log.events[0]).toMatchObject({
        seq: 401,
        type: 'alert.acknowledged',
        mutationId: request.id,
        payload: {
          alertId,
          hlc: request.hlc,
          by: { name: 'Ada Okafor', role: 'officer', position: 'Duty Officer', consoleId: 'console-a' },
        },
      });
      // The same id for another action is a client bug, refused without effect.
      const reused = MutateAck.parse(await ask(s, 'mutate', { ...request, payload: { alertId, note: 'other' } }));
      expect(reused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(hub.metrics().mutations).toEqual({ accepted: 1, refused: 0, replayed: 2 });
    });

    it('refuses an unknown alert (NOT_FOUND) and a second acknowledgement (CONFLICT, saying who and when)', async () => {
      await hub.simulate(400);
      const a = await open('officer', 'Ada Okafor');
      const b = await open('supervisor', 'Bo Lindqvist');
      await hello(a, 'console-a');
      await hello(b, 'console-b');
      expect(MutateAck.parse(await ask(a, 'mutate', acknowledge('nobody,nothing')))).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: expect.stringMatching(/no alert nobody,nothing/) },
      });
      const alertId = await firstAlertId(a);
      expect(MutateAck.parse(await ask(a, 'mutate', acknowledge(alertId))).ok).toBe(true);
      const second = MutateAck.parse(await ask(b, 'mutate', acknowledge(alertId)));
      expect(second).toMatchObject({
        ok: false,
        error: {
          code: 'CONFLICT',
          message: expect.stringMatching(
            /Already acknowledged by Ada Okafor \(Duty Officer\) at \d\d:\d\d:\d\d UTC on \d{4}-\d\d-\d\d;/,
          ),
        },
      });
      expect(hub.head()).toBe(402); // the acknowledgement and its activity-log entry
      // A refusal is an answer too: the same id gets it again.
      const retry = acknowledge('nobody,nothing');
      const once = await ask(a, 'mutate', retry);
      expect(await ask(a, 'mutate', retry)).toEqual(once);
    });

    it('refuses mutations from feed tokens (FORBIDDEN)', async () => {
      await hub.simulate(400);
      const feed = await open('feed', 'River sensor gateway');
      await hello(feed, 'feed-1');
      const answer = MutateAck.parse(await ask(feed, 'mutate', acknowledge(newId())));
      expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(hub.head()).toBe(401); // only the refusal's audit event (issue 6)
      expect(hub.metrics().errors.FORBIDDEN).toBe(1);
    });

    it('disconnectAll cuts every console from the server side', async () => {
      const s = await open();
      await hello(s);
      const gone = new Promise<string>((r) => s.once('disconnect', r));
      hub.disconnectAll();
      expect(await gone).toBe('io server disconnect');
    });
  });
});

describe('hub edges', () => {
  it('refuses an expired token, saying so', async () => {
    const t = tempDir();
    const clock = new ManualClock(Date.parse('2026-11-01T08:00:00Z'));
    const hub = await startHub({ dataDir: t.dir, port: 0, clock });
    try {
      const token = await hub.issueToken({ role: 'officer', name: 'Night Shift' });
      (await connect(hub.url, { token })).close();
      clock.advance(31 * 86_400_000);
      await expect(connect(hub.url, { token })).rejects.toMatchObject({
        data: { code: 'UNAUTHORIZED', message: expect.stringMatching(/expired/) },
      });
    } finally {
      await hub.close();
      t.remove();
    }
  });

  it('answers STALE_CURSOR when a console is behind the tail (retention, issue 5)', async () => {
    const t = tempDir();
    const hub = await startHub({ dataDir: t.dir, port: 0 });
    try {
      await hub.simulate(300);
      // What retention will do later: move the tail forward.
      const db = new Database(join(t.dir, 'hub.sqlite'));
      db.prepare("UPDATE hub_meta SET value = '101' WHERE key = 'tail'").run();
      db.close();
      const s = await consoleFor(hub);
      expect(HelloAck.parse(await ask(s, 'hello', { consoleId: 'c', cursor: 5, schema: 1 })).tail).toBe(101);
      expect(await ask(s, 'pull', { after: 5, limit: 10 })).toMatchObject({ error: { code: 'STALE_CURSOR' } });
      expect(PullAck.parse(await ask(s, 'pull', { after: 100, limit: 10 })).events[0]?.seq).toBe(101);
      s.close();
    } finally {
      await hub.close();
      t.remove();
    }
  });

  it('closes a connection that sends a message over the size cap, and changes nothing', async () => {
    const t = tempDir();
    const hub = await startHub({ dataDir: t.dir, port: 0 });
    try {
      await hub.simulate(250);
      const s = await consoleFor(hub);
      const gone = new Promise<string>((r) => s.once('disconnect', r));
      s.emit('mutate', { ...acknowledge('x'), payload: { alertId: 'x', note: 'x'.repeat(400_000) } });
      expect(await gone).toMatch(/transport/);
      expect(hub.head()).toBe(250);
    } finally {
      await hub.close();
      t.remove();
    }
  });
});

describe('hub restart', () => {
  it('keeps seq gap-free and the hub id across a restart', async () => {
    const t = tempDir();
    try {
      let hub = await startHub({ dataDir: t.dir, port: 0 });
      await hub.simulate(700);
      const hubId = hub.hubId;
      await hub.close();
      hub = await startHub({ dataDir: t.dir, port: 0 });
      expect(hub.hubId).toBe(hubId);
      expect(hub.head()).toBe(700);
      await hub.simulate(300);
      const s = await consoleFor(hub);
      const seqs: number[] = [];
      for (let after = 0; after < hub.head();) {
        const page = PullAck.parse(await ask(s, 'pull', { after, limit: 400 }));
        seqs.push(...page.events.map((e) => e.seq));
        after = page.events.at(-1)?.seq ?? after;
      }
      expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      s.close();
      await hub.close();
    } finally {
      t.remove();
    }
  });
});
