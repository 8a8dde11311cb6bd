import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { encodeHlc } from '../../shared/hlc';
import { newId } from '../../shared/ids';
import { CONSOLE_NAMESPACE } from '../../shared/protocol';
import type { EventDraft } from '../../hub/events';
import type { Hub } from '../../hub/server';

/** A fresh temp dir per test; removed by the returned cleanup. */
export function tempDir(prefix = 'watchfloor-hub-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A console's socket on the real hub; resolves once connected or rejects with the connect_error. */
export async function connect(url: string, auth: unknown): Promise<Socket> {
  const socket = io(`${url}${CONSOLE_NAMESPACE}`, {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
  return socket;
}

export async function consoleFor(
  hub: Hub,
  role: 'officer' | 'supervisor' | 'feed' = 'officer',
  name = 'Ada Okafor',
): Promise<Socket> {
  const token = await hub.issueToken({ role, name, position: role === 'feed' ? undefined : 'Duty Officer' });
  return connect(hub.url, { token });
}

/** An ack'd request; the test's own timeout bounds the wait. */
export const ask = (socket: Socket, event: string, payload: unknown): Promise<unknown> =>
  socket.emitWithAck(event, payload);

let wall = 1_795_000_000_000;
export const hlc = (node = 'console-a'): string => encodeHlc({ wall: wall++, counter: 0, node });

export const acknowledge = (alertId: string, id = newId()) => ({
  id,
  type: 'alert.acknowledge' as const,
  payload: { alertId },
  hlc: hlc(),
});

/** Waits until `check` returns something truthy. No timing is asserted. */
export async function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A duty officer's manual activity-log entry as the hub's store appends it (for sealing big logs). */
export const manualLogDraft = (incidentId: string, seq: number, at: number, text: string): EventDraft => ({
  type: 'log.appended',
  payload: {
    id: newId(),
    seq,
    incidentId,
    operationalPeriod: 1,
    at: new Date(at).toISOString(),
    author: 'Ada Okafor',
    position: 'Duty Officer',
    text,
    kind: 'manual',
    corrects: null,
    action: 'log.append',
  },
});
