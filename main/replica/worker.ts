import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ChangeSet } from '../../shared/api';
import { fail, ok, toAppError, WatchfloorError, type Result } from '../../shared/errors';
import { SyncEngine, type SyncChange } from '../sync/engine';
import { Replica } from './replica';
import { HostToWorker, WorkerConfig, workerOps, type WorkerOp, type WorkerToHost } from './rpc';

/**
 * The replica worker: the single writer of replica.sqlite, the sync engine and the
 * outbox (decision 0002). The host sends calls; the worker answers and posts coalesced
 * change notifications.
 */

if (!parentPort) throw new Error('main/replica/worker.ts runs only as a worker_threads worker.');
const port = parentPort;

const post = (message: WorkerToHost): void => port.postMessage(message);

function main(): void {
  const config = WorkerConfig.parse(workerData);
  mkdirSync(config.dataDir, { recursive: true });
  const replica = new Replica({
    file: path.join(config.dataDir, 'replica.sqlite'),
    consoleId: config.consoleId,
    migrationsDir: config.migrationsDir,
    // Set by the Electron shell when it runs with Electron's build of better-sqlite3.
    nativeBinding: process.env.WATCHFLOOR_SQLITE_BINDING || undefined,
  });

  // Changes are gathered and posted at most once per window, as fresh rows.
  const windowMs = config.changeWindowMs ?? 16;
  const changedAlerts = new Set<string>();
  const changedAssets = new Set<string>();
  let statusChanged = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flushChanges = (): void => {
    timer = null;
    const changes: ChangeSet = {
      alerts: changedAlerts.size ? replica.alertSummaries([...changedAlerts]) : [],
      assets: changedAssets.size ? replica.assets([...changedAssets]) : [],
      ...(statusChanged ? { status: engine.status() } : {}),
    };
    changedAlerts.clear();
    changedAssets.clear();
    statusChanged = false;
    post({ kind: 'changes', changes });
  };
  const onChange = (change: SyncChange): void => {
    for (const id of change.alerts) changedAlerts.add(id);
    for (const id of change.assets) changedAssets.add(id);
    statusChanged ||= change.status;
    timer ??= setTimeout(flushChanges, windowMs);
  };

  const engine = new SyncEngine({
    replica,
    hubUrl: config.hubUrl,
    token: config.token,
    reconnect: config.reconnect,
    ackTimeoutMs: config.ackTimeoutMs,
    onChange,
  });

  const handlers: { [K in WorkerOp]: (args: never) => unknown } = {
    getSnapshot: () => ({ assets: replica.assets(), alerts: replica.alertQueue(), status: engine.status() }),
    getAlert: (args: { alertId: string }) => {
      const detail = replica.alertDetail(args.alertId);
      if (!detail)
        throw new WatchfloorError(
          'NOT_FOUND',
          `Alert ${args.alertId} is not on this console; it may not have arrived yet.`,
        );
      return detail;
    },
    acknowledgeAlert: (args: { alertId: string; disposition?: never; note?: string }) => {
      const { mutationId, created } = replica.acknowledgeAlert(args);
      if (created) {
        onChange({ alerts: [args.alertId], assets: [], status: true });
        engine.notifyOutbox();
      }
      return { mutationId };
    },
    reinstateAlert: (args: { alertId: string; note?: string }) => {
      const { mutationId, created } = replica.reinstateAlert(args);
      if (created) {
        onChange({ alerts: [args.alertId], assets: [], status: true });
        engine.notifyOutbox();
      }
      return { mutationId };
    },
    getStatus: () => engine.status(),
    getCounts: () => replica.counts(),
    getOutbox: () => replica.outbox(),
    getSyncCounters: () => ({ ...engine.counters }),
    getLog: (args: { after: number; limit: number }) => replica.log(args.after, args.limit),
  };

  const call = (op: WorkerOp, rawArgs: unknown): Result<unknown> => {
    const args = workerOps[op].safeParse(rawArgs);
    if (!args.success)
      return fail('BAD_REQUEST', `Bad arguments for ${op}: ${args.error.issues[0]?.message ?? 'invalid'}.`);
    try {
      return ok((handlers[op] as (a: unknown) => unknown)(args.data));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  };

  port.on('message', (raw: unknown) => {
    const msg = HostToWorker.safeParse(raw);
    if (!msg.success) return; // not from our host; nothing to answer
    if (msg.data.kind === 'close') {
      void engine.close().then(() => {
        if (timer) clearTimeout(timer);
        replica.close();
        post({ kind: 'closed' });
        port.close();
      });
      return;
    }
    post({ kind: 'result', id: msg.data.id, result: call(msg.data.op, msg.data.args) });
  });

  post({ kind: 'ready', consoleId: replica.consoleId });
  engine.start();
}

try {
  main();
} catch (err) {
  post({ kind: 'fatal', error: toAppError(err) });
  port.close();
}
