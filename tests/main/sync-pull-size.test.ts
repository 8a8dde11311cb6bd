import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, expect, it } from 'vitest';
import { CONSOLE_NAMESPACE, PullRequest } from '../../shared/protocol';
import { alertEvent, replicaWithEngine } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Found by the fault suite (tests/faults, scenario 1, on a loaded machine): a 2 000-entry page
 * (~4 MB of alerts) did not arrive within the ack timeout, the session was dropped, and after
 * the reconnect the console asked for the same page again: it never caught up. A pull that
 * times out now halves the page size, so a console on a slow path still gets there.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('after pulls time out the console asks for smaller pages, and catches up', async () => {
  // A hub (or a link) that cannot deliver a page of more than 150 entries in time.
  const log = Array.from({ length: 400 }, (_, i) => alertEvent(i + 1));
  const asked: number[] = [];
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
      asked.push(p.limit);
      if (p.limit <= 150) ack({ events: log.slice(p.after, p.after + p.limit), head: log.length });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => io.close(() => resolve())));

  const { replica, engine } = replicaWithEngine(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, cleanups, {
    ackTimeoutMs: 1_000,
    pullLimit: 2_000,
  });
  engine.start();

  await eventually(() => replica.cursor() === log.length, 'caught up through smaller pages');
  expect(asked[0]).toBe(2_000);
  expect(Math.min(...asked)).toBeLessThanOrEqual(150);
  expect(Math.min(...asked)).toBeGreaterThanOrEqual(50);
});
