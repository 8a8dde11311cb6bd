import { mkdirSync } from 'node:fs';
import { decodeJwt } from 'jose';
import type { z } from 'zod';
import { invokeChannels, type InvokeName } from '../../shared/api';
import {
  OfficerProfile,
  SESSION_OPERATIONS,
  SignInAnswer,
  SignOutAnswer,
  type HandoverNote,
  type SessionOperation,
  type SessionState,
  type SignInArgs,
  type SignOutArgs,
  type SignOutRequest,
} from '../../shared/domain/officer';
import { fail, ok, type AppError, type Result } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { startConsoleHost, type ConsoleHost, type ConsoleHostOptions } from './host';
import { OFFLINE_DAYS, SessionCache, type PendingSignOut } from './sessionCache';
import { claimsOfToken } from '../sync/authors';

/**
 * The console with sign-in around it (issue 6, decision 0020). Answers `getSession`,
 * `signIn` and `signOut` itself and hands every other operation to a console host
 * (replica worker, sync engine) that runs only while an officer is signed in, with that
 * officer's token:
 * - started with `token` (CLI, tests, the e2e harness, bench): signed in from the start,
 *   exactly as the console always was;
 * - `signIn` asks the hub (POST /session); when the hub cannot be reached it opens the
 *   officer's sealed credential cached here (sessionCache.ts), and re-checks with the hub
 *   every `recheckMs` until the hub answers: a new token and the roster's current role,
 *   or a sign-out with the hub's reason;
 * - `signOut` sends the handover note (POST /session/end), kept here and sent later when
 *   the hub cannot be reached, and stops the worker.
 */
export interface SessionHostOptions extends Omit<ConsoleHostOptions, 'token'> {
  /** signed in from the start with this token (no sign-in screen) */
  token?: string;
  fetch?: typeof fetch;
  /** how often an officer signed in from the cache is re-checked with the hub (default 5 s) */
  recheckMs?: number;
  /** how long a sign-in waits for the hub before trying the cached credential (default 4 s) */
  hubTimeoutMs?: number;
  now?: () => number;
}

export interface SessionStats {
  signIns: number;
  offlineSignIns: number;
  /** sign-ins refused, by code (the hub's, or this console's for offline ones) */
  refused: Record<string, number>;
  rechecks: number;
}

export interface SessionHost extends ConsoleHost {
  session(): SessionState;
  sessionStats(): SessionStats;
  /** re-check an offline sign-in with the hub now (tests); resolves when it is done */
  recheck(): Promise<void>;
}

type HubAnswer = { kind: 'ok'; body: unknown } | { kind: 'refused'; error: AppError } | { kind: 'unreachable' };

const OFFLINE_FREE_TRIES = 5;
const OFFLINE_LOCK_MS = 30_000;

