import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { z } from 'zod';
import type { ConnectionState, ConnectionStatus } from '../../shared/api';
import { systemClock, toIso, type Clock } from '../../shared/clock';
import type { AppError } from '../../shared/errors';
import {
  CONSOLE_NAMESPACE,
  ErrorAck,
  HelloAck,
  MAX_PULL,
  MutateAck,
  PROTOCOL_SCHEMA,
  Wire,
  type HelloAck as HelloAckT,
} from '../../shared/protocol';
import type { ApplyResult, Replica } from '../replica/replica';
import type { ResponseTouched } from '../replica/response';
import { parseTarget } from '../replica/mutations';
import { discardStaging, rebuildFromSnapshot, type RebuildProgress } from '../replica/snapshot';
import { Authors } from './authors';
import { pullEnvelope } from './pullPage';
import type { TelemetryIngest } from '../telemetry/ingest';

/** Live batches: like pull pages (./pullPage.ts), their entries are parsed one by one by the replica. */
const LiveEnvelope = z.object({ events: z.array(z.unknown()).min(1), head: z.number().int().nonnegative() });

export type SocketFactory = (url: string, options: Partial<ManagerOptions & SocketOptions>) => Socket;

export const defaultSocketFactory: SocketFactory = (url, options) => io(url, options);

export interface ReconnectPolicy {
  /** first delay, ms */
  delayMs: number;
  /** ceiling, ms */
  maxDelayMs: number;
  /** 0..1: each delay is spread by ±jitter so consoles do not reconnect in lockstep */
  jitter: number;
}

export const defaultReconnect: ReconnectPolicy = { delayMs: 500, maxDelayMs: 10_000, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (0-based): doubling up to the ceiling, spread by ±jitter. */
export function backoffDelay(policy: ReconnectPolicy, attempt: number, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** Math.min(attempt, 30));
  return Math.max(0, base * (1 + policy.jitter * (2 * random() - 1)));
}

export interface SyncChange {
  alerts: readonly string[];
  assets: readonly string[];
  status: boolean;
  /** incidents, units, log entries, checklist steps changed by applied entries (issue 4) */
  response?: ResponseTouched;
  /** targets (`<kind>:<id>`) of outbox rows whose state changed (acked, refused) */
  targets?: readonly string[];
  /**
   * Changed by a catch-up still far behind (farBehind): the worker does not read and push these
   * rows, it owes the renderer one resync instead (decision 0040).
   */
  quiet?: boolean;
}

export interface SyncEngineOptions {
  replica: Replica;
  hubUrl: string;
  token: string;
  /**
   * Tokens of officers who signed out here with actions still in the outbox: each such
   * action is sent with its maker's token, never the connection's (decision 0036).
   */
  deliveryTokens?: readonly string[];
  clock?: Clock;
  socketFactory?: SocketFactory;
  reconnect?: Partial<ReconnectPolicy>;
  /** for jitter; injectable for tests */
  random?: () => number;
  /** how long to wait for any ack from the hub, ms */
  ackTimeoutMs?: number;
  pullLimit?: number;
  /**
   * During a catch-up more than this many entries behind the hub's head, `farBehind()` is true:
   * the worker then pushes progress, not the rows each page changed, and one resync at the end
   * (decision 0040). Default MAX_PULL, one page.
   */
  quietBehind?: number;
  onChange?: (change: SyncChange) => void;
  /** diagnostics (slow or odd things); default silent */
  log?: (message: string) => void;
  /**
   * Where the hub's telemetry batches go (issue 9, decision 0031): parsed, stored and counted
   * there, outside the log's apply. None: they are ignored.
   */
  telemetry?: Pick<TelemetryIngest, 'ingest'>;
  /**
   * Whether a call (an officer's action, a read the renderer waits for) is waiting for this
   * thread: an apply transaction then ends after the entry in progress instead of at its time
   * budget, and the call is answered before the next slice (decision 0037).
   */
  urgent?: () => boolean;
}

export interface SyncCounters {
  /** wire messages that failed their schema, counted and ignored */
  badMessages: number;
  /** hub log entries that failed HubEvent; the apply stopped at them */
  badEvents: number;
  pulls: number;
  liveBatches: number;
  gaps: number;
  connects: number;
  /** log entries applied, and the time spent applying them (ms, inside the transaction code) */
  eventsApplied: number;
  applyMs: number;
  /** snapshot rebuilds swapped in (issue 5) */
  rebuilds: number;
}

