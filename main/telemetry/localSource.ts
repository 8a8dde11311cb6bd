import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import type { AppError, ErrorCode } from '../../shared/errors';
import { TelemetryBatch } from '../../shared/telemetry/schema';

/**
 * The console's second telemetry source (issue 9, decision 0032): when the hub is
 * unreachable, readings can still come from the control room's own network, so the
 * console's rules keep warning. Either a Socket.IO endpoint that emits the same
 * `telemetry` batches as the hub (source 'local'), or a recorded file of TelemetryBatch
 * lines (NDJSON) replayed. Every batch goes through the same ingest as the hub's
 * (`TelemetryIngest.ingest(batch, 'local')`), so it is parsed, stored and evaluated the
 * same way; what the ingest refuses is counted here by code.
 */
export const LocalTelemetrySource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('socket'),
    /** e.g. http://10.20.0.5:7400/telemetry (the namespace is the URL's path) */
    url: z.string().url(),
    token: z.string().min(1).max(10_000).optional(),
  }),
  z.object({
    kind: z.literal('replay'),
    file: z.string().min(1),
    /** how many recorded seconds pass per real second; Infinity-like 0 = as fast as it can */
    speed: z.number().nonnegative().default(60),
    /**
     * Move the recording's times so its first reading is "now": a replay is treated as a
     * live source (the rules' windows and the missing-sensor sweep run on the wall clock).
     */
    shiftToNow: z.boolean().default(true),
  }),
]);
export type LocalTelemetrySource = z.input<typeof LocalTelemetrySource>;

/** What the ingest says about one batch (TelemetryIngest.ingest's result). */
export type IngestAnswer = { ok: true } | { ok: false; error: AppError };

export interface LocalSourceCounters {
  /** batches the ingest accepted */
  batches: number;
  /** batches refused (bad lines, refused by the ingest), by code */
  refused: Partial<Record<ErrorCode, number>>;
  lastError: AppError | null;
  /** replay: the file has been read to its end */
  done: boolean;
}

export interface LocalSource {
  readonly counters: LocalSourceCounters;
  /** resolves when a replay has been read to its end (never for a socket) */
  readonly finished: Promise<void>;
  stop(): void;
}

export type BatchSink = (raw: unknown) => IngestAnswer;

export function startLocalSource(
  config: LocalTelemetrySource,
  sink: BatchSink,
  options: { now?: () => number; log?: (line: string) => void } = {},
): LocalSource {
  const parsed = LocalTelemetrySource.parse(config);
  const counters: LocalSourceCounters = { batches: 0, refused: {}, lastError: null, done: false };
  const refuse = (error: AppError): void => {
    counters.refused[error.code] = (counters.refused[error.code] ?? 0) + 1;
    counters.lastError = error;
    options.log?.(`watchfloor: local telemetry ${error.code}: ${error.message}`);
  };
  const deliver = (raw: unknown): void => {
    const answer = sink(raw);
    if (answer.ok) counters.batches++;
    else refuse(answer.error);
  };
  if (parsed.kind === 'socket') return socketSource(parsed, deliver, counters, refuse);
  return replaySource(parsed, deliver, counters, refuse, options.now ?? Date.now);
}

function socketSource(
  config: Extract<z.infer<typeof LocalTelemetrySource>, { kind: 'socket' }>,
  deliver: (raw: unknown) => void,
  counters: LocalSourceCounters,
  refuse: (e: AppError) => void,
): LocalSource {
  const socket: Socket = io(config.url, {
    ...(config.token ? { auth: { token: config.token } } : {}),
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    transports: ['websocket'],
  });
  socket.on('telemetry', (raw: unknown) => deliver(raw));
  socket.on('connect_error', (err: Error) =>
    refuse({
      code: 'TELEMETRY_SOURCE_UNAVAILABLE',
      message: `The local telemetry source ${config.url} cannot be reached (${err.message}); retrying.`,
    }),
  );
  return {
    counters,
    finished: new Promise<void>(() => {}),
    stop: () => {
      socket.removeAllListeners();
      socket.close();
    },
  };
}

function replaySource(
  config: Extract<z.infer<typeof LocalTelemetrySource>, { kind: 'replay' }>,
  deliver: (raw: unknown) => void,
  counters: LocalSourceCounters,
  refuse: (e: AppError) => void,
  now: () => number,
): LocalSource {
  let stopped = false;
  let shift: number | null = null;
  let firstT: number | null = null;
  const startedAt = now();
  // stop() ends a wait at once: a pending timer would keep the replica worker alive past its close
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const timer = setTimeout(r, ms);
      wake = () => {
        clearTimeout(timer);
        r();
      };
    }).finally(() => (wake = null));

  const run = async (): Promise<void> => {
    const stream = createReadStream(config.file, { encoding: 'utf8' });
    const failed = new Promise<never>((_, reject) => stream.once('error', reject));
    failed.catch(() => {});
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    try {
      let lineNo = 0;
      for await (const line of lines) {
        if (stopped) break;
        lineNo++;
        if (line.trim() === '') continue;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          refuse({
            code: 'TELEMETRY_BAD_LINE',
            message: `Line ${lineNo} of ${config.file} is not JSON; it was skipped and nothing from it was stored.`,
          });
          continue;
        }
        const batch = TelemetryBatch.safeParse(raw);
        if (batch.success && batch.data.readings.length > 0) {
          const t0 = Math.min(...batch.data.readings.map((r) => r.t));
          firstT ??= t0;
          if (config.shiftToNow) shift ??= startedAt - firstT;
          // pace: recorded time since the first batch, divided by speed
          if (config.speed > 0) {
            const due = startedAt + (t0 - firstT) / config.speed;
            const wait = due - now();
            if (wait > 5) await sleep(Math.min(wait, 60_000));
          }
          if (stopped) break;
          deliver(
            shift
              ? { ...batch.data, readings: batch.data.readings.map((r) => ({ ...r, t: r.t + (shift as number) })) }
              : batch.data,
          );
        } else {
          // not a valid batch: the ingest refuses it with its own code, and it is counted
          deliver(raw);
        }
      }
    } catch (err) {
      refuse({
        code: 'TELEMETRY_SOURCE_UNAVAILABLE',
        message: `The recorded telemetry file ${config.file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      });
    } finally {
      lines.close();
      stream.destroy();
      counters.done = true;
    }
  };
  const finished = run();
  return {
    counters,
    finished,
    stop: () => {
      stopped = true;
      wake?.();
    },
  };
}

/**
 * The console's flags for it: `--telemetry-local <url|file>` (or WATCHFLOOR_TELEMETRY_LOCAL);
 * an http(s) URL is a Socket.IO endpoint, anything else a recorded file to replay, at
 * `--telemetry-replay-speed <x>` (default 60; 0 = as fast as it can).
 */
export function localSourceFromArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): z.infer<typeof LocalTelemetrySource> | undefined {
  const flag = (name: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === name) return argv[i + 1];
      if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    }
    return undefined;
  };
  const where = flag('--telemetry-local') ?? env.WATCHFLOOR_TELEMETRY_LOCAL;
  if (!where) return undefined;
  const speed = flag('--telemetry-replay-speed') ?? env.WATCHFLOOR_TELEMETRY_REPLAY_SPEED;
  const raw = /^https?:\/\//.test(where)
    ? { kind: 'socket', url: where }
    : { kind: 'replay', file: where, ...(speed !== undefined ? { speed: Number(speed) } : {}) };
  return LocalTelemetrySource.parse(raw);
}
