import { isAscii } from 'node:buffer';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ManualClock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { MAX_PULL, PullAck, PullPageAck } from '../../shared/protocol';
import { startHub, type Hub } from '../../hub/server';
import { asciiJson } from '../../hub/store/pullPage';
import { HubStore } from '../../hub/store/hubStore';
import { ask, consoleFor, manualLogDraft, tempDir } from './helpers';

/**
 * Pull pages as bytes (decision 0040): the page the hub builds from its stored text must be
 * exactly the entries a plain pull answers, in the same order, as ASCII JSON.
 */

describe('asciiJson', () => {
  it('escapes every character above U+007F and JSON.parse gives the same values', () => {
    const value = {
      units: 'µε',
      zh: '消防车已到达现场',
      astral: 'flood 🌊 at 𝔸',
      tricky: 'quote " backslash \\ newline \n tab \t nul \u0000 ÿ',
      nested: [{ 'clé é': 'é' }, 'Ω', 42, null, true],
    };
    const utf8 = Buffer.from(JSON.stringify(value));
    const out = asciiJson(utf8);
    expect(isAscii(out)).toBe(true);
    expect(JSON.parse(out.toString('latin1'))).toEqual(value);
    expect(out.toString('latin1')).toContain('\\ud83c\\udf0a'); // 🌊 as a surrogate pair
  });

  it('returns an ASCII page as it is', () => {
    const utf8 = Buffer.from('[{"seq":1,"payload":{"a":"b"}}]');
    expect(asciiJson(utf8)).toBe(utf8);
  });
});

describe('pull as bytes on the real hub', () => {
  let hub: Hub;
  let dir: ReturnType<typeof tempDir>;
  let socket: Socket;
  const LOG_ENTRIES = 120;

  beforeAll(async () => {
    dir = tempDir('watchfloor-pull-page-');
    // log entries with text in three UTF-8 widths, written before the hub starts
    const clock = new ManualClock(Date.parse('2026-03-14T09:00:00Z'));
    const store = HubStore.open(join(dir.dir, 'hub.sqlite'), clock);
    const incidentId = newId();
    store.append(
      Array.from({ length: LOG_ENTRIES }, (_, i) =>
        manualLogDraft(incidentId, i + 1, clock.now(), `Engine ${i} µε 消防车已到达现场 🌊 "quoted" \\ back`),
      ),
    );
    store.close();
    hub = await startHub({ dataDir: dir.dir, port: 0, batchMs: 5 });
    await hub.simulate(300); // the demo city's assets and alerts (strain alerts carry µε)
    socket = await consoleFor(hub);
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await hub?.close();
    dir?.remove();
  });

  it('answers the same entries as a plain pull, as an ASCII JSON attachment', async () => {
    let after = 0;
    let pages = 0;
    for (;;) {
      const raw = (await ask(socket, 'pull', { after, limit: 97 })) as { events: unknown[] };
      const plain = PullAck.parse(raw);
      const bytes = PullPageAck.parse(await ask(socket, 'pull', { after, limit: 97, as: 'bytes' }));
      expect(Buffer.isBuffer(bytes.page)).toBe(true);
      expect(isAscii(bytes.page)).toBe(true);
      const events = JSON.parse(Buffer.from(bytes.page).toString('latin1')) as unknown[];
      expect(bytes.count).toBe(plain.events.length);
      expect(bytes.head).toBe(plain.head);
      // the same JSON text as the plain answer, key order and all (a boolean: a diff would be megabytes)
      expect(JSON.stringify(events) === JSON.stringify(raw.events)).toBe(true);
      expect(PullAck.parse({ events, head: bytes.head }).events).toEqual(plain.events);
      if (plain.events.length === 0) {
        expect(Buffer.from(bytes.page).toString('latin1')).toBe('[]');
        break;
      }
      pages++;
      after = plain.events.at(-1)!.seq;
    }
    expect(after).toBe(hub.head());
    expect(after).toBeGreaterThanOrEqual(LOG_ENTRIES + 300);
    expect(pages).toBeGreaterThan(3);
  });

  it('clamps a bytes page to MAX_PULL and refuses an unknown answer form', async () => {
    const page = PullPageAck.parse(await ask(socket, 'pull', { after: 0, limit: 100_000, as: 'bytes' }));
    expect(page.count).toBe(Math.min(MAX_PULL, hub.head()));
    const before = hub.metrics().errors.BAD_REQUEST ?? 0;
    expect(await ask(socket, 'pull', { after: 0, limit: 10, as: 'xml' })).toMatchObject({
      error: { code: 'BAD_REQUEST' },
    });
    expect(hub.metrics().errors.BAD_REQUEST).toBe(before + 1);
  });
});
