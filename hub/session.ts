import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { verifyChain } from '../shared/audit/chain';
import type { Clock } from '../shared/clock';
import { AuditEntry, type HubEvent } from '../shared/domain/events';
import {
  HandoverNote,
  SignInRequest,
  SignOutRequest,
  type Actor,
  type OfficerProfile,
  type SignInAnswer,
} from '../shared/domain/officer';
import { toAppError, type AppError, type ErrorCode } from '../shared/errors';
import { sha256 } from './audit/sha256';
import { auditDraft, type AuditInput } from './auditTrail';
import type { OfficerClaims, TokenAuthority } from './auth';
import type { Roster } from './roster';
import type { HubStore } from './store/hubStore';

/**
 * Signing in and out over HTTP (issue 6, decision 0020):
 *
 *   POST /session        { name, password, consoleId? } → 200 SignInAnswer (a token for one shift)
 *                        401 UNAUTHORIZED wrong name or password · 429 RATE_LIMITED too many failures
 *   POST /session/end    Bearer token, { consoleId?, handover? } → 200 { ok, logSeq }: sign-out and
 *                        the handover note, both audit events on the chain
 *   GET  /audit?after=&limit=   Bearer supervisor token → the audit entries and whether the whole
 *                        chain verifies; any other role 403 FORBIDDEN, itself audited
 *
 * Every body is parsed with zod; every refusal has a code, is counted, and changes nothing
 * but the audit trail.
 */
export const SHIFT_SECONDS = 12 * 3_600;
const MAX_BODY = 16 * 1024;

export interface SessionCounters {
  signedIn: number;
  signedOut: number;
  refused: number;
  rateLimited: number;
}
export const newSessionCounters = (): SessionCounters => ({ signedIn: 0, signedOut: 0, refused: 0, rateLimited: 0 });

export interface SessionDeps {
  store: HubStore;
  roster: Roster;
  auth: TokenAuthority;
  clock: Clock;
  limiter: FailureLimiter;
  counters: SessionCounters;
  /** counts refusals in the hub's error counters */
  count(code: ErrorCode): void;
  /** sends appended entries to live consoles */
  publish(events: HubEvent[]): void;
}

type Answer = { status: number; body: unknown };
const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};
const refusal = (error: AppError): Answer => ({ status: STATUS[error.code] ?? 500, body: { error } });

/** Routes this module answers; anything else is not ours. */
export function isSessionRoute(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/session' || path === '/session/end' || path === '/audit';
}

export async function handleSessionHttp(req: IncomingMessage, res: ServerResponse, deps: SessionDeps): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  let answer: Answer;
  try {
    if (path === '/session' && req.method === 'POST') answer = await signIn(req, deps);
    else if (path === '/session/end' && req.method === 'POST') answer = await signOut(req, deps);
    else if (path === '/audit' && req.method === 'GET') answer = await auditView(req, deps);
    else
      answer = refusal({
        code: 'BAD_REQUEST',
        message: `${req.method ?? '?'} ${path} is not served; see docs/protocol.md.`,
      });
  } catch (err) {
    const error = toAppError(err);
    answer = refusal(
      error.code === 'INTERNAL'
        ? { code: 'INTERNAL', message: `The hub could not answer ${path} (${error.message}); try again.` }
        : error,
    );
  }
  if (answer.status !== 200) deps.count((answer.body as { error: AppError }).error.code);
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
  if (!req.complete) req.destroy();
}