export async function startSessionHost(options: SessionHostOptions): Promise<SessionHost> {
  const {
    token: startToken,
    fetch: fetchImpl = fetch,
    recheckMs = 5_000,
    hubTimeoutMs = 4_000,
    ...hostOptions
  } = options;
  const now = options.now ?? (() => Date.now());
  mkdirSync(options.dataDir, { recursive: true });
  const cache = new SessionCache(options.dataDir, options.replicaKey);
  let consoleId = options.consoleId ?? cache.consoleId ?? newId();
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  const stats: SessionStats = { signIns: 0, offlineSignIns: 0, refused: {}, rechecks: 0 };
  const offlineFailures = new Map<string, { count: number; until: number }>();

  let inner: ConsoleHost | null = null;
  let innerToken: string | null = null;
  let unsubscribeInner: (() => void) | null = null;
  let officer: OfficerProfile | null = null;
  let via: SessionState['via'] = null;
  let expiresAt: string | null = null;
  let handover: HandoverNote | null = null;
  let notice: SessionState['notice'] = null;
  /** only while signed in from the cache: what the re-check signs in with; dropped once it has */
  let recheckWith: SignInArgs | null = null;
  let recheckTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let busy: Promise<unknown> = Promise.resolve();

  /** Session operations run one at a time (a sign-in while a re-check restarts the worker). */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = busy.then(fn, fn);
    busy = run.catch(() => undefined);
    return run;
  };

  async function startInner(token: string): Promise<void> {
    if (inner && innerToken === token) return;
    await stopInner();
    inner = await startConsoleHost({ ...hostOptions, token, consoleId, deliveryTokens: liveHeldTokens() });
    innerToken = token;
    if (inner.consoleId !== consoleId) consoleId = inner.consoleId; // the replica keeps the id it was given first
    if (cache.consoleId !== consoleId) cache.consoleId = consoleId;
    unsubscribeInner = inner.onPush((channel, payload) => {
      for (const l of listeners) {
        try {
          l(channel, payload);
        } catch {
          // one listener's failure must not stop the others
        }
      }
    });
  }

  /**
   * Tokens of officers who signed out with actions still in the outbox, while they are valid:
   * the worker sends each such action with its maker's token (decision 0036). Expired ones are
   * dropped here; the worker refuses their actions rather than send them in another name.
   */
  function liveHeldTokens(): string[] {
    const live = cache.heldTokens.filter((t) => {
      const c = claimsOfToken(t);
      return c !== null && (c.expiresAt === null || c.expiresAt > now());
    });
    if (live.length !== cache.heldTokens.length) cache.setHeldTokens(live);
    return live;
  }

  /**
   * At sign-out: keep the departing officer's token while actions they made are still in the
   * outbox, and forget held tokens whose officers have nothing left there.
   */
  async function holdTokensForOutbox(departing: string): Promise<void> {
    const waiting = await inner?.call('getWaitingAuthors');
    const open = new Set<string>();
    let known = false;
    if (waiting?.ok && Array.isArray(waiting.value)) {
      known = true;
      for (const key of waiting.value as (string | null)[]) if (key) open.add(key);
    }
    const departingKey = claimsOfToken(departing)?.key;
    const keep = cache.heldTokens.filter((t) => {
      const key = claimsOfToken(t)?.key;
      return key !== departingKey && (!known || (key !== undefined && open.has(key)));
    });
    // when the outbox could not be read, keep the token: sending an action late beats sending it in another name
    if (departingKey && (!known || open.has(departingKey))) keep.push(departing);
    cache.setHeldTokens(keep);
  }

  async function stopInner(): Promise<void> {
    unsubscribeInner?.();
    unsubscribeInner = null;
    const was = inner;
    inner = null;
    innerToken = null;
    await was?.close();
  }

  const session = (): SessionState => ({
    consoleId,
    officer,
    via,
    expiresAt,
    handover,
    pendingSignOuts: cache.pendingSignOuts.length,
    notice,
  });

  async function askHub(path: string, body: unknown, token?: string): Promise<HubAnswer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), hubTimeoutMs);
    try {
      const res = await fetchImpl(new URL(path, options.hubUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const json: unknown = await res.json().catch(() => null);
      if (res.ok) return { kind: 'ok', body: json };
      const error = (json as { error?: AppError } | null)?.error;
      // a proxy's 502/503/504 says nothing about the officer: treat it as the hub being away
      if (res.status >= 500 && !error) return { kind: 'unreachable' };
      return {
        kind: 'refused',
        error:
          error && typeof error.code === 'string'
            ? error
            : { code: 'INTERNAL', message: `The hub answered ${res.status}.` },
      };
    } catch {
      return { kind: 'unreachable' };
    } finally {
      clearTimeout(timer);
    }
  }

  const refused = <T>(error: AppError): Result<T> => {
    stats.refused[error.code] = (stats.refused[error.code] ?? 0) + 1;
    return fail(error.code, error.message);
  };

  /** The newer of the hub's note for this console and the one kept here (which may not have reached it). */
  const newerHandover = (a: HandoverNote | null, b: HandoverNote | null): HandoverNote | null =>
    !a ? b : !b ? a : Date.parse(b.at) > Date.parse(a.at) ? b : a;

  async function signIn(args: SignInArgs): Promise<Result<SessionState>> {
    if (officer)
      return refused({
        code: 'CONFLICT',
        message: `${officer.name} is signed in at this console; sign out first (a handover note is asked for).`,
      });
    const answer = await askHub('/session', { ...args, consoleId });
    if (answer.kind === 'refused') return refused(answer.error);
    if (answer.kind === 'ok') {
      const parsed = SignInAnswer.safeParse(answer.body);
      if (!parsed.success)
        return refused({
          code: 'SCHEMA_MISMATCH',
          message: 'The hub answered the sign-in in a form this console does not know; update one of them.',
        });
      await acceptHubAnswer(args, parsed.data);
      stats.signIns++;
      void deliverPendingSignOuts();
      return ok(session());
    }
    return signInOffline(args);
  }

  async function acceptHubAnswer(args: SignInArgs, answer: SignInAnswer): Promise<void> {
    cache.store(
      args.name,
      args.password,
      { token: answer.token, officer: answer.officer, expiresAt: answer.expiresAt },
      now(),
    );
    officer = answer.officer;
    via = 'hub';
    expiresAt = answer.expiresAt;
    notice = null;
    handover = handover ?? newerHandover(answer.handover, cache.lastHandover);
    recheckWith = null;
    await startInner(answer.token);
  }

  async function signInOffline(args: SignInArgs): Promise<Result<SessionState>> {
    const key = args.name.trim().toLowerCase();
    const failures = offlineFailures.get(key);
    if (failures && failures.until > now())
      return refused({
        code: 'RATE_LIMITED',
        message: `Too many failed sign-ins for ${args.name}; wait ${Math.ceil((failures.until - now()) / 1000)} s and try again.`,
      });
    const opened = cache.open(args.name, args.password, now());
    if (!opened.ok) {
      if (opened.reason === 'wrong-password') {
        const count = (failures?.count ?? 0) + 1;
        offlineFailures.set(key, { count, until: count >= OFFLINE_FREE_TRIES ? now() + OFFLINE_LOCK_MS : 0 });
      }
      return refused(
        opened.reason === 'wrong-password'
          ? {
              code: 'UNAUTHORIZED',
              message: `The hub cannot be reached, and this is not the password ${args.name} last signed in with here; check it and try again.`,
            }
          : opened.reason === 'too-old'
            ? {
                code: 'OFFLINE',
                message: `The hub cannot be reached, and ${args.name} last signed in with it here more than ${OFFLINE_DAYS} days ago; sign in when the hub is back.`,
              }
            : {
                code: 'OFFLINE',
                message: `The hub cannot be reached, and ${args.name} has not signed in at this console before; sign in at a console you have used, or when the hub is back.`,
              },
      );
    }
    offlineFailures.delete(key);
    officer = opened.credential.officer;
    via = 'cache';
    expiresAt = opened.credential.expiresAt;
    notice = null;
    handover = cache.lastHandover;
    recheckWith = args;
    stats.offlineSignIns++;
    await startInner(opened.credential.token);
    scheduleRecheck();
    return ok(session());
  }

  function scheduleRecheck(): void {
    if (recheckTimer || closed || !recheckWith) return;
    recheckTimer = setTimeout(() => {
      recheckTimer = null;
      void serial(recheck);
    }, recheckMs);
    recheckTimer.unref?.();
  }

  /** An offline sign-in, checked with the hub once it answers: new token and current role, or signed out. */
  async function recheck(): Promise<void> {
    const args = recheckWith;
    if (!args || closed) return;
    stats.rechecks++;
    const answer = await askHub('/session', { ...args, consoleId });
    if (recheckWith !== args) return; // signed out meanwhile
    if (answer.kind === 'unreachable') return scheduleRecheck();
    const parsed = answer.kind === 'ok' ? SignInAnswer.safeParse(answer.body) : null;
    if (parsed?.success) {
      await acceptHubAnswer(args, parsed.data);
      void deliverPendingSignOuts();
      return;
    }
    const error =
      answer.kind === 'refused'
        ? answer.error
        : { code: 'SCHEMA_MISMATCH' as const, message: 'The hub answered in an unknown form.' };
    if (error.code === 'RATE_LIMITED') return scheduleRecheck();
    cache.forget(args.name);
    await endSession({
      code: error.code,
      message: `The hub did not confirm ${args.name}'s offline sign-in (${error.message}) Sign in again.`,
    });
  }

  async function endSession(why: SessionState['notice']): Promise<void> {
    recheckWith = null;
    if (recheckTimer) clearTimeout(recheckTimer);
    recheckTimer = null;
    officer = null;
    via = null;
    expiresAt = null;
    notice = why;
    handover = cache.lastHandover;
    await stopInner();
  }

  async function signOut(args: SignOutArgs): Promise<Result<SessionState>> {
    if (!officer || !innerToken)
      return refused({ code: 'BAD_REQUEST', message: 'Nobody is signed in at this console.' });
    const at = new Date(now()).toISOString();
    const request: SignOutRequest = { consoleId, at, ...(args.handover ? { handover: args.handover } : {}) };
    const departing = innerToken;
    await holdTokensForOutbox(departing);
    const answer = await askHub('/session/end', request, departing);
    const delivered = answer.kind === 'ok' ? SignOutAnswer.safeParse(answer.body) : null;
    if (!delivered?.success) cache.setPendingSignOuts([...cache.pendingSignOuts, { token: departing, request }]);
    if (args.handover)
      cache.lastHandover = {
        ...args.handover,
        consoleId,
        from: officer,
        at,
        logSeq: delivered?.success ? delivered.data.logSeq : null,
      };
    await endSession(null);
    return ok(session());
  }

  /** Sign-outs made offline, in order; one the hub refuses for good (a malformed one) is dropped, the rest wait. */
  async function deliverPendingSignOuts(): Promise<void> {
    const left: PendingSignOut[] = [];
    for (const pending of cache.pendingSignOuts) {
      const answer = await askHub('/session/end', pending.request, pending.token);
      if (answer.kind === 'ok' || (answer.kind === 'refused' && answer.error.code === 'BAD_REQUEST')) {
        const note = cache.lastHandover;
        if (answer.kind === 'ok' && note && note.logSeq === null && note.at === pending.request.at) {
          const parsed = SignOutAnswer.safeParse(answer.body);
          if (parsed.success) cache.lastHandover = { ...note, logSeq: parsed.data.logSeq };
        }
        continue;
      }
      left.push(pending);
    }
    cache.setPendingSignOuts(left);
  }

  const isSessionOp = (name: string): name is SessionOperation =>
    (SESSION_OPERATIONS as readonly string[]).includes(name);
  const byChannel = new Map<string, InvokeName>(
    (Object.keys(invokeChannels) as InvokeName[]).map((name) => [invokeChannels[name].name, name]),
  );

  if (startToken) {
    officer = profileOfToken(startToken) ?? { name: 'Unknown officer', role: 'officer' };
    via = 'token';
    expiresAt = expiryOfToken(startToken);
    handover = cache.lastHandover;
    await startInner(startToken);
  }

  return {
    get consoleId() {
      return consoleId;
    },
    async invoke(channel, rawArgs) {
      const name = typeof channel === 'string' ? byChannel.get(channel) : undefined;
      if (name && isSessionOp(name)) {
        const args = (invokeChannels[name].args as z.ZodType).safeParse(rawArgs);
        if (!args.success)
          return fail('BAD_REQUEST', `Bad request for ${name}: ${args.error.issues[0]?.message ?? 'invalid'}.`);
        if (closed) return fail('INTERNAL', 'The console is closing.');
        if (name === 'getSession') return ok(session());
        if (name === 'signIn') return serial(() => signIn(args.data as SignInArgs));
        return serial(() => signOut(args.data as SignOutArgs));
      }
      // Signed in, worker still starting (getSession already names the officer): wait for it.
      if (!inner && officer && !closed) await busy;
      if (!inner)
        return name
          ? fail('UNAUTHORIZED', 'Nobody is signed in at this console; sign in first.')
          : fail('BAD_REQUEST', `There is no operation called ${String(channel)}.`);
      return inner.invoke(channel, rawArgs);
    },
    onPush(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async call(op, args) {
      if (!inner && officer && !closed) await busy;
      return inner ? inner.call(op, args) : fail('UNAUTHORIZED', 'Nobody is signed in at this console.');
    },
    stats: () => inner?.stats() ?? { badRequests: 0, pushes: 0 },
    session,
    sessionStats: () => structuredClone(stats),
    recheck: () => serial(recheck),
    async close() {
      if (closed) return;
      closed = true;
      if (recheckTimer) clearTimeout(recheckTimer);
      await busy;
      listeners.clear();
      await stopInner();
    },
  };
}

/** Who a --token names; the hub verifies it on connect (the console cannot: it has no secret). */
function profileOfToken(token: string): OfficerProfile | null {
  try {
    const parsed = OfficerProfile.safeParse(decodeJwt(token));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function expiryOfToken(token: string): string | null {
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : null;
  } catch {
    return null;
  }
}
