import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { systemClock, type Clock } from '../shared/clock';
import type { HubEvent } from '../shared/domain/events';
import type { Actor, Role } from '../shared/domain/officer';
import { toAppError, WatchfloorError, type AppError, type ErrorCode } from '../shared/errors';
import {
  CONSOLE_NAMESPACE,
  HandshakeAuth,
  HelloRequest,
  MAX_PULL,
  MutateRequest,
  PROTOCOL_SCHEMA,
  PullRequest,
  SnapshotRequest,
  Wire,
  type ErrorAck,
  type HelloAck,
  type MutateAck,
  type PullAck,
  type PullPageAck,
  type SnapshotAck,
} from '../shared/protocol';
import { TokenAuthority, type OfficerClaims } from './auth';
import type { EventDraft } from './events';
import { LIVE_ROOM, LiveFeed } from './liveFeed';
import { newCounters, type HubMetrics } from './metrics';
import { handleExportGet, isExportRoute } from './audit/httpExport';
import { ExportReceipts, handleExportReceipt, isExportReceiptRoute } from './audit/exportReceipts';
import { handleCapPost } from './intake/http';
import { CapIntake } from './intake/intake';
import { ValidatorPool } from './intake/pool';
import { DropFolder, FeedPoller, type DropResult, type HubConfig, type PollResult } from './intake/sources';
import { canonicalJson, decideMutation } from './mutationDesk';
import { Roster } from './roster';
import { FailureLimiter, handleSessionHttp, isSessionRoute } from './session';
import { buildDemoCity } from './simulator/city';
import { SimulatorRunner } from './simulator/runner';
import { TelemetryFeed, type TelemetryFeedOptions } from './telemetryFeed';
import { HubStore, type ValidatedDraft } from './store/hubStore';
import { SnapshotDesk } from './store/snapshots';
import { PullPages } from './store/pullPage';

export interface HubOptions {
  dataDir: string; // SQLite store + secret.key live here
  port?: number; // 0 = any free port
  host?: string; // default 127.0.0.1
  clock?: Clock;
  simulate?: { seed: number; rate: number } | null; // events/s of the demo city
  batchMs?: number; // live batching window, default 10
  /** where the hub reports trouble it cannot answer to anyone (default: stderr) */
  log?: (line: string) => void;
  /** CAP intake (issue 3): drop folder, polled feeds (hub/intake/sources.ts), validator threads, byte limit */
  intake?: { dropDir?: string; config?: HubConfig; poolSize?: number; maxBytes?: number; taskTimeoutMs?: number };
  /**
   * Retention (issue 5): keep at least the newest N log entries; older ones are compacted
   * (at most once a second, after appends). Consoles further behind rebuild from a snapshot.
   * Default: keep everything.
   */
  retainEvents?: number;
  /**
   * How long the hub waits for a console's receipt of an export it finished sending before it
   * audits the export as "receipt not known" (decision 0035). Default 60 s.
   */
  exportReceiptMs?: number;
  /**
   * Sensor telemetry (issue 9, decision 0031): the demo city's readings sampled every `everyMs`
   * and pushed to consoles outside the log, with named scenarios injected. Default: on (every
   * 5 s) when `simulate` is set, else off; false: off.
   */
  telemetry?: TelemetryFeedOptions | false;
}

export interface Hub {
  readonly url: string; // http://127.0.0.1:<port>
  readonly port: number;
  readonly hubId: string;
  head(): number;
  issueToken(claims: { role: Role; name: string; position?: string }): Promise<string>;
  /** append `count` simulated events now (tests, benchmarks) */
  simulate(count: number): Promise<void>;
  /**
   * Benchmarks: drafts checked against the log's schema now (HubStore.validate), to be appended
   * later by `appendPrepared` through the log's real append and publish path without a second
   * parse, so a timed stream measures the hub's append and the consoles, not whoever made the drafts.
   */
  prepare(drafts: readonly EventDraft[]): ValidatedDraft[];
  /** appends drafts from `prepare` in one transaction and publishes them live; the entries appended */
  appendPrepared(drafts: readonly ValidatedDraft[]): HubEvent[];
  /** server-side cut of every console connection (tests) */
  disconnectAll(): void;
  /** counters of messages, refusals by code, mutations and appends; also served at GET /health */
  metrics(): HubMetrics;
  /** the officers who may sign in (issue 6; also `npm run hub -- officer`) */
  readonly roster: Roster;
  /** CAP intake now, rather than on its timers (tests): scan the drop folder, poll every feed */
  readonly intake: { scanDrop(): Promise<DropResult[]>; pollFeeds(): Promise<PollResult[]> };
  /** Retention now (tests, fault suite): drop entries with seq < beforeSeq; returns the new tail. */
  compact(beforeSeq: number): number;
  /** the telemetry stream, when on: sample now (tests), inject a scenario, counters */
  readonly telemetry: Pick<TelemetryFeed, 'sampleNow' | 'inject' | 'counters' | 'everyMs'> | null;
  close(): Promise<void>;
}