async function signIn(req: IncomingMessage, deps: SessionDeps): Promise<Answer> {
  const request = parseBody(SignInRequest, await readBody(req), 'sign-in');
  if ('error' in request) return request.error;
  const { name, password, consoleId } = request.value;
  const keys = [`name:${name.toLowerCase()}`, `addr:${req.socket.remoteAddress ?? '?'}`];
  const wait = deps.limiter.blockedFor(keys);
  if (wait > 0) {
    deps.counters.rateLimited++;
    return refusal({
      code: 'RATE_LIMITED',
      message: `Too many failed sign-ins for ${name}; wait ${Math.ceil(wait / 1000)} s and try again, or ask a supervisor to reset the password.`,
    });
  }
  const entry = await deps.roster.check(name, password);
  if (!entry) {
    deps.limiter.fail(keys);
    deps.counters.refused++;
    audit(deps, {
      kind: 'sign-in-refused',
      officer: { name, role: 'officer', ...(consoleId ? { consoleId } : {}) },
      detail: `Sign-in refused for "${name}"${consoleId ? ` at console ${consoleId}` : ''}: wrong name or password.`,
    });
    return refusal({
      code: 'UNAUTHORIZED',
      message: 'The name or the password is wrong; check both and try again (passwords are case-sensitive).',
    });
  }
  deps.limiter.succeed(keys[0]!);
  const officer: OfficerProfile = entry;
  const claims: OfficerClaims = { ...entry, via: 'roster' };
  const token = await deps.auth.issue(claims, { ttlSeconds: SHIFT_SECONDS });
  const expiresAt = new Date(deps.clock.now() + SHIFT_SECONDS * 1000).toISOString();
  deps.counters.signedIn++;
  audit(deps, {
    kind: 'sign-in',
    officer: actorOf(entry, consoleId),
    detail: `${entry.name} (${entry.position}, ${entry.agency}) signed in as ${entry.role}${consoleId ? ` at console ${consoleId}` : ''}.`,
  });
  const answer: SignInAnswer = {
    token,
    officer,
    expiresAt,
    handover: consoleId ? lastHandover(deps, consoleId) : null,
  };
  return { status: 200, body: answer };
}

async function signOut(req: IncomingMessage, deps: SessionDeps): Promise<Answer> {
  const claims = await bearer(req, deps);
  if ('error' in claims) return claims.error;
  const request = parseBody(SignOutRequest, await readBody(req), 'sign-out');
  if ('error' in request) return request.error;
  const { consoleId, handover } = request.value;
  const officer = actorOf(claims.value, consoleId);
  const where = consoleId ? ` at console ${consoleId}` : '';
  const when = request.value.at ? ` (signed out ${request.value.at})` : '';
  const inputs: AuditInput[] = [
    { kind: 'sign-out', officer, detail: `${claims.value.name} signed out${where}${when}.` },
  ];
  if (handover)
    inputs.push({
      kind: 'handover',
      officer,
      detail: `Handover note from ${claims.value.name}${where}: ${handover.note}`,
    });
  const events = deps.store.transaction(() => {
    const appended = deps.store.append(inputs.map((input, i) => auditDraft(deps.store, input, i)));
    const last = appended.at(-1);
    if (handover && consoleId && last?.type === 'audit.recorded') {
      const note: HandoverNote = {
        ...handover,
        consoleId,
        from: profileOf(claims.value),
        at: request.value.at ?? last.at,
        logSeq: last.payload.seq,
      };
      deps.store.db
        .prepare(
          'INSERT INTO handovers (console_id, log_seq, doc) VALUES (?, ?, ?) ON CONFLICT (console_id) DO UPDATE SET log_seq = excluded.log_seq, doc = excluded.doc',
        )
        .run(consoleId, note.logSeq, JSON.stringify(note));
    }
    return appended;
  });
  deps.publish(events);
  deps.counters.signedOut++;
  const last = events.at(-1);
  return { status: 200, body: { ok: true, logSeq: last?.type === 'audit.recorded' ? last.payload.seq : 1 } };
}

async function auditView(req: IncomingMessage, deps: SessionDeps): Promise<Answer> {
  const claims = await bearer(req, deps);
  if ('error' in claims) return claims.error;
  const officer = actorOf(claims.value);
  const refusedAnswer = requireSupervisor(deps, officer, 'audit.view', 'open the audit view');
  if (refusedAnswer) return refusal(refusedAnswer);
  const params = new URL(req.url ?? '/', 'http://hub').searchParams;
  const after = Math.max(0, Number(params.get('after') ?? 0) || 0);
  const limit = Math.min(1_000, Math.max(1, Number(params.get('limit') ?? 200) || 200));
  const docs = deps.store.db.prepare('SELECT doc FROM activity_log ORDER BY seq').pluck().all() as string[];
  const all = docs.map((d) => JSON.parse(d) as Record<string, unknown>);
  const chain = verifyChain(sha256, all);
  const entries = all
    .filter((e) => typeof e['seq'] === 'number' && e['seq'] > after && AuditEntry.safeParse(e).success)
    .slice(0, limit);
  audit(deps, {
    kind: 'audit-view',
    officer,
    detail: `${officer.name} opened the audit view (${entries.length} audit entries).`,
  });
  return { status: 200, body: { entries, chain } };
}

