import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppError } from '../../shared/errors';
import type { OfficerClaims } from '../auth';
import type { CapIntake } from './intake';

/**
 * POST /cap — one CAP message or an EDXL-DE envelope (also an Atom/RSS document with
 * embedded CAP, or a USGS GeoJSON feed), `Authorization: Bearer <feed token>`.
 *
 *   202 { identifiers, duplicates, rejectedEntries }   at least one alert stored or already known
 *   401 UNAUTHORIZED   no or bad token          403 FORBIDDEN   token of another role
 *   413 MESSAGE_TOO_LARGE  body over the limit   422 <first validator code>  nothing acceptable,
 *       with `issues: [{ code, message, entry }]` (entry: index in the document, null = document)
 *   405 / 415 for the wrong method / an empty body.
 * Nothing is appended unless the answer is 202.
 */
export interface CapPostDeps {
  intake: CapIntake;
  verify(token: string): Promise<OfficerClaims>;
  /** counts refusals in the hub's error counters */
  count(code: AppError['code']): void;
}

type Answer = { status: number; body: unknown };

const refusal = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { error: { code, message, ...extra } },
});

export async function handleCapPost(req: IncomingMessage, res: ServerResponse, deps: CapPostDeps): Promise<void> {
  const answer = await decide(req, deps).catch((err: unknown): Answer =>
    refusal(
      500,
      'INTERNAL',
      `The hub could not take this message (${err instanceof Error ? err.message : String(err)}); send it again.`,
    ),
  );
  if (answer.status !== 202 && answer.status !== 500) {
    const code = (answer.body as { error: { code: string } }).error.code;
    if (answer.status === 401) deps.count('UNAUTHORIZED');
    else if (answer.status === 403) deps.count('FORBIDDEN');
    else if (answer.status === 405 || answer.status === 415) deps.count('BAD_REQUEST');
    const r = deps.intake.counters.rejected;
    if (answer.status === 401 || answer.status === 403 || answer.status === 413) r[code] = (r[code] ?? 0) + 1;
  } else if (answer.status === 500) deps.count('INTERNAL');
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  // A refused upload may still be streaming: stop reading it.
  if (!req.complete) req.destroy();
}

async function decide(req: IncomingMessage, deps: CapPostDeps): Promise<Answer> {
  if (req.method !== 'POST') return refusal(405, 'BAD_REQUEST', 'Send CAP to /cap with POST.');
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) {
    return refusal(
      401,
      'UNAUTHORIZED',
      'No token: send Authorization: Bearer <feed token> (npm run hub -- token --role feed).',
    );
  }
  let claims: OfficerClaims;
  try {
    claims = await deps.verify(m[1]!);
  } catch (err) {
    return refusal(401, 'UNAUTHORIZED', err instanceof Error ? err.message : 'The token was refused.');
  }
  if (claims.role !== 'feed') {
    return refusal(403, 'FORBIDDEN', `A ${claims.role} token may not post CAP; use a feed token (--role feed).`);
  }
  const limit = deps.intake.maxBytes;
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = (n: number) =>
    refusal(
      413,
      'MESSAGE_TOO_LARGE',
      `The body is ${n} bytes; the limit is ${limit}. Link large resources instead of inlining them.`,
    );
  if (Number.isFinite(declared) && declared > limit) return tooLarge(declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return tooLarge(size);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return refusal(415, 'BAD_REQUEST', 'The body is empty; send one CAP message or an EDXL-DE envelope.');
  const bytes = new Uint8Array(Buffer.concat(chunks));
  const outcome = await deps.intake.submit(bytes, {
    kind: 'cap-post',
    name: `POST /cap by ${claims.name}`.slice(0, 500),
  });
  if (outcome.stored.length + outcome.duplicates.length === 0) {
    const first = outcome.issues[0];
    const code = first?.code ?? (outcome.links.length ? 'FEED_ENTRY_LINK_ONLY' : 'NO_ALERT');
    const message = first
      ? `The message was rejected: ${first.message}`
      : outcome.links.length
        ? 'The document only links to CAP messages; post the messages themselves (or list the feed in the hub config).'
        : 'The document holds no CAP alert.';
    return refusal(422, code, message.slice(0, 1_000), { issues: outcome.issues.slice(0, 50) });
  }
  return {
    status: 202,
    body: {
      identifiers: [...outcome.stored, ...outcome.duplicates],
      stored: outcome.stored.length,
      duplicates: outcome.duplicates.length,
      rejectedEntries: outcome.verdict.entries.filter((e) => !e.accepted).length,
      warnings: outcome.verdict.warnings.map((w) => w.code),
    },
  };
}
