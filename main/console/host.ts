import { invokeChannels, pushChannels, type ChangeSet, type InvokeName } from '../../shared/api';
import type { Clock } from '../../shared/clock';
import { fail, type Result } from '../../shared/errors';
import { startReplicaWorker, type ReplicaClient } from '../replica/client';
import type { WorkerConfig, WorkerOp } from '../replica/rpc';

export { readConsoleConfig, type ConsoleConfig } from './config';

export interface ConsoleHostOptions {
  /** replica.sqlite lives here */
  dataDir: string;
  hubUrl: string;
  token: string;
  /** persisted in the replica on first start; later starts keep the stored one */
  consoleId?: string;
  /**
   * Times the host's own coalescing. The replica worker runs on its own thread with
   * the system clock (a function cannot cross a thread); status `since` comes from there.
   */
  clock?: Clock;
  /** a bundled worker, e.g. dist/main/replica-worker.cjs; default: the TypeScript source under tsx */
  workerPath?: string;
  migrationsDir?: string;
  reconnect?: WorkerConfig['reconnect'];
  ackTimeoutMs?: number;
}

export interface ConsoleHostStats {
  badRequests: number;
  pushes: number;
}

export interface ConsoleHost {
  readonly consoleId: string;
  /** Parse args with the channel's schema, run the operation in the replica worker. */
  invoke(channel: string, rawArgs: unknown): Promise<Result<unknown>>;
  /** Pushes for the renderer, coalesced to at most one per animation frame (16 ms). */
  onPush(listener: (channel: string, payload: unknown) => void): () => void;
  /** Operations beyond the ConsoleApi, for the shell, the e2e harness and tests. */
  call(op: WorkerOp, args?: unknown): Promise<Result<unknown>>;
  stats(): ConsoleHostStats;
  close(): Promise<void>;
}

const FRAME_MS = 16;

const byChannel = new Map<string, InvokeName>(
  (Object.keys(invokeChannels) as InvokeName[]).map((name) => [invokeChannels[name].name, name]),
);

/** Merge change sets: the newest row per id wins, the newest status wins. */
export function mergeChanges(into: ChangeSet | null, next: ChangeSet): ChangeSet {
  if (!into) return { ...next, alerts: [...next.alerts], assets: [...next.assets] };
  const alerts = new Map(into.alerts.map((a) => [a.id, a]));
  for (const a of next.alerts) alerts.set(a.id, a);
  const assets = new Map(into.assets.map((a) => [a.id, a]));
  for (const a of next.assets) assets.set(a.id, a);
  const status = next.status ?? into.status;
  return {
    alerts: [...alerts.values()],
    assets: [...assets.values()],
    ...(status ? { status } : {}),
    ...mergeResponseChanges(into, next),
  };
}

/** Incidents, units, log entries, steps: newest row per key wins; a later row un-removes an id. */
function mergeResponseChanges(into: ChangeSet, next: ChangeSet): Partial<ChangeSet> {
  const out: Partial<ChangeSet> = {};
  const merge = <T>(
    a: readonly T[] | undefined,
    b: readonly T[] | undefined,
    key: (row: T) => string,
  ): T[] | undefined => {
    if (!a && !b) return undefined;
    const rows = new Map((a ?? []).map((r) => [key(r), r]));
    for (const r of b ?? []) rows.set(key(r), r);
    return [...rows.values()];
  };
  const incidents = merge(into.incidents, next.incidents, (i) => i.id);
  const units = merge(into.units, next.units, (u) => u.id);
  const logEntries = merge(into.logEntries, next.logEntries, (e) => e.id);
  const checklistSteps = merge(into.checklistSteps, next.checklistSteps, (s) => `${s.incidentId}/${s.stepId}`);
  if (incidents) out.incidents = incidents;
  if (units) out.units = units;
  if (logEntries) out.logEntries = logEntries;
  if (checklistSteps) out.checklistSteps = checklistSteps;
  if (into.removed || next.removed) {
    const nextIncidents = new Set((next.incidents ?? []).map((i) => i.id));
    const nextLog = new Set((next.logEntries ?? []).map((e) => e.id));
    out.removed = {
      incidents: [
        ...new Set([
          ...(into.removed?.incidents ?? []).filter((id) => !nextIncidents.has(id)),
          ...(next.removed?.incidents ?? []),
        ]),
      ],
      logEntries: [
        ...new Set([
          ...(into.removed?.logEntries ?? []).filter((id) => !nextLog.has(id)),
          ...(next.removed?.logEntries ?? []),
        ]),
      ],
    };
  }
  const needsAttention = next.needsAttention ?? into.needsAttention;
  if (needsAttention) out.needsAttention = needsAttention;
  return out;
}

export async function startConsoleHost(options: ConsoleHostOptions): Promise<ConsoleHost> {
  const replica: ReplicaClient = await startReplicaWorker({
    dataDir: options.dataDir,
    hubUrl: options.hubUrl,
    token: options.token,
    ...(options.consoleId ? { consoleId: options.consoleId } : {}),
    ...(options.workerPath ? { workerPath: options.workerPath } : {}),
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...(options.ackTimeoutMs ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
  });
  const stats: ConsoleHostStats = { badRequests: 0, pushes: 0 };
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  let queued: ChangeSet | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const push = (): void => {
    timer = null;
    const changes = queued;
    queued = null;
    if (!changes || closed) return;
    stats.pushes++;
    for (const l of listeners) {
      try {
        l(pushChannels.changes.name, changes);
      } catch {
        // A listener's failure must not stop the others or the worker's stream.
      }
    }
  };

  const unsubscribeWorker = replica.onChanges((changes) => {
    queued = mergeChanges(queued, changes);
    timer ??= setTimeout(push, FRAME_MS);
  });

  return {
    consoleId: replica.consoleId,
    async invoke(channel, rawArgs) {
      try {
        const name = typeof channel === 'string' ? byChannel.get(channel) : undefined;
        if (!name) {
          stats.badRequests++;
          return fail('BAD_REQUEST', `There is no operation called ${String(channel)}.`);
        }
        const args = invokeChannels[name].args.safeParse(rawArgs);
        if (!args.success) {
          stats.badRequests++;
          const issue = args.error.issues[0];
          return fail(
            'BAD_REQUEST',
            `Bad request for ${name}: ${issue ? `${issue.path.join('.') || 'args'} ${issue.message}` : 'invalid'}.`,
          );
        }
        if (closed) return fail('INTERNAL', 'The console is closing.');
        return await replica.call(name, args.data);
      } catch (err) {
        return fail('INTERNAL', `The console could not do that (${err instanceof Error ? err.message : String(err)}).`);
      }
    },
    onPush(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    call(op, args) {
      return replica.call(op, args);
    },
    stats: () => ({ ...stats }),
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      unsubscribeWorker();
      listeners.clear();
      await replica.close();
    },
  };
}