/** One mutate is a few KB at most; this bounds what a misbehaving client can make the hub buffer. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const DEFAULT_SIMULATION_SEED = 1;
const KNOWN_MESSAGES = new Set<string>([Wire.hello, Wire.pull, Wire.mutate, Wire.snapshot]);
/** Retention runs at most this often; between runs the log may hold a second's appends more. */
const COMPACT_EVERY_MS = 1_000;

interface Session {
  officer: OfficerClaims;
  consoleId?: string;
}

type Ack = (answer: unknown) => void;

export async function startHub(options: HubOptions): Promise<Hub> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const storeFile = join(options.dataDir, 'hub.sqlite');
  const store = HubStore.open(storeFile, clock);
  const snapshots = new SnapshotDesk(storeFile);
  const pullPages = new PullPages(store.db);
  const auth = TokenAuthority.open(options.dataDir, clock);
  const roster = new Roster(store.db, clock);
  const limiter = new FailureLimiter(clock);
  const counters = newCounters();
  const count = (code: ErrorCode) => void counters.errors[code]++;
  const exportReceipts = new ExportReceipts(options.exportReceiptMs);

  const http = createServer((req, res) => serveHttp(req, res));
  // No connectionStateRecovery: it would keep every packet in memory, and the
  // cursor-and-pull protocol already recovers anything a console missed.
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: MAX_MESSAGE_BYTES });
  const nsp = io.of(CONSOLE_NAMESPACE);
  const feed = new LiveFeed(nsp, options.batchMs ?? 10, () => store.head());
  // Retention (issue 5): after appends, at most once per COMPACT_EVERY_MS; appends inside
  // the window are compacted when it ends.
  const retain = options.retainEvents;
  let lastCompact = 0;
  let compactTimer: ReturnType<typeof setTimeout> | null = null;
  const compact = (beforeSeq: number): number => store.compactLog(beforeSeq).tail;
  const retainNow = () => {
    if (retain === undefined || compactTimer) return;
    const wait = lastCompact + COMPACT_EVERY_MS - Date.now();
    if (wait > 0) {
      compactTimer = setTimeout(() => {
        compactTimer = null;
        retainNow();
      }, wait);
      compactTimer.unref();
      return;
    }
    lastCompact = Date.now();
    try {
      compact(store.head() - retain + 1);
    } catch (err) {
      log(`hub: retention failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const publish = (events: Parameters<LiveFeed['publish']>[0]) => {
    counters.eventsAppended += events.length;
    feed.publish(events);
    if (events.length > 0) retainNow();
  };

  // CAP intake (hub/intake/): POST /cap, the drop folder and the polled feeds share one
  // validator pool and one dedupe table.
  const pool = new ValidatorPool({
    size: options.intake?.poolSize,
    maxBytes: options.intake?.maxBytes,
    taskTimeoutMs: options.intake?.taskTimeoutMs,
  });
  const intake = new CapIntake(store, pool, publish, counters.intake);
  const dropDir = options.intake?.dropDir ?? options.intake?.config?.drop;
  const drop = dropDir ? new DropFolder(dropDir, intake) : null;
  const dropTimer = drop
    ? setInterval(
        () => void drop.scan().catch((e: unknown) => log(`hub: drop folder: ${String(e)}`)),
        (options.intake?.config?.dropEverySeconds ?? 2) * 1000,
      )
    : null;
  dropTimer?.unref();
  const poller = new FeedPoller(options.intake?.config?.feeds ?? [], intake, log);

  let runner: SimulatorRunner | null = null;
  const simulator = (): SimulatorRunner => {
    runner ??= new SimulatorRunner(store, clock, options.simulate?.seed ?? DEFAULT_SIMULATION_SEED, publish, log);
    return runner;
  };

  const telemetryOptions = options.telemetry ?? (options.simulate ? {} : false);
  const telemetry = telemetryOptions ? new TelemetryFeed(nsp, clock, buildDemoCity(), telemetryOptions) : null;

  const metrics = (): HubMetrics => ({
    hubId: store.hubId,
    head: store.head(),
    tail: store.tail(),
    consoles: nsp.sockets.size,
    ...structuredClone(counters),
    ...(telemetry ? { telemetry: { ...telemetry.counters } } : {}),
  });

  /**
   * Supervisors' HTTP routes take a token as a connection does: signed, unexpired, and its
   * officer still on the roster in that role, so a supervisor removed or demoted mid-shift
   * cannot go on exporting until the token expires.
   */
  const rosterAuth: Pick<TokenAuthority, 'verify'> = {
    verify: async (token) => {
      const claims = await auth.verify(token);
      const refusal = rosterRefusal(claims);
      if (refusal) throw new WatchfloorError(refusal.code, refusal.message);
      return claims;
    },
  };

  function serveHttp(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === '/cap' || req.url?.startsWith('/cap?')) {
      void handleCapPost(req, res, { intake, verify: (t) => auth.verify(t), count });
      return;
    }
    if (isSessionRoute(req.url)) {
      void handleSessionHttp(req, res, {
        store,
        roster,
        auth,
        clock,
        limiter,
        counters: counters.sessions,
        count,
        publish,
      });
      return;
    }
    if (isExportReceiptRoute(req.url)) {
      void handleExportReceipt(req, res, { receipts: exportReceipts, auth: rosterAuth, count });
      return;
    }
    if (isExportRoute(req.url)) {
      void handleExportGet(req, res, {
        dataDir: options.dataDir,
        store,
        auth: rosterAuth,
        count,
        publish,
        receipts: exportReceipts,
      });
      return;
    }
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', ...metrics() }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { code: 'NOT_FOUND', message: 'The hub serves GET /health and Socket.IO on /console.' },
      }),
    );
  }

  // The default namespace serves nothing; a client that lands there is told where to go.
  io.use((_socket, next) =>
    next(
      Object.assign(new Error('NOT_FOUND'), {
        data: { code: 'NOT_FOUND', message: `Consoles connect to the ${CONSOLE_NAMESPACE} namespace.` },
      }),
    ),
  );

  /** A sign-in token whose officer left the roster or changed role is refused (issue 6). */
  function rosterRefusal(officer: OfficerClaims): AppError | null {
    if (officer.via !== 'roster') return null;
    const entry = roster.list().find((o) => o.name.toLowerCase() === officer.name.toLowerCase());
    if (entry?.active && entry.role === officer.role) return null;
    return {
      code: 'UNAUTHORIZED',
      message: entry?.active
        ? `${officer.name} is now ${entry.role} on the roster; sign in again.`
        : `${officer.name} is no longer on this hub's roster; ask a supervisor.`,
    };
  }

  /**
   * Whom a mutate acts as: the connection's officer, or, for an action an officer left in
   * the outbox when signing out, the officer of its `asToken`, verified like a connection's
   * token (decision 0036). The console comes from the connection either way.
   */
  async function actingOfficer(asToken: string): Promise<OfficerClaims | AppError> {
    let officer: OfficerClaims;
    try {
      officer = await auth.verify(asToken);
    } catch (err) {
      return {
        code: 'UNAUTHORIZED',
        message: `The sign-in this action was made under cannot be used any more (${toAppError(err).message}); it was not recorded.`,
      };
    }
    return rosterRefusal(officer) ?? officer;
  }

  nsp.use((socket, next) => {
    const refuse = (error: AppError) => {
      counters.connections.refused++;
      count(error.code);
      // message = code, data = { code, message }: what socket.io-client's connect_error carries.
      next(Object.assign(new Error(error.code), { data: error }));
    };
    const handshake = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!handshake.success) {
      refuse({
        code: 'UNAUTHORIZED',
        message: 'No token: connect with auth { token } (make one with npm run hub -- token).',
      });
      return;
    }
    auth.verify(handshake.data.token).then(
      (officer) => {
        // A sign-in token is re-checked against the roster (issue 6): an officer taken off it,
        // or given another role, signs in again rather than working on the old role.
        const off = rosterRefusal(officer);
        if (off) {
          refuse(off);
          return;
        }
        socket.data = { officer } satisfies Session;
        counters.connections.accepted++;
        next();
      },
      (err: unknown) => refuse(toAppError(err)),
    );
  });

  nsp.on('connection', (socket: Socket) => {
    const session = socket.data as Session;

    socket.on(Wire.hello, (...args: unknown[]) =>
      handle(args, 'hello', (raw, ack) => {
        const hello = parse(HelloRequest, raw, 'hello');
        if (!hello.ok) return ack(errorAck(hello.error));
        if (hello.value.schema !== PROTOCOL_SCHEMA) {
          return ack(
            errorAck({
              code: 'SCHEMA_MISMATCH',
              message: `This hub speaks protocol ${PROTOCOL_SCHEMA} and the console ${hello.value.schema}; update the older one.`,
            }),
          );
        }
        session.consoleId = hello.value.consoleId;
        // Entries still waiting in the batch window go to the consoles already live, so
        // this console's live batches hold only entries newer than the head it is told.
        feed.flush();
        void socket.join(LIVE_ROOM);
        const answer: HelloAck = {
          hubId: store.hubId,
          head: store.head(),
          tail: store.tail(),
          schema: PROTOCOL_SCHEMA,
          officer: session.officer,
        };
        ack(answer);
      }),
    );

    socket.on(Wire.pull, (...args: unknown[]) =>
      handle(args, 'pull', (raw, ack) => {
        const pull = parse(PullRequest, raw, 'pull');
        if (!pull.ok) return ack(errorAck(pull.error));
        const tail = store.tail();
        if (pull.value.after < tail - 1) {
          return ack(
            errorAck({
              code: 'STALE_CURSOR',
              message: `The hub keeps entries from ${tail} on; this console is at ${pull.value.after} and must rebuild from a snapshot.`,
            }),
          );
        }
        const limit = Math.min(pull.value.limit, MAX_PULL);
        if (pull.value.as === 'bytes') {
          // the stored text as it is, one binary attachment: no parse, no stringify (decision 0040)
          const answer: PullPageAck = { ...pullPages.read(pull.value.after, limit), head: store.head() };
          return ack(answer);
        }
        const answer: PullAck = { events: store.read(pull.value.after, limit), head: store.head() };
        ack(answer);
      }),
    );

    socket.on(Wire.snapshot, (...args: unknown[]) =>
      handle(args, 'snapshot', (raw, ack) => {
        const request = parse(SnapshotRequest, raw, 'snapshot');
        if (!request.ok) return ack(errorAck(request.error));
        const { snapshotId, after, limit } = request.value;
        const page = snapshotId ? snapshots.next(snapshotId, after, limit) : snapshots.begin(limit);
        if (!page) {
          count('NOT_FOUND');
          return ack(
            errorAck({
              code: 'NOT_FOUND',
              message: `Snapshot ${snapshotId} is no longer open on the hub (idle too long, or the hub restarted); start the snapshot again.`,
            }),
          );
        }
        const answer: SnapshotAck = page;
        ack(answer);
      }),
    );

    socket.on(Wire.mutate, (...args: unknown[]) =>
      handle(args, 'mutate', (raw, ack) => {
        const request = parse(MutateRequest, raw, 'mutate');
        if (!request.ok) return ack(refusedAck(request.error));
        const decide = (officer: OfficerClaims): void => {
          const actor: Actor = { ...officer, ...(session.consoleId ? { consoleId: session.consoleId } : {}) };
          const outcome = decideMutation(store, request.value, actor);
          if (outcome.replayed) counters.mutations.replayed++;
          else if (outcome.ack.ok) counters.mutations.accepted++;
          else counters.mutations.refused++;
          if (!outcome.ack.ok && !outcome.replayed) count(outcome.ack.error.code);
          publish(outcome.events);
          ack(outcome.ack);
        };
        const asToken = request.value.asToken;
        if (!asToken) return decide(session.officer);
        // An action its officer left in the outbox at sign-out acts as that officer (decision 0036).
        void actingOfficer(asToken).then((officer) => {
          try {
            if (!('code' in officer)) return decide(officer);
            // An action the hub already decided, whose answer was lost on the way, gets that answer
            // again though its token no longer verifies (signed out, expired): it is on the log.
            const seen = store.recallMutation(request.value.id);
            if (seen?.request === canonicalJson({ type: request.value.type, payload: request.value.payload })) {
              counters.mutations.replayed++;
              return ack(seen.answer);
            }
            counters.mutations.refused++;
            count(officer.code);
            ack(refusedAck(officer));
          } catch (err) {
            count('INTERNAL');
            log(`hub: mutate failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
            ack(
              refusedAck({
                code: 'INTERNAL',
                message: 'The hub could not handle this mutate; try again, and report it if it repeats.',
              }),
            );
          }
        });
      }),
    );

    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_MESSAGES.has(event)) return;
      counters.messages.unknown++;
      count('BAD_REQUEST');
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        (ack as Ack)(errorAck({ code: 'BAD_REQUEST', message: `The hub does not know the message "${event}".` }));
      }
    });
  });

  /**
   * Every handler: find the ack wherever the client put it (or answer nobody),
   * count the message, and turn a thrown error into an INTERNAL answer rather
   * than a dropped connection.
   */
  function handle(
    args: unknown[],
    kind: 'hello' | 'pull' | 'mutate' | 'snapshot',
    body: (raw: unknown, ack: Ack) => void,
  ): void {
    counters.messages[kind]++;
    const last = args[args.length - 1];
    const ack: Ack = typeof last === 'function' ? (last as Ack) : () => undefined;
    const raw = typeof last === 'function' ? args.slice(0, -1)[0] : args[0];
    try {
      body(raw, ack);
    } catch (err) {
      count('INTERNAL');
      log(`hub: ${kind} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const error: AppError = {
        code: 'INTERNAL',
        message: `The hub could not handle this ${kind}; try again, and report it if it repeats.`,
      };
      ack(kind === 'mutate' ? refusedAck(error) : errorAck(error));
    }
  }

  function parse<S extends z.ZodType>(
    schema: S,
    raw: unknown,
    what: string,
  ): { ok: true; value: z.infer<S> } | { ok: false; error: AppError } {
    const result = schema.safeParse(raw);
    if (result.success) return { ok: true, value: result.data };
    count('BAD_REQUEST');
    const detail = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? i.path.join('.') : 'message'}: ${i.message}`)
      .join('; ');
    return {
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: `The ${what} message is malformed (${detail}); nothing was changed.`.slice(0, 1_000),
      },
    };
  }

  const errorAck = (error: AppError): ErrorAck => ({ error });
  const refusedAck = (error: AppError): MutateAck => ({ ok: false, error });

  if (options.simulate) {
    simulator().announceCity();
    simulator().startLive(options.simulate.rate);
  }
  retainNow();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  poller.start();
  telemetry?.start();
  const host = options.host ?? '127.0.0.1';
  let closed: Promise<void> | null = null;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    hubId: store.hubId,
    head: () => store.head(),
    issueToken: (claims) => auth.issue(claims),
    roster,
    simulate: (n) => simulator().appendNow(n),
    prepare: (drafts) => store.validate(drafts),
    appendPrepared: (drafts) => {
      const events = store.append(drafts);
      publish(events);
      return events;
    },
    disconnectAll: () => void nsp.disconnectSockets(true),
    metrics,
    intake: {
      scanDrop: () => (drop ? drop.scan() : Promise.resolve([])),
      pollFeeds: () => poller.pollAll(),
    },
    compact,
    telemetry,
    close() {
      closed ??= (async () => {
        // exports still waiting for a receipt are audited now, while the store is open
        exportReceipts.closeAll();
        runner?.stop();
        telemetry?.stop();
        poller.stop();
        if (compactTimer) clearTimeout(compactTimer);
        compactTimer = null;
        if (dropTimer) clearInterval(dropTimer);
        await pool.close();
        feed.flush();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        feed.stop();
        snapshots.close();
        store.close();
      })();
      return closed;
    },
  };
}
