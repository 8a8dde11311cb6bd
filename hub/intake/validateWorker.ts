import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { validateCapDocument } from './xsd';

/**
 * One intake validation thread (hub/intake/pool.ts): the CAP parse is synchronous and
 * takes 1–2.5 s on a hostile 2 MiB input, so it runs here, never on the Socket.IO loop.
 */
if (!parentPort) throw new Error('hub/intake/validateWorker.ts runs only as a worker_threads worker.');
const port = parentPort;

const Task = z.object({ id: z.number().int(), bytes: z.instanceof(Uint8Array), maxBytes: z.number().int().positive() });

port.on('message', (raw: unknown) => {
  const task = Task.safeParse(raw);
  if (!task.success) return;
  const { id, bytes, maxBytes } = task.data;
  validateCapDocument(bytes, { maxBytes }).then(
    (verdict) => port.postMessage({ id, ok: true, verdict }),
    (err: unknown) => port.postMessage({ id, ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});
port.postMessage({ ready: true });