const AUTH_CODES = new Set(['UNAUTHORIZED', 'FORBIDDEN']);
// Pages as big as the hub serves: transactions are bounded by time anyway (SLICE_MS), so a
// bigger page only saves round trips; the next page is prefetched while this one applies.
const DEFAULT_PULL = MAX_PULL;
/** the smallest page asked for after pulls timed out */
const MIN_PULL = 50;
/**
 * Time of one apply transaction, ms: an officer's action waits at most about this long. The
 * replica ends the transaction itself after the entry that passes it (Replica.applyEvents).
 */
const SLICE_MS = 8;
/**
 * During a catch-up (pull pages) a transaction may run longer: each commit writes the index pages
 * its entries touched to the WAL, and longer transactions share them. Per alert (catch-up mix,
 * 1 000 assets): 8 ms → 4.6 WAL pages and ~67 µs of commit CPU, 32 ms → 2.6 and ~41 µs,
 * 100 ms → 1.4 and ~25 µs (bench/FINDINGS.md, decision 0039). An officer's call does not wait
 * for it: a waiting call ends the transaction after the entry in progress (decision 0037).
 */
const CATCH_UP_SLICE_MS = 100;
/**
 * At least this many entries per transaction: on a loaded machine 8 ms of wall time may hold one
 * entry of CPU, and a commit per entry would slow the apply further exactly when it is behind.
 */
const MIN_SLICE_ENTRIES = 8;

/** Back to the event loop: messages (an officer's call, a socket frame) are handled before what follows. */
const yieldToLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** The result of two consecutive slices of one batch, as if applied at once. */
function combine(a: ApplyResult, b: ApplyResult): ApplyResult {
  return {
    applied: a.applied + b.applied,
    duplicates: a.duplicates + b.duplicates,
    gap: a.gap ?? b.gap,
    rejected: a.rejected ?? (b.rejected ? { ...b.rejected, index: b.rejected.index + a.applied + a.duplicates } : null),
    cursor: b.cursor,
    changedAlerts: [...a.changedAlerts, ...b.changedAlerts],
    changedAssets: [...a.changedAssets, ...b.changedAssets],
    confirmed: [...a.confirmed, ...b.confirmed],
    response: {
      incidents: new Set([...a.response.incidents, ...b.response.incidents]),
      units: new Set([...a.response.units, ...b.response.units]),
      logEntries: new Set([...a.response.logEntries, ...b.response.logEntries]),
      steps: new Set([...a.response.steps, ...b.response.steps]),
    },
  };
}

/**
 * Keeps the replica equal to the hub's log and delivers the outbox.
 * Cursor-and-pull (decision 0004): hello, pull until head, then apply live batches;
 * any gap is closed by pulling again. After catch-up the outbox is flushed in order.
 */
export class SyncEngine {
  readonly counters: SyncCounters = {
    badMessages: 0,
    badEvents: 0,
    pulls: 0,
    liveBatches: 0,
    gaps: 0,
    connects: 0,
    eventsApplied: 0,
    applyMs: 0,
    rebuilds: 0,
  };
  private readonly replica: Replica;
  private readonly clock: Clock;
  private readonly policy: ReconnectPolicy;
  private readonly random: () => number;
  private readonly ackTimeoutMs: number;
  private readonly quietBehind: number;
  /** entries asked per pull; halved after a pull that got no answer in time (see pump) */
  private pullLimit: number;
  private readonly emitChange: (change: SyncChange) => void;
  private readonly log: (message: string) => void;
  private socket: Socket | null = null;
  private state: ConnectionState = 'connecting';
  private since: number;
  private head = 0;
  private officer: ConnectionStatus['officer'] = null;
  private lastError: AppError | null = null;
  /** bumps on every (re)connect: work from an older session stops when it notices */
  private session = 0;
  private sessionReady = false;
  private pumping: Promise<void> | null = null;
  private pullAgain = false;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** live batches and pull pages are applied one after the other, slice by slice */
  private applying: Promise<unknown> = Promise.resolve();
  /** an idle-time pass over the queued affected assets is scheduled (decision 0029) */
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  private drainQueued = false;
  private attempts = 0;
  private stopped = false;
  /** while a snapshot is being fetched (issue 5) */
  private rebuildProgress: RebuildProgress | null = null;
  /** which token each outbox row is sent with: its maker's (decision 0036) */
  private readonly authors: Authors;

