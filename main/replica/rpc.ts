import { z } from 'zod';
import { ChangeSet, invokeChannels } from '../../shared/api';
import { TelemetryStatusPush } from '../../shared/telemetry/api';
import { LocalTelemetrySource } from '../telemetry/localSource';
import { BASEMAP_OPERATIONS, type BasemapOperation } from '../../shared/basemap';
import { SESSION_OPERATIONS, type SessionOperation } from '../../shared/domain/officer';
import { ErrorCodes } from '../../shared/errors';
import { EXPORT_OPERATIONS, type ExportOperation } from '../../shared/export';

/**
 * Messages between the console host (main thread) and the replica worker. Both sides
 * parse what they receive with these schemas: a thread boundary is a process boundary.
 */

/**
 * Operations the worker serves: the ConsoleApi's, plus a few for the shell, harness and tests.
 * Basemap operations (shared/basemap.ts) are answered by the console host itself: they read
 * MBTiles files, not the replica, and must not queue behind catch-up.
 */
type WorkerInvokeName = Exclude<keyof typeof invokeChannels, BasemapOperation | SessionOperation | ExportOperation>;
type InvokeArgsSchemas = { [K in WorkerInvokeName]: (typeof invokeChannels)[K]['args'] };
// signing in (issue 6) is answered by main/console/sessionHost.ts, around the host
const hostOnly: ReadonlySet<string> = new Set([...BASEMAP_OPERATIONS, ...SESSION_OPERATIONS, ...EXPORT_OPERATIONS]);
/** Every other ConsoleApi operation is a worker operation; a new channel fails to compile until the worker serves it. */
const invokeArgs = Object.fromEntries(
  Object.entries(invokeChannels)
    .filter(([name]) => !hostOnly.has(name))
    .map(([name, channel]) => [name, channel.args]),
) as InvokeArgsSchemas;

export const workerOps = {
  ...invokeArgs,
  getStatus: z.undefined(),
  getCounts: z.undefined(),
  getOutbox: z.undefined(),
  /** officer keys of actions still waiting to be sent (decision 0036) */
  getWaitingAuthors: z.undefined(),
  getSyncCounters: z.undefined(),
  /** telemetry batches stored, refused and seen missing (issue 9) */
  getTelemetryCounters: z.undefined(),
  // the edge rule engine's and the local second source's counters (issue 9)
  getEdgeCounters: z.undefined(),
  getLog: z.object({ after: z.number().int().nonnegative(), limit: z.number().int().positive().max(100_000) }),
} as const;
export type WorkerOp = keyof typeof workerOps;
export const WorkerOpName = z.enum(Object.keys(workerOps) as [WorkerOp, ...WorkerOp[]]);

export const WorkerConfig = z.object({
  dataDir: z.string().min(1),
  hubUrl: z.string().url(),
  token: z.string().min(1),
  /** tokens of officers who signed out with actions still in the outbox (decision 0036) */
  deliveryTokens: z.array(z.string().min(1).max(8_192)).max(100).optional(),
  consoleId: z.string().min(1).max(100).optional(),
  migrationsDir: z.string().optional(),
  /** the replica's encryption key, hex (decision 0025); absent: plain SQLite */
  replicaKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  ackTimeoutMs: z.number().int().positive().optional(),
  reconnect: z
    .object({
      delayMs: z.number().nonnegative(),
      maxDelayMs: z.number().nonnegative(),
      jitter: z.number().min(0).max(1),
    })
    .partial()
    .optional(),
  /** a second telemetry source (issue 9, main/telemetry/localSource.ts) */
  localTelemetry: LocalTelemetrySource.optional(),
  /** coalescing window for change notifications, ms */
  changeWindowMs: z.number().int().nonnegative().optional(),
  /** a catch-up this many entries behind or more pushes progress, not rows (decision 0040); default MAX_PULL */
  quietBehind: z.number().int().nonnegative().optional(),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

const AppErrorSchema = z.object({ code: z.enum(ErrorCodes), message: z.string() });
export const WireResult = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorSchema }),
]);

export const HostToWorker = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.number().int(), op: WorkerOpName, args: z.unknown() }),
  z.object({ kind: z.literal('close') }),
]);
export type HostToWorker = z.infer<typeof HostToWorker>;

export const WorkerToHost = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), consoleId: z.string() }),
  z.object({ kind: z.literal('result'), id: z.number().int(), result: WireResult }),
  z.object({ kind: z.literal('changes'), changes: ChangeSet }),
  // the edge rule engine's state (issue 9): at most once a second
  z.object({ kind: z.literal('telemetryStatus'), status: TelemetryStatusPush }),
  z.object({ kind: z.literal('fatal'), error: AppErrorSchema }),
  z.object({ kind: z.literal('closed') }),
]);
export type WorkerToHost = z.infer<typeof WorkerToHost>;
