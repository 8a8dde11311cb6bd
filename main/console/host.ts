import { join } from 'node:path';
import { SESSION_OPERATIONS, type SessionOperation } from '../../shared/domain/officer';
import { invokeChannels, pushChannels, type ChangeSet, type InvokeName } from '../../shared/api';
import type { Clock } from '../../shared/clock';
import { fail, type Result } from '../../shared/errors';
import { Exporter, isExportOperation } from './export';
import { startReplicaWorker, type ReplicaClient } from '../replica/client';
import type { WorkerConfig, WorkerOp } from '../replica/rpc';
import { LocalTelemetrySource } from '../telemetry/localSource';
import { BASEMAP_OPERATIONS, type BasemapOperation } from '../../shared/basemap';
import { basemapHandlers, callBasemap, type BasemapShell } from '../basemap/service';
import { BasemapStore, type BasemapCounters } from '../basemap/store';

export { readConsoleConfig, type ConsoleConfig } from './config';

export interface ConsoleHostOptions {
  /** replica.sqlite lives here */
  dataDir: string;
  hubUrl: string;
  token: string;
  /** tokens of officers who signed out with actions still in the outbox, to send those in their name (decision 0036) */
  deliveryTokens?: readonly string[];
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
  /** the replica's encryption key (decision 0025; the shell reads it from safeStorage) */
  replicaKey?: Uint8Array;
  reconnect?: WorkerConfig['reconnect'];
  ackTimeoutMs?: number;
  /** a catch-up this many entries behind or more pushes progress, not rows (decision 0040); default MAX_PULL */
  quietBehind?: number;
  /** where exports downloaded from the hub go (issue 6); default <dataDir>/exports */
  exportDir?: string;
  /** imported MBTiles basemaps (issue 5): size limit; the shell's file dialog, where there is one */
  basemaps?: { maxBytes?: number; shell?: BasemapShell };
  /** a second telemetry source (issue 9): a Socket.IO endpoint on the control room's network or a recording */
  localTelemetry?: LocalTelemetrySource;
}