  constructor(private readonly options: SyncEngineOptions) {
    this.replica = options.replica;
    this.clock = options.clock ?? systemClock;
    this.policy = { ...defaultReconnect, ...options.reconnect };
    this.random = options.random ?? Math.random;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.quietBehind = options.quietBehind ?? MAX_PULL;
    this.pullLimit = Math.min(options.pullLimit ?? DEFAULT_PULL, MAX_PULL);
    this.emitChange = options.onChange ?? (() => {});
    this.log = options.log ?? (() => {});
    this.authors = new Authors(options.token, options.deliveryTokens);
    // Not online yet: the outage, if there is one, began when the last run lost the hub.
    this.since = this.markOffline();
    this.head = this.replica.cursor();
    // A snapshot fetch the last run did not finish: its staging file is thrown away (issue 5).
    discardStaging(this.replica.db.name);
  }

  start(): void {
    const factory = this.options.socketFactory ?? defaultSocketFactory;
    const socket = factory(`${this.options.hubUrl.replace(/\/$/, '')}${CONSOLE_NAMESPACE}`, {
      auth: { token: this.options.token },
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: this.policy.delayMs,
      reconnectionDelayMax: this.policy.maxDelayMs,
      randomizationFactor: this.policy.jitter,
      transports: ['websocket'],
    });
    this.socket = socket;
    socket.on('connect', () => this.onConnect());
    socket.on('disconnect', (reason) => this.onDisconnect(String(reason)));
    socket.on('connect_error', (err) => this.onConnectError(err));
    socket.on(Wire.events, (raw: unknown) => this.onLiveBatch(raw));
    // Readings are not log entries: no cursor, no gap pull; a refused batch is counted there.
    socket.on(Wire.telemetry, (raw: unknown) => void this.options.telemetry?.ingest(raw, 'hub'));
    socket.connect();
    // A replica opened with alerts still queued (migration 0006, or a close mid-drain).
    this.scheduleDrain();
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    this.session++;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    // Requests still in flight are abandoned, not awaited: each checks `stopped` before it
    // touches the replica again. A mutation whose answer is lost stays `sent`, is reset to
    // `pending` at the next start, and the hub answers its id the same way twice.
  }

  status(): ConnectionStatus {
    const cursor = this.replica.cursor();
    return {
      state: this.state,
      since: toIso(this.since),
      hubUrl: this.options.hubUrl,
      cursor,
      head: Math.max(this.head, cursor),
      pendingActions: this.replica.pendingCount(),
      officer: this.officer,
      lastError: this.lastError,
      integrity: this.replica.integrity(),
      ...(this.rebuildProgress ? { rebuild: { ...this.rebuildProgress } } : {}),
    };
  }

  /**
   * Catching up and still more than `quietBehind` entries from the head: the rows a page
   * changes are not worth reading and posting one by one (decision 0040).
   */
  farBehind(): boolean {
    return this.state === 'catching-up' && this.head - this.replica.cursor() > this.quietBehind;
  }

  /** A local action was written: send it now if the hub is there. */
  notifyOutbox(): void {
    this.emitChange({ alerts: [], assets: [], status: true });
    if (this.state === 'online') void this.flush();
  }

  // ------------------------------------------------------------------ connection

  private setState(state: ConnectionState, lastError: AppError | null = this.lastError): void {
    if (state !== this.state) {
      if (state === 'online') {
        this.since = this.clock.now();
        this.replica.setOfflineSince(null);
      } else this.since = this.state === 'online' ? this.markOffline(true) : this.markOffline();
    }
    this.state = state;
    this.lastError = lastError;
    this.emitChange({ alerts: [], assets: [], status: true });
  }

  /**
   * The start of the current time without the hub, kept in the replica so a console
   * restarted during an outage still shows when it began (issue 5). `fresh`: it begins now.
   */
  private markOffline(fresh = false): number {
    const kept = fresh ? null : this.replica.offlineSince();
    if (kept !== null) return kept;
    const now = this.clock.now();
    this.replica.setOfflineSince(now);
    return now;
  }

  private onConnect(): void {
    const session = ++this.session;
    this.sessionReady = false;
    this.counters.connects++;
    void this.runSession(session);
  }

