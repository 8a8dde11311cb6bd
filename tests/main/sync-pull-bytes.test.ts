import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { decodePage, pullEnvelope } from '../../main/sync/pullPage';
import { asciiJson } from '../../hub/store/pullPage';
import type { HubEvent } from '../../shared/domain/events';
import { CONSOLE_NAMESPACE, PullRequest } from '../../shared/protocol';
import { alertEvent, replicaWithEngine } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Pulls answered as bytes (decision 0040): the console asks for them, decodes ASCII and raw
 * UTF-8 pages alike, and refuses a page that is not exactly the JSON array of `count` entries
 * (counted, nothing applied).
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An alert whose headline has characters of every UTF-8 width. */
const wideAlert = (seq: number): HubEvent => {
  const e = alertEvent(seq);
  if (e.type !== 'alert.received') throw new Error('not an alert');
  const info = e.payload.cap.infos[0]!;
  return {
    ...e,
    payload: {
      ...e.payload,
      cap: { ...e.payload.cap, infos: [{ ...info, headline: `Strain ${seq} µε 桥梁应变 🌉` }] },
    },
  };
};

type Answer = (p: PullRequest, log: HubEvent[]) => unknown;

async function hubAnswering(log: HubEvent[], answer: Answer) {
  const asked: PullRequest[] = [];
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  io.of(CONSOLE_NAMESPACE).on('connection', (socket) => {
    socket.on('hello', (_raw: unknown, ack: (a: unknown) => void) =>
      ack({ hubId: 'stub-hub', head: log.length, tail: 1, schema: 1, officer: { name: 'Ada', role: 'officer' } }),
    );
    socket.on('pull', (raw: unknown, ack: (a: unknown) => void) => {
      const p = PullRequest.parse(raw);
      asked.push(p);
      ack(answer(p, log));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => io.close(() => resolve())));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, asked };
}

function consoleOn(url: string) {
  return replicaWithEngine(url, cleanups, { ackTimeoutMs: 5_000, pullLimit: 40 });
}

const page = (p: PullRequest, log: HubEvent[]) => log.slice(p.after, p.after + p.limit);

describe('pull pages as bytes', () => {
  it('catches up from ASCII and raw UTF-8 pages alike, and asks for bytes', async () => {
    const log = Array.from({ length: 130 }, (_, i) => wideAlert(i + 1));
    const hub = await hubAnswering(log, (p) => {
      const events = page(p, log);
      const utf8 = Buffer.from(JSON.stringify(events));
      // odd pages as the hub sends them (ASCII), even ones as raw UTF-8
      const bytes = (p.after / p.limit) % 2 === 0 ? asciiJson(utf8) : utf8;
      return { page: bytes, count: events.length, head: log.length };
    });
    const { replica, engine } = consoleOn(hub.url);
    engine.start();
    await eventually(() => replica.cursor() === log.length, 'caught up from byte pages');
    expect(hub.asked.every((p) => p.as === 'bytes')).toBe(true);
    expect(engine.counters.badMessages).toBe(0);
    expect(replica.alertSummaries(['sensors@demo-city,A-1'])[0]?.headline).toBe('Strain 1 µε 桥梁应变 🌉');
    expect(replica.alertSummaries(['sensors@demo-city,A-130'])[0]?.headline).toBe('Strain 130 µε 桥梁应变 🌉');
  });

  it.each([
    [
      'a count that is not the number of entries',
      (events: HubEvent[]) => ({ bytes: JSON.stringify(events), count: events.length + 1 }),
    ],
    [
      'a page that is not JSON',
      (events: HubEvent[]) => ({ bytes: JSON.stringify(events).slice(0, -1), count: events.length }),
    ],
    [
      'JSON that is not an array',
      (events: HubEvent[]) => ({ bytes: JSON.stringify({ events }), count: events.length }),
    ],
  ])('refuses %s: counted, nothing applied', async (_what, bad) => {
    const log = Array.from({ length: 30 }, (_, i) => alertEvent(i + 1));
    const hub = await hubAnswering(log, (p) => {
      const { bytes, count } = bad(page(p, log));
      return { page: Buffer.from(bytes), count, head: log.length };
    });
    const { replica, engine } = consoleOn(hub.url);
    engine.start();
    await eventually(() => engine.counters.badMessages >= 2, 'the bad page refused (and again after the reconnect)');
    expect(replica.cursor()).toBe(0);
    expect(engine.counters.eventsApplied).toBe(0);
    expect(engine.status().lastError?.message).toMatch(/does not understand/);
  });
});

describe('decodePage and pullEnvelope', () => {
  it('decode what the hub sends and what an older hub sends', () => {
    const events = [{ seq: 1, text: 'µε 🌉' }, { seq: 2 }];
    const utf8 = Buffer.from(JSON.stringify(events));
    expect(decodePage(asciiJson(utf8))).toEqual(events);
    expect(decodePage(utf8)).toEqual(events);
    expect(decodePage(new Uint8Array(utf8))).toEqual(events);
    expect(pullEnvelope({ page: asciiJson(utf8), count: 2, head: 9 })).toEqual({ events, head: 9 });
    expect(pullEnvelope({ events, head: 9 })).toEqual({ events, head: 9 });
    expect(pullEnvelope({ page: utf8, count: 3, head: 9 })).toBeNull();
    expect(pullEnvelope({ page: 'not bytes', count: 2, head: 9 })).toBeNull();
    expect(pullEnvelope({ page: utf8, count: 2, head: -1 })).toBeNull();
    expect(decodePage(Buffer.from('{"a":1}'))).toBeNull();
    expect(decodePage(Buffer.from('[1,'))).toBeNull();
  });
});
