import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { systemClock, type Clock } from '../shared/clock';
import type { Actor, Role } from '../shared/domain/officer';
import { toAppError, type AppError, type ErrorCode } from '../shared/errors';
import {
  CONSOLE_NAMESPACE,
  HandshakeAuth,
  HelloRequest,
  MAX_PULL,
  MutateRequest,
  PROTOCOL_SCHEMA,
  PullRequest,
  Wire,
  type ErrorAck,
  type HelloAck,
  type MutateAck,
  type PullAck,
} from '../shared/protocol';
import { TokenAuthority, type OfficerClaims } from './auth';
import { LIVE_ROOM, LiveFeed } from './liveFeed';
import { newCounters, type HubMetrics } from './metrics';
import { handleCapPost } from './intake/http';
import { CapIntake } from './intake/intake';
import { ValidatorPool } from './intake/pool';
import { DropFolder, FeedPoller, type DropResult, type HubConfig, type PollResult } from './intake/sources';
import { decideMutation } from './mutationDesk';
import { SimulatorRunner } from './simulator/runner';
import { HubStore } from './store/hubStore';

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
}

export interface Hub {
  readonly url: string; // http://127.0.0.1:<port>
  readonly port: number;
  readonly hubId: string;
  head(): number;
  issueToken(claims: { role: Role; name: string; position?: string }): Promise<string>;
  /** append `count` simulated events now (tests, benchmarks) */
  simulate(count: number): Promise<void>;
  /** server-side cut of every console connection (tests) */
  disconnectAll(): void;
  /** counters of messages, refusals by code, mutations and appends; also served at GET /health */
  metrics(): HubMetrics;
  /** CAP intake now, rather than on its timers (tests): scan the drop folder, poll every feed */
  readonly intake: { scanDrop(): Promise<DropResult[]>; pollFeeds(): Promise<PollResult[]> };
  close(): Promise<void>;
}

/** One mutate is a few KB at most; this bounds what a misbehaving client can make the hub buffer. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const DEFAULT_SIMULATION_SEED = 1;
const KNOWN_MESSAGES = new Set<string>([Wire.hello, Wire.pull, Wire.mutate]);

interface Session {
  officer: OfficerClaims;
  consoleId?: string;
}

type Ack = (answer: unknown) => void;

export async function startHub(options: HubOptions): Promise<Hub> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const store = HubStore.open(join(options.dataDir, 'hub.sqlite'), clock);
  const auth = TokenAuthority.open(options.dataDir, clock);
  const counters = newCounters();
  const count = (code: ErrorCode) => void counters.errors[code]++;

  const http = createServer((req, res) => serveHttp(req, res));
  // No connectionStateRecovery: it would keep every packet in memory, and the
  // cursor-and-pull protocol already recovers anything a console missed.
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: MAX_MESSAGE_BYTES });
  const nsp = io.of(CONSOLE_NAMESPACE);
  const feed = new LiveFeed(nsp, options.batchMs ?? 10, () => store.head());
  const publish = (events: Parameters<LiveFeed['publish']>[0]) => {
    counters.eventsAppended += events.length;
    feed.publish(events);
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

  const metrics = (): HubMetrics => ({
    hubId: store.hubId,
    head: store.head(),
    tail: store.tail(),
    consoles: nsp.sockets.size,
    ...structuredClone(counters),
  });

  function serveHttp(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === '/cap' || req.url?.startsWith('/cap?')) {
      void handleCapPost(req, res, { intake, verify: (t) => auth.verify(t), count });
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
        const answer: PullAck = {
          events: store.read(pull.value.after, Math.min(pull.value.limit, MAX_PULL)),
          head: store.head(),
        };
        ack(answer);
      }),
    );

    socket.on(Wire.mutate, (...args: unknown[]) =>
      handle(args, 'mutate', (raw, ack) => {
        const request = parse(MutateRequest, raw, 'mutate');
        if (!request.ok) return ack(refusedAck(request.error));
        const actor: Actor = { ...session.officer, ...(session.consoleId ? { consoleId: session.consoleId } : {}) };
        const outcome = decideMutation(store, request.value, actor);
        if (outcome.replayed) counters.mutations.replayed++;
        else if (outcome.ack.ok) counters.mutations.accepted++;
        else counters.mutations.refused++;
        if (!outcome.ack.ok && !outcome.replayed) count(outcome.ack.error.code);
        publish(outcome.events);
        ack(outcome.ack);
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
  function handle(args: unknown[], kind: 'hello' | 'pull' | 'mutate', body: (raw: unknown, ack: Ack) => void): void {
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

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  poller.start();
  const host = options.host ?? '127.0.0.1';
  let closed: Promise<void> | null = null;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    hubId: store.hubId,
    head: () => store.head(),
    issueToken: (claims) => auth.issue(claims),
    simulate: (n) => simulator().appendNow(n),
    disconnectAll: () => void nsp.disconnectSockets(true),
    metrics,
    intake: {
      scanDrop: () => (drop ? drop.scan() : Promise.resolve([])),
      pollFeeds: () => poller.pollAll(),
    },
    close() {
      closed ??= (async () => {
        runner?.stop();
        poller.stop();
        if (dropTimer) clearInterval(dropTimer);
        await pool.close();
        feed.flush();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        feed.stop();
        store.close();
      })();
      return closed;
    },
  };
}