  private onDisconnect(reason: string): void {
    this.session++;
    this.sessionReady = false;
    // 'io client disconnect' is this engine's own doing (refused, stale, or a dropped session
    // that already said why and scheduled its reconnect).
    if (this.stopped || this.state === 'refused' || reason === 'io client disconnect') return;
    this.setState('offline', {
      code: 'OFFLINE',
      message: `Lost the hub (${reason}); reconnecting. Actions are kept and sent when it is back.`,
    });
    // The client does not reconnect by itself after a server-side disconnect.
    if (reason === 'io server disconnect') this.scheduleReconnect();
  }

  private onConnectError(err: Error & { data?: unknown }): void {
    if (this.stopped) return;
    const data = err.data as { code?: unknown; message?: unknown } | undefined;
    const code = typeof data?.code === 'string' ? data.code : err.message;
    if (AUTH_CODES.has(code) || /unauthori[sz]ed|forbidden|token/i.test(err.message)) {
      const message =
        typeof data?.message === 'string'
          ? data.message
          : "The hub refused this console's token; ask a supervisor for a new one.";
      this.setState('refused', { code: code === 'FORBIDDEN' ? 'FORBIDDEN' : 'UNAUTHORIZED', message });
      this.socket?.disconnect();
      return;
    }
    this.setState('offline', {
      code: 'OFFLINE',
      message: `Cannot reach the hub at ${this.options.hubUrl} (${err.message}); retrying.`,
    });
    // Middleware errors leave the socket inactive; transport errors are retried by the client.
    if (this.socket && !this.socket.active) this.scheduleReconnect();
  }

  /** Exponential backoff with jitter, for the reconnects the client does not do itself. */
  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = backoffDelay(this.policy, this.attempts, this.random);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped && this.socket && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  private current(session: number): boolean {
    return !this.stopped && session === this.session && this.socket?.connected === true;
  }

  private async request(event: string, payload: unknown): Promise<unknown> {
    const socket = this.socket;
    if (!socket) throw new Error('no socket');
    return socket.timeout(this.ackTimeoutMs).emitWithAck(event, payload);
  }

  private async runSession(session: number): Promise<void> {
    let hello: HelloAckT;
    this.setState('connecting', this.lastError);
    try {
      const raw = await this.request(Wire.hello, {
        consoleId: this.replica.consoleId,
        cursor: this.replica.cursor(),
        schema: PROTOCOL_SCHEMA,
      });
      if (!this.current(session)) return;
      const ok = HelloAck.safeParse(raw);
      if (!ok.success) {
        const err = ErrorAck.safeParse(raw);
        if (!err.success) {
          this.counters.badMessages++;
          return this.dropSession(
            'INTERNAL',
            'The hub answered hello with something this console does not understand.',
          );
        }
        if (AUTH_CODES.has(err.data.error.code) || err.data.error.code === 'SCHEMA_MISMATCH') {
          this.setState('refused', err.data.error);
          this.socket?.disconnect();
          return;
        }
        return this.dropSession(err.data.error.code, err.data.error.message);
      }
      hello = ok.data;
    } catch (e) {
      if (this.current(session)) this.dropSession('TIMEOUT', `The hub did not answer hello (${(e as Error).message}).`);
      return;
    }
    if (hello.schema !== PROTOCOL_SCHEMA) {
      this.setState('refused', {
        code: 'SCHEMA_MISMATCH',
        message: `The hub speaks protocol ${hello.schema}, this console ${PROTOCOL_SCHEMA}; update the console.`,
      });
      this.socket?.disconnect();
      return;
    }
    const known = this.replica.hubId();
    let cursor = this.replica.cursor();
    // Entries are matched by seq alone: a log from another hub, or one shorter than what this
    // replica holds (a hub restored from an old backup), would be mixed in silently.
    if ((known && known !== hello.hubId) || cursor > hello.head) {
      this.setState('refused', {
        code: 'STALE_CURSOR',
        message:
          known && known !== hello.hubId
            ? `This console's replica was filled from another hub (${known}, now ${hello.hubId}); start the console with a fresh data folder (or delete its replica.sqlite) to rebuild it; its unsent actions are in the old file.`
            : `The hub's log ends at ${hello.head} but this console holds up to ${cursor}; the hub may have been restored from a backup. Call the hub's administrator.`,
      });
      this.socket?.disconnect();
      return;
    }
    if (!known) this.replica.setHubId(hello.hubId);
    this.attempts = 0;
    this.officer = { name: hello.officer.name, role: hello.officer.role };
    this.head = Math.max(hello.head, cursor);
    if (hello.tail > 0 && cursor < hello.tail - 1) {
      // Further behind than the hub keeps: rebuild from its snapshot, outbox kept (issue 5).
      if (!(await this.rebuild(session))) return;
      cursor = this.replica.cursor();
    }
    this.lastError = null;
    this.sessionReady = true;
    this.setState(cursor < this.head ? 'catching-up' : 'online', null);
    await this.pump();
    if (!this.current(session)) return;
    if (this.state !== 'online') this.setState('online', null);
    void this.flush();
  }