export interface ConsoleHostStats {
  badRequests: number;
  pushes: number;
  /** basemap imports and refusals by code, tiles served and missing (issue 5) */
  basemaps?: BasemapCounters;
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

type Keyed<T> = Map<string, T>;
const byKey = <T>(rows: readonly T[] | undefined, key: (row: T) => string, into: Keyed<T> = new Map()): Keyed<T> => {
  for (const r of rows ?? []) into.set(key(r), r);
  return into;
};
const stepKey = (s: { incidentId: string; stepId: string }) => `${s.incidentId}\u0000${s.stepId}`;

/**
 * Merge change sets: the newest row per id wins, the newest status and needs-attention
 * list win; a removal drops the row merged before it and a later row undoes the removal.
 * Every field of the ChangeSet survives (incidents, units, log entries, checklist steps).
 */
export function mergeChanges(into: ChangeSet | null, next: ChangeSet): ChangeSet {
  if (!into) return { ...next, alerts: [...next.alerts], assets: [...next.assets] };
  const alerts = byKey(
    next.alerts,
    (a) => a.id,
    byKey(into.alerts, (a) => a.id),
  );
  const assets = byKey(
    next.assets,
    (a) => a.id,
    byKey(into.assets, (a) => a.id),
  );
  const out: ChangeSet = { alerts: [...alerts.values()], assets: [...assets.values()] };
  const status = next.status ?? into.status;
  if (status) out.status = status;
  const removedIncidents = new Set(into.removed?.incidents ?? []);
  const removedLog = new Set(into.removed?.logEntries ?? []);
  const incidents = byKey(into.incidents, (i) => i.id);
  const logEntries = byKey(into.logEntries, (e) => e.id);
  for (const id of next.removed?.incidents ?? []) {
    incidents.delete(id);
    removedIncidents.add(id);
  }
  for (const id of next.removed?.logEntries ?? []) {
    logEntries.delete(id);
    removedLog.add(id);
  }
  for (const i of next.incidents ?? []) {
    incidents.set(i.id, i);
    removedIncidents.delete(i.id);
  }
  for (const e of next.logEntries ?? []) {
    logEntries.set(e.id, e);
    removedLog.delete(e.id);
  }
  if (into.incidents || next.incidents) out.incidents = [...incidents.values()];
  if (into.logEntries || next.logEntries) out.logEntries = [...logEntries.values()];
  if (into.units || next.units)
    out.units = [
      ...byKey(
        next.units,
        (u) => u.id,
        byKey(into.units, (u) => u.id),
      ).values(),
    ];
  if (into.checklistSteps || next.checklistSteps)
    out.checklistSteps = [...byKey(next.checklistSteps, stepKey, byKey(into.checklistSteps, stepKey)).values()];
  if (into.removed || next.removed) out.removed = { incidents: [...removedIncidents], logEntries: [...removedLog] };
  const needsAttention = next.needsAttention ?? into.needsAttention;
  if (needsAttention) out.needsAttention = needsAttention;
  // the telemetry rules come whole (decision 0034): the newest wins
  const telemetryRules = next.telemetryRules ?? into.telemetryRules;
  if (telemetryRules) out.telemetryRules = telemetryRules;
  // a resync owed survives any merge (decision 0040)
  if (into.resync || next.resync) out.resync = true;
  return out;
}

export async function startConsoleHost(options: ConsoleHostOptions): Promise<ConsoleHost> {
  const replica: ReplicaClient = await startReplicaWorker({
    dataDir: options.dataDir,
    hubUrl: options.hubUrl,
    token: options.token,
    ...(options.deliveryTokens?.length ? { deliveryTokens: [...options.deliveryTokens] } : {}),
    ...(options.consoleId ? { consoleId: options.consoleId } : {}),
    ...(options.localTelemetry ? { localTelemetry: LocalTelemetrySource.parse(options.localTelemetry) } : {}),
    ...(options.workerPath ? { workerPath: options.workerPath } : {}),
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.replicaKey ? { replicaKey: Buffer.from(options.replicaKey).toString('hex') } : {}),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...(options.ackTimeoutMs ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
    ...(options.quietBehind !== undefined ? { quietBehind: options.quietBehind } : {}),
  });
  const stats: ConsoleHostStats = { badRequests: 0, pushes: 0 };
  // Basemaps are answered here, beside the worker: tile reads must not wait behind catch-up.
  const basemaps = new BasemapStore({
    dataDir: options.dataDir,
    ...(options.basemaps?.maxBytes ? { maxBytes: options.basemaps.maxBytes } : {}),
    nativeBinding: process.env.WATCHFLOOR_SQLITE_BINDING || undefined,
  });
  const basemapOps = basemapHandlers(basemaps, options.basemaps?.shell ?? null);
  const isBasemapOp = (name: string): name is BasemapOperation =>
    (BASEMAP_OPERATIONS as readonly string[]).includes(name);
  const isSessionOp = (name: string): name is SessionOperation =>
    (SESSION_OPERATIONS as readonly string[]).includes(name);
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  const pushTo = (channel: string, payload: unknown): void => {
    for (const l of listeners) {
      try {
        l(channel, payload);
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  };
  // Exports are downloaded here, beside the worker (issue 6): a file stream, not the replica.
  const exporter = new Exporter({
    hubUrl: options.hubUrl.replace(/\/+$/, ''),
    token: () => options.token,
    dir: options.exportDir ?? join(options.dataDir, 'exports'),
    push: (progress) => pushTo(pushChannels.exportProgress.name, progress),
  });
  let queued: ChangeSet | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastPush = Number.NEGATIVE_INFINITY;
  let closed = false;

  const push = (): void => {
    timer = null;
    lastPush = performance.now();
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

  // The edge rule engine's status (issue 9): the worker already sends it at most once a second.
  const unsubscribeStatus = replica.onTelemetryStatus((status) => {
    if (!closed) pushTo(pushChannels.telemetryStatus.name, status);
  });
  const unsubscribeWorker = replica.onChanges((changes) => {
    queued = mergeChanges(queued, changes);
    // Leading edge: the first change after a quiet frame goes out now (the worker has
    // already gathered it for 16 ms); later ones wait for the next frame boundary.
    timer ??= setTimeout(push, Math.max(0, lastPush + FRAME_MS - performance.now()));
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
        if (isBasemapOp(name)) return await callBasemap(basemapOps, name, args.data);
        if (isExportOperation(name)) return exporter.call(name, args.data);
        if (isSessionOp(name))
          return fail('NOT_FOUND', 'This console was started without sign-in; signing in needs startSessionHost.');
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
    stats: () => ({ ...stats, basemaps: structuredClone(basemaps.counters) }),
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      unsubscribeWorker();
      unsubscribeStatus();
      exporter.cancelAll();
      listeners.clear();
      basemaps.close();
      await replica.close();
    },
  };
}
