import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChangeSet } from '../../shared/api';
import type { TelemetryStatusPush } from '../../shared/telemetry/api';
import { fail, type Result } from '../../shared/errors';
import { WorkerToHost, type WorkerConfig, type WorkerOp } from './rpc';

export interface ReplicaWorkerOptions extends WorkerConfig {
  /** a bundled worker (dist/main/replica-worker.cjs); default: worker.ts loaded through tsx by worker-dev.mjs */
  workerPath?: string;
}

export interface ReplicaClient {
  readonly consoleId: string;
  call(op: WorkerOp, args?: unknown): Promise<Result<unknown>>;
  onChanges(listener: (changes: ChangeSet) => void): () => void;
  /** the edge rule engine's status push (issue 9) */
  onTelemetryStatus(listener: (status: TelemetryStatusPush) => void): () => void;
  close(): Promise<void>;
}

function workerEntry(options: ReplicaWorkerOptions): string | URL {
  if (options.workerPath) return options.workerPath;
  if (typeof import.meta !== 'undefined' && typeof import.meta.url === 'string' && import.meta.url.endsWith('.ts')) {
    // Running from source (tsx, vitest): worker-dev.mjs loads worker.ts through tsx.
    return new URL('./worker-dev.mjs', import.meta.url);
  }
  // Bundled host (dist/main/*.cjs): the worker bundle sits next to it.
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return path.join(here, 'replica-worker.cjs');
}

/** Start the replica worker and resolve once its replica is open. */
export function startReplicaWorker(options: ReplicaWorkerOptions): Promise<ReplicaClient> {
  const { workerPath: _ignored, ...config } = options;
  // A bundle needs no loader: without execArgv: [] it inherits the parent's (tsx in tests,
  // the harness and bench), which made the worker start ~1 s slower (bench/RESULTS.md).
  // Calls posted and not yet taken by the worker: it reads this between entries of an apply and
  // lets a waiting call in before the transaction's time is up (decision 0037).
  const urgentCalls = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(workerEntry(options), {
    workerData: { ...config, urgentCalls: urgentCalls.buffer },
    ...(options.workerPath ? { execArgv: [] } : {}),
  });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Set<(changes: ChangeSet) => void>();
  const statusListeners = new Set<(status: TelemetryStatusPush) => void>();
  let nextId = 1;
  let stopped: Result<never> | null = null;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const stop = (reason: Result<never>): void => {
    stopped ??= reason;
    for (const settle of pending.values()) settle(reason);
    pending.clear();
  };

  return new Promise<ReplicaClient>((resolve, reject) => {
    let ready = false;
    worker.on('message', (raw: unknown) => {
      const parsed = WorkerToHost.safeParse(raw);
      if (!parsed.success) return;
      const msg = parsed.data;
      switch (msg.kind) {
        case 'ready':
          ready = true;
          resolve(client(msg.consoleId));
          return;
        case 'result':
          pending.get(msg.id)?.(msg.result as Result<unknown>);
          pending.delete(msg.id);
          return;
        case 'changes':
          for (const l of listeners) l(msg.changes);
          return;
        case 'telemetryStatus':
          for (const l of statusListeners) l(msg.status);
          return;
        case 'fatal':
          stop({ ok: false, error: msg.error });
          if (!ready) reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
          return;
        case 'closed':
          return;
      }
    });
    worker.on('error', (err) => {
      stop(fail('INTERNAL', `The replica stopped (${err.message}); restart the console.`));
      if (!ready) reject(err);
    });
    worker.on('exit', (code) => {
      stop(fail('INTERNAL', `The replica stopped (exit ${code}); restart the console.`));
      if (!ready) reject(new Error(`The replica worker exited (${code}) before it was ready.`));
      resolveClosed();
    });

    const client = (consoleId: string): ReplicaClient => ({
      consoleId,
      call(op, args) {
        if (stopped) return Promise.resolve(stopped);
        const id = nextId++;
        return new Promise((settle) => {
          pending.set(id, settle);
          Atomics.add(urgentCalls, 0, 1);
          worker.postMessage({ kind: 'call', id, op, args });
        });
      },
      onChanges(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onTelemetryStatus(listener) {
        statusListeners.add(listener);
        return () => statusListeners.delete(listener);
      },
      async close() {
        if (!stopped) {
          stop(fail('INTERNAL', 'The console is closing.'));
          worker.postMessage({ kind: 'close' });
        }
        // A worker that does not finish closing in time is ended; its last transaction is durable.
        const timeout = setTimeout(() => void worker.terminate(), 5_000);
        await closed;
        clearTimeout(timeout);
      },
    });
  });
}
