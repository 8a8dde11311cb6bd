import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { HubEvent } from '../../shared/domain/events';
import { CONSOLE_NAMESPACE, HelloRequest, MutateRequest, PullRequest } from '../../shared/protocol';

/**
 * A small scripted hub for the sync engine's unit tests: it speaks the wire protocol
 * from shared/protocol.ts over a real Socket.IO server on 127.0.0.1, and lets a test
 * misbehave on purpose (drop a live batch, send garbage, refuse a mutation).
 * The integration tests use the real hub (hub/server.ts).
 */
export interface StubHub {
  url: string;
  log: HubEvent[];
  head(): number;
  append(events: HubEvent[], options?: { broadcast?: boolean }): void;
  sendRaw(event: string, payload: unknown): void;
  disconnectAll(): void;
  /** answer the next mutate with this instead of accepting it */
  refuseNext(error: { code: string; message: string }): void;
  mutations: unknown[];
  connections(): number;
  close(): Promise<void>;
}

export async function startStubHub(
  opts: { port?: number; log?: HubEvent[]; mutationEvent?: (m: MutateRequest, seq: number) => HubEvent } = {},
): Promise<StubHub> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  const nsp = io.of(CONSOLE_NAMESPACE);
  const log: HubEvent[] = opts.log ?? [];
  const mutations: unknown[] = [];
  const answers = new Map<string, unknown>();
  let refusal: { code: string; message: string } | null = null;

  nsp.use((socket, next) => {
    if ((socket.handshake.auth as { token?: unknown }).token === 'good') return next();
    const err = new Error('UNAUTHORIZED') as Error & { data?: unknown };
    err.data = {
      code: 'UNAUTHORIZED',
      message: 'This token was not signed by this hub; ask a supervisor for a new one.',
    };
    next(err);
  });

  const broadcast = (events: HubEvent[]) => nsp.emit('events', { events, head: log.length });

  nsp.on('connection', (socket: Socket) => {
    socket.on('hello', (raw: unknown, ack: (a: unknown) => void) => {
      const h = HelloRequest.safeParse(raw);
      if (!h.success) return ack({ error: { code: 'BAD_REQUEST', message: 'bad hello' } });
      ack({
        hubId: 'stub-hub',
        head: log.length,
        tail: 1,
        schema: 1,
        officer: { name: 'Officer Ada', role: 'officer' },
      });
    });
    socket.on('pull', (raw: unknown, ack: (a: unknown) => void) => {
      const p = PullRequest.safeParse(raw);
      if (!p.success) return ack({ error: { code: 'BAD_REQUEST', message: 'bad pull' } });
      ack({ events: log.slice(p.data.after, p.data.after + Math.min(p.data.limit, 5000)), head: log.length });
    });
    socket.on('mutate', (raw: unknown, ack: (a: unknown) => void) => {
      const m = MutateRequest.safeParse(raw);
      if (!m.success) return ack({ error: { code: 'BAD_REQUEST', message: 'bad mutate' } });
      mutations.push(m.data);
      const seen = answers.get(m.data.id);
      if (seen) return ack(seen);
      if (refusal) {
        const answer = { ok: false, error: refusal };
        refusal = null;
        answers.set(m.data.id, answer);
        return ack(answer);
      }
      const seq = log.length + 1;
      const event: HubEvent = opts.mutationEvent
        ? opts.mutationEvent(m.data, seq)
        : {
            seq,
            at: new Date().toISOString(),
            mutationId: m.data.id,
            type: 'alert.acknowledged',
            payload: {
              alertId: (m.data.payload as { alertId: string }).alertId,
              by: { name: 'Officer Ada', role: 'officer' },
              hlc: m.data.hlc,
            },
          };
      log.push(event);
      const answer = { ok: true, seq };
      answers.set(m.data.id, answer);
      ack(answer);
      broadcast([event]);
    });
  });

  await new Promise<void>((resolve) => http.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    mutations,
    head: () => log.length,
    append(events, { broadcast: send = true } = {}) {
      log.push(...events);
      if (send) broadcast(events);
    },
    sendRaw: (event, payload) => void nsp.emit(event, payload),
    disconnectAll: () => void nsp.disconnectSockets(true),
    refuseNext: (error) => void (refusal = error),
    connections: () => nsp.sockets.size,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

/** Wait until `check` holds; the test's own timeout bounds it. No timing is asserted. */
export async function eventually<T>(check: () => T | Promise<T>, what = 'condition'): Promise<T> {
  let last: unknown;
  for (let i = 0; ; i++) {
    try {
      const value = await check();
      if (value !== false && value !== undefined && value !== null) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, i < 20 ? 5 : 25));
    if (i > 4_000) throw new Error(`never happened: ${what} ${last ? String(last) : ''}`);
  }
}
