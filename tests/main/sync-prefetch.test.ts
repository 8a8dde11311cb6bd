import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, expect, it } from 'vitest';
import { CONSOLE_NAMESPACE, PullRequest } from '../../shared/protocol';
import { alertEvent, replicaWithEngine } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Found by the fault suite (tests/faults, scenario 1): the sync engine asks for the next page
 * before it applies the current one. When that prefetched pull went unanswered past the ack
 * timeout while the current page was still being applied (slices yield to the event loop),
 * its rejection had no handler yet: an unhandled rejection, which ends the replica worker
 * ("The replica stopped (operation has timed out)"). The console must instead drop the
 * session and reconnect, as for any pull without an answer.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('a prefetched pull that times out while the page before it is applied drops the session, nothing unhandled', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  cleanups.push(() => process.off('unhandledRejection', onUnhandled));

  // A hub that answers hello and the first 1 000 entries of a long log, and never anything after.
  // (Pulls inside the first 1 000 are answered whatever their size: on a loaded machine a pull
  // can time out and be asked again halved, and the console must still reach 1 000.)
  const FIRST = 1_000;
  const log = Array.from({ length: 3_000 }, (_, i) => alertEvent(i + 1));
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  io.of(CONSOLE_NAMESPACE).on('connection', (socket) => {
    socket.on('hello', (_raw: unknown, ack: (a: unknown) => void) =>
      ack({
        hubId: 'stub-hub',
        head: log.length,
        tail: 1,
        schema: 1,
        officer: { name: 'Officer Ada', role: 'officer' },
      }),
    );
    socket.on('pull', (raw: unknown, ack: (a: unknown) => void) => {
      const p = PullRequest.parse(raw);
      if (p.after < FIRST) ack({ events: log.slice(p.after, Math.min(p.after + p.limit, FIRST)), head: log.length });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => io.close(() => resolve())));

  const { replica, engine } = replicaWithEngine(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, cleanups, {
    // Applying 1 000 alerts takes far longer than this: the prefetch times out mid-apply.
    ackTimeoutMs: 60,
    pullLimit: 1_000,
  });
  engine.start();

  await eventually(() => replica.cursor() === FIRST, 'first 1 000 entries applied');
  await eventually(() => engine.status().lastError?.code === 'TIMEOUT', 'session dropped for the unanswered pull');
  expect(unhandled).toEqual([]);
});