  /**
   * Fetches the hub's snapshot into a staging replica and swaps it in (main/replica/snapshot.ts).
   * Live batches wait (sessionReady is false); the pull after it starts at the snapshot's seq.
   */
  private async rebuild(session: number): Promise<boolean> {
    this.rebuildProgress = { asOf: 0, received: 0 };
    this.setState('rebuilding', null);
    const outcome = await rebuildFromSnapshot({
      replica: this.replica,
      clock: this.clock,
      ask: (payload) => this.request(Wire.snapshot, payload),
      current: () => this.current(session),
      onProgress: (progress) => {
        this.rebuildProgress = progress;
        this.head = Math.max(this.head, progress.asOf);
        this.emitChange({ alerts: [], assets: [], status: true });
      },
    }).catch((err: unknown) => ({
      ok: false as const,
      stale: false,
      error: { code: 'INTERNAL' as const, message: `The snapshot rebuild failed (${(err as Error).message}).` },
    }));
    this.rebuildProgress = null;
    if (!outcome.ok) {
      if (!outcome.stale) {
        if (outcome.error.code === 'BAD_REQUEST') this.counters.badMessages++;
        this.dropSession(outcome.error.code, outcome.error.message);
      }
      return false;
    }
    this.counters.rebuilds++;
    this.log(`rebuilt from the hub's snapshot at ${outcome.asOf} (${outcome.entries} entries)`);
    // Every row may have changed; 'local:rebuild' makes the worker re-read incidents and units.
    const { alerts, assets, response } = outcome.changed;
    this.emitChange({ alerts, assets, status: true, response, targets: ['local:rebuild'] });
    // the snapshot's alerts arrive with their affected assets still queued (decision 0029); an
    // alert part-way through its computation read its candidates from the replaced tables
    this.replica.restartAffected();
    this.scheduleDrain();
    return true;
  }

  /** Give up on this connection and make a fresh one after a backoff. */
  private dropSession(code: AppError['code'], message: string): void {
    this.setState('offline', { code, message });
    this.session++;
    this.socket?.disconnect();
    this.scheduleReconnect();
  }

  // ------------------------------------------------------------------ events

  private onLiveBatch(raw: unknown): void {
    const batch = LiveEnvelope.safeParse(raw);
    if (!batch.success) {
      this.counters.badMessages++;
      return;
    }
    this.counters.liveBatches++;
    this.head = Math.max(this.head, batch.data.head);
    if (!this.sessionReady) return; // hello has not settled the cursor yet; the pull will bring these
    const session = this.session;
    void this.applySliced(batch.data.events, session, SLICE_MS).then((result) => {
      if (!result || !this.current(session)) return;
      if (result.gap || result.cursor < this.head) {
        if (result.gap) this.counters.gaps++;
        void this.pump();
      }
    });
  }

  /**
   * Applies `events` in transactions of about SLICE_MS each (the replica stops a transaction
   * once it has run that long), yielding between them, so that an officer's action (a call to
   * this worker) waits for one slice, not for a whole page of 2 000 alerts. Every slice is a
   * complete apply (entries and cursor in one transaction); the slices of one batch, and the
   * batches, run strictly in order. Resolves with the combined result, or null when the session
   * ended meanwhile.
   */
  private applySliced(events: readonly unknown[], session: number, sliceMs: number): Promise<ApplyResult | null> {
    const run = async (): Promise<ApplyResult | null> => {
      let total: ApplyResult | null = null;
      for (let i = 0; i < events.length;) {
        // Before every slice, the first included: batches queued behind one another would
        // otherwise run back to back in one turn of the loop, and a call would wait for all of them.
        await yieldToLoop();
        if (this.stopped || session !== this.session) return null;
        const r = this.apply(i === 0 ? events : events.slice(i), sliceMs);
        i += r.applied + r.duplicates;
        total = total ? combine(total, r) : r;
        if (r.gap || r.rejected || r.applied + r.duplicates === 0) break;
      }
      return total ?? this.apply([], sliceMs);
    };
    const next = this.applying.then(run, run);
    this.applying = next.catch(() => undefined);
    return next;
  }