/**
 * Whether `officer` may do a supervisor-only action (decision 0021). A refusal is an audit
 * event on the chain and comes back as FORBIDDEN with a sentence; null means go ahead.
 * Exports call this too.
 */
export function requireSupervisor(
  deps: Pick<SessionDeps, 'store' | 'publish'>,
  officer: Actor,
  action: 'export' | 'audit.view',
  doing: string,
): AppError | null {
  if (officer.role === 'supervisor') return null;
  const message = `Only a supervisor may ${doing}; ask the supervisor on duty, or sign in as one.`;
  audit(deps, {
    kind: 'refused',
    officer,
    detail: `Refused ${action} for ${officer.name}, ${officer.role}: ${message}`,
  });
  return { code: 'FORBIDDEN', message };
}

function audit(deps: Pick<SessionDeps, 'store' | 'publish'>, input: AuditInput): void {
  deps.publish(deps.store.transaction(() => deps.store.append([auditDraft(deps.store, input)])));
}

function lastHandover(deps: SessionDeps, consoleId: string): HandoverNote | null {
  const doc = deps.store.db.prepare('SELECT doc FROM handovers WHERE console_id = ?').pluck().get(consoleId) as
    string | undefined;
  const parsed = doc ? HandoverNote.safeParse(JSON.parse(doc)) : null;
  return parsed?.success ? parsed.data : null;
}

const profileOf = (c: OfficerClaims): OfficerProfile => ({
  name: c.name,
  role: c.role,
  ...(c.position ? { position: c.position } : {}),
  ...(c.agency ? { agency: c.agency } : {}),
});

const actorOf = (
  c: { name: string; role: Actor['role']; position?: string | undefined },
  consoleId?: string,
): Actor => ({
  name: c.name,
  role: c.role,
  ...(c.position ? { position: c.position } : {}),
  ...(consoleId ? { consoleId } : {}),
});

async function bearer(req: IncomingMessage, deps: SessionDeps): Promise<{ value: OfficerClaims } | { error: Answer }> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m)
    return {
      error: refusal({
        code: 'UNAUTHORIZED',
        message: 'No token: send Authorization: Bearer <token> (sign in first).',
      }),
    };
  try {
    const claims = await deps.auth.verify(m[1]!);
    if (claims.role === 'feed')
      return { error: refusal({ code: 'FORBIDDEN', message: 'A feed token only posts alerts to /cap.' }) };
    return { value: claims };
  } catch (err) {
    return { error: refusal(toAppError(err)) };
  }
}

function parseBody<S extends z.ZodType>(
  schema: S,
  raw: string | null,
  what: string,
): { value: z.infer<S> } | { error: Answer } {
  let json: unknown;
  try {
    json = raw === null ? undefined : JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  const detail = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
  return {
    error: refusal({
      code: 'BAD_REQUEST',
      message: `The ${what} request is not JSON of the right shape (${detail}); nothing was changed.`.slice(0, 1_000),
    }),
  };
}

/** The body as text, or null when it is larger than a sign-in ever is. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Failed sign-ins by key (a name, an address). After `free` failures in a row a key is
 * locked for `baseMs`, doubling with each further failure up to `maxMs`; a success on
 * the name clears it. In memory: a hub restart forgets, which costs a guesser a restart.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, { count: number; until: number }>();
  constructor(
    private readonly clock: Clock,
    private readonly options = { free: 5, baseMs: 30_000, maxMs: 15 * 60_000 },
  ) {}

  /** ms until the most locked of `keys` may try again; 0 when none is locked. */
  blockedFor(keys: readonly string[]): number {
    const now = this.clock.now();
    return Math.max(0, ...keys.map((k) => (this.failures.get(k)?.until ?? 0) - now));
  }

  fail(keys: readonly string[]): void {
    const now = this.clock.now();
    for (const k of keys) {
      // an address is shared by a whole control room: it gets more tries than one name
      const free = k.startsWith('addr:') ? this.options.free * 4 : this.options.free;
      const count = (this.failures.get(k)?.count ?? 0) + 1;
      const over = count - free;
      const until = over >= 0 ? now + Math.min(this.options.maxMs, this.options.baseMs * 2 ** over) : 0;
      this.failures.set(k, { count, until });
    }
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