  /**
   * Affected assets are computed after the apply (decision 0029): one transaction of about
   * SLICE_MS at a time, queued behind the batches being applied (so between pull pages during a
   * catch-up), on a timer so that officers' calls and socket messages come first.
   */
  private scheduleDrain(): void {
    if (this.drainTimer || this.drainQueued || this.stopped) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      if (this.stopped) return;
      this.drainQueued = true;
      const step = async (): Promise<void> => {
        await yieldToLoop();
        this.drainQueued = false;
        if (this.stopped) return;
        const { changed, more } = this.replica.drainAffected(SLICE_MS);
        if (changed.length > 0)
          this.emitChange({ alerts: changed, assets: [], status: false, ...(this.farBehind() ? { quiet: true } : {}) });
        if (more) this.scheduleDrain();
      };
      this.applying = this.applying.then(step, step).catch((e: unknown) => {
        this.log(`affected assets: ${(e as Error).message}`);
      });
    }, 1);
  }

  private apply(events: readonly unknown[], sliceMs: number): ApplyResult {
    const started = performance.now();
    const result = this.replica.applyEvents(events, {
      budgetMs: sliceMs,
      minEntries: MIN_SLICE_ENTRIES,
      ...(this.options.urgent ? { urgent: this.options.urgent } : {}),
    });
    this.counters.applyMs += performance.now() - started;
    this.counters.eventsApplied += result.applied;
    if (result.rejected) {
      this.counters.badEvents++;
      this.lastError = {
        code: 'SCHEMA_MISMATCH',
        message: `Hub log entry ${result.rejected.seq ?? '?'} is not understood by this console (${result.rejected.message}); update the console.`,
      };
    }
    const alerts = [...result.changedAlerts];
    if (result.applied > 0 || result.rejected) {
      this.emitChange({
        alerts,
        assets: result.changedAssets,
        status: true,
        response: result.response,
        ...(this.farBehind() ? { quiet: true } : {}),
      });
    }
    if (result.applied > 0) this.scheduleDrain();
    return result;
  }

  /**
   * Pull until the cursor reaches head. Single flight: a request during a run makes it
   * go round again. The next page is requested before the current one is applied, so
   * the hub's reading and the wire overlap this worker's writing.
   */
  private pump(): Promise<void> {
    if (this.pumping) {
      this.pullAgain = true;
      return this.pumping;
    }
    const session = this.session;
    const pull = (after: number): Promise<unknown> => {
      this.counters.pulls++;
      // as bytes: the hub sends its stored text as one binary attachment (decision 0040)
      const answer = this.request(Wire.pull, { after, limit: this.pullLimit, as: 'bytes' });
      // A prefetched page may time out while the page before it is still being applied, before
      // anyone awaits it: handled here, so it is not an unhandled rejection that ends the worker.
      // Whoever awaits it later still gets the rejection (and drops the session).
      answer.catch(() => undefined);
      return answer;
    };
    const run = async () => {
      do {
        this.pullAgain = false;
        let next: { after: number; answer: Promise<unknown> } | null = null;
        while (this.current(session)) {
          const cursor = this.replica.cursor();
          if (cursor >= this.head && !this.pullAgain && !next) break;
          this.pullAgain = false;
          // A prefetched page that does not start at the cursor (a live batch moved it, or a gap) is re-asked.
          const page: { after: number; answer: Promise<unknown> } =
            next && next.after === cursor ? next : { after: cursor, answer: pull(cursor) };
          if (next && next !== page) next.answer.catch(() => {});
          next = null;
          let raw: unknown;
          try {
            raw = await page.answer;
          } catch (e) {
            // A page too big to arrive within the ack timeout (slow link, loaded hub or console)
            // would time out the same way after every reconnect: ask for smaller pages.
            this.pullLimit = Math.max(MIN_PULL, Math.floor(this.pullLimit / 2));
            if (this.current(session))
              this.dropSession('TIMEOUT', `The hub did not answer a pull (${(e as Error).message}).`);
            return;
          }
          if (!this.current(session)) return;
          // A page is decoded here, when its turn comes: the prefetched one waits as bytes.
          const ack = pullEnvelope(raw);
          if (!ack) {
            this.counters.badMessages++;
            const err = ErrorAck.safeParse(raw);
            return this.dropSession(
              err.success ? err.data.error.code : 'INTERNAL',
              err.success
                ? err.data.error.message
                : 'The hub answered a pull with something this console does not understand.',
            );
          }
          this.head = Math.max(this.head, ack.head);
          const last = ack.events.at(-1) as { seq?: unknown } | undefined;
          if (typeof last?.seq === 'number' && last.seq < this.head) next = { after: last.seq, answer: pull(last.seq) };
          const result = await this.applySliced(ack.events, session, CATCH_UP_SLICE_MS);
          if (!result || !this.current(session)) {
            next?.answer.catch(() => {});
            return;
          }
          // No progress while behind: a bad entry or a hub that returns nothing. Stop rather than spin.
          if (result.applied === 0 && result.cursor < this.head && result.cursor === cursor) {
            if (!result.rejected) this.log(`pull after ${cursor} returned nothing usable (head ${this.head})`);
            next?.answer.catch(() => {});
            return;
          }
        }
        next?.answer.catch(() => {});
      } while (this.pullAgain && this.current(session));
    };
    this.pumping = run().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  // ------------------------------------------------------------------ outbox

  /** Send open actions strictly in order; stop at the first that cannot be delivered. */
  private flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    const session = this.session;
    const run = async () => {
      do {
        this.flushAgain = false;
        for (;;) {
          if (!this.current(session) || this.state !== 'online') return;
          const m = this.replica.nextToSend();
          if (!m) break;
          const as = this.authors.sendAs(m.officer, this.clock.now());
          if (as.kind === 'undeliverable') {
            // Its maker's token is gone: refused here rather than sent in another officer's name.
            const target = this.replica.markRejected(m.id, { code: 'UNAUTHORIZED', message: as.message })?.target;
            const t = target ? parseTarget(target) : null;
            this.emitChange({
              alerts: t?.kind === 'alert' ? [t.id] : [],
              assets: [],
              status: true,
              targets: target ? [target] : [],
            });
            continue;
          }
          this.replica.markSent(m.id);
          let raw: unknown;
          try {
            raw = await this.request(Wire.mutate, {
              id: m.id,
              type: m.type,
              payload: m.payload,
              hlc: m.hlc,
              ...(m.officer ? { author: m.officer } : {}),
              ...(as.kind === 'own-token' ? { asToken: as.token } : {}),
            });
          } catch {
            // Transport failure or no answer: the action stays pending; the hub dedupes by id.
            if (!this.stopped) this.replica.markUnsent(m.id);
            return;
          }
          if (this.stopped) return;
          const ack = MutateAck.safeParse(raw);
          const refusal = ack.success ? null : ErrorAck.safeParse(raw);
          let changedTarget: string | null = null;
          let corroborated: string[] = [];
          if (ack.success && ack.data.ok && ack.data.duplicateOf !== undefined) {
            // alert.raise folded into an alert the hub has (issue 9): confirmed now, no entry follows
            const r = this.replica.markCorroborated(m.id, ack.data.seq, ack.data.duplicateOf);
            changedTarget = r?.target ?? null;
            corroborated = r?.alerts ?? [];
          } else if (ack.success && ack.data.ok) {
            changedTarget = this.replica.markAcked(m.id, ack.data.seq)?.target ?? null;
            this.head = Math.max(this.head, ack.data.seq);
          } else if (ack.success && !ack.data.ok) {
            changedTarget = this.replica.markRejected(m.id, ack.data.error)?.target ?? null;
          } else if (refusal?.success) {
            changedTarget = this.replica.markRejected(m.id, refusal.data.error)?.target ?? null;
          } else {
            this.counters.badMessages++;
            this.replica.markUnsent(m.id);
            return;
          }
          const t = changedTarget ? parseTarget(changedTarget) : null;
          this.emitChange({
            alerts: [...(t?.kind === 'alert' ? [t.id] : []), ...corroborated],
            assets: [],
            status: true,
            targets: changedTarget ? [changedTarget] : [],
          });
        }
      } while (this.flushAgain);
      // The events our accepted actions caused may not have arrived live yet.
      if (this.replica.cursor() < this.head) void this.pump();
    };
    this.flushing = run().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }
}
