import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { z } from 'zod';
import type { HubEvent } from '../../shared/domain/events';
import type { Actor } from '../../shared/domain/officer';
import { EXPORT_ID_HEADER } from '../../shared/export';
import { toAppError, type AppError, type ErrorCode } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { OfficerClaims, TokenAuthority } from '../auth';
import { recordAudit } from '../auditTrail';
import { requireSupervisor } from '../session';
import type { HubStore } from '../store/hubStore';
import { CONTENT_TYPES, EXPORT_FORMATS, streamExport, type ExportStart, type ExportSummary } from './exportLog';
import type { ExportEnding, ExportReceipts } from './exportReceipts';

/**
 * GET /export?format=csv|json|pdf[&incident=<id>][&from=<iso>][&to=<iso>], Bearer token.
 *
 *   200  the export, streamed (no Content-Length; `x-export-entries` and, for PDF,
 *        `x-export-pages` say how much is coming, for the console's progress bar;
 *        `x-export-id` names it for the receipt, hub/audit/exportReceipts.ts)
 *   400 BAD_REQUEST bad query   401 UNAUTHORIZED no or bad token
 *   403 FORBIDDEN  not a supervisor (the refusal is an audit event, hub/session.ts)
 *   404 NOT_FOUND  no such incident
 * The export itself is an audit event ('export'), written when its ending is known: stopped
 * before the hub sent it all (the client closed the connection, or the hub failed) at once;
 * sent in full, when the console's receipt says it kept the file (size and SHA-256 checked
 * against what was sent) or discarded it, or when no receipt came (decision 0035).
 * A failure after the first byte can only cut the connection; the console then says the
 * download was incomplete and keeps no file.
 */
export interface ExportHttpDeps {
  dataDir: string;
  store: HubStore;
  auth: Pick<TokenAuthority, 'verify'>;
  count(code: ErrorCode): void;
  publish(events: HubEvent[]): void;
  receipts: ExportReceipts;
}

const isoTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time, e.g. 2026-11-28T08:00:00Z')
  .transform((s) => new Date(s).toISOString());

export const ExportQuery = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    incident: z.string().min(1).max(100).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type ExportQuery = z.infer<typeof ExportQuery>;

export const isExportRoute = (url: string | undefined): boolean => (url ?? '').split('?')[0] === '/export';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

function refuse(res: ServerResponse, deps: ExportHttpDeps, error: AppError): void {
  deps.count(error.code);
  const body = JSON.stringify({ error });
  res.writeHead(STATUS[error.code] ?? 500, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function handleExportGet(req: IncomingMessage, res: ServerResponse, deps: ExportHttpDeps): Promise<void> {
  if (req.method !== 'GET')
    return refuse(res, deps, { code: 'BAD_REQUEST', message: 'Ask for an export with GET /export?format=…' });
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m)
    return refuse(res, deps, {
      code: 'UNAUTHORIZED',
      message: 'No token: send Authorization: Bearer <token> (sign in first).',
    });
  let claims: OfficerClaims;
  try {
    claims = await deps.auth.verify(m[1]!);
  } catch (err) {
    return refuse(res, deps, toAppError(err));
  }
  const officer: Actor = {
    name: claims.name,
    role: claims.role,
    ...(claims.position ? { position: claims.position } : {}),
  };
  const forbidden = requireSupervisor(deps, officer, 'export', 'export the activity log');
  if (forbidden) return refuse(res, deps, forbidden);

  const params = new URL(req.url ?? '/', 'http://hub').searchParams;
  const query = ExportQuery.safeParse(Object.fromEntries(params));
  if (!query.success) {
    const issue = query.error.issues[0];
    return refuse(res, deps, {
      code: 'BAD_REQUEST',
      message: `Bad export request: ${issue ? `${issue.path.join('.') || 'query'} ${issue.message}` : 'invalid'}. Use format=csv|json|pdf, incident=<id>, from/to=<ISO time>.`,
    });
  }
  const q = query.data;
  const incident = q.incident ? deps.store.incident(q.incident) : null;
  if (q.incident && !incident)
    return refuse(res, deps, { code: 'NOT_FOUND', message: `There is no incident ${q.incident} on this hub.` });

  const controller = new AbortController();
  // The client went away (cancel, closed console) before the export finished: stop reading.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  });
  const scope = incident ? `of ${incident.number}` : q.from || q.to ? 'of a time range' : 'of every incident';
  const range = q.from || q.to ? ` (${q.from ?? 'start'} to ${q.to ?? 'now'})` : '';
  const what = `the activity log ${scope}${range} as ${q.format.toUpperCase()}`;
  const name = `watchfloor-ics214-${incident ? incident.number : 'all'}-${new Date().toISOString().replace(/[:.]/g, '-')}.${q.format}`;
  const exportId = newId();
  const audit = (detail: string): void => {
    try {
      deps.publish(recordAudit(deps.store, { kind: 'export', officer, detail, incidentId: incident?.id ?? null }));
    } catch {
      // the store closed under an export that ended as the hub shut down: nothing left to write to
      deps.count('INTERNAL');
    }
  };
  // What goes to the socket is hashed on its way, so a receipt can be checked against it.
  const sent = { hash: createHash('sha256'), bytes: 0 };
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent.hash.update(chunk);
      sent.bytes += chunk.length;
      done(null, chunk);
    },
  });
  tap.pipe(res);
  let started = false;
  let summary: ExportSummary;
  try {
    summary = await streamExport(tap, {
      hubData: deps.dataDir,
      format: q.format,
      incidentId: q.incident,
      from: q.from,
      to: q.to,
      signal: controller.signal,
      people: {
        preparedBy: { name: claims.name, position: claims.position },
        homeAgency: claims.agency,
      },
      onStart(info: ExportStart) {
        started = true;
        deps.receipts.open(exportId, officer.name);
        res.writeHead(200, {
          'content-type': CONTENT_TYPES[q.format],
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'no-store',
          [EXPORT_ID_HEADER]: exportId,
          'x-export-entries': String(info.entries),
          ...(info.pages !== undefined ? { 'x-export-pages': String(info.pages) } : {}),
        });
      },
    });
    // every byte handed to the socket (the client may still be reading them)
    await finished(res);
  } catch (err) {
    deps.receipts.drop(exportId);
    tap.unpipe(res);
    tap.destroy();
    if (!started) return refuse(res, deps, toAppError(err));
    const clientGone = controller.signal.aborted;
    res.destroy();
    audit(
      `${officer.name} started an export of ${what}; it did not complete (${clientGone ? 'the client closed the connection' : 'the hub failed'}).`,
    );
    return;
  }
  const done = summary;
  const sha256 = sent.hash.digest('hex');
  const sentAs = `${done.entries} entries, chain head ${done.head}, ${sent.bytes} bytes, SHA-256 ${sha256}`;
  deps.receipts.sent(exportId, (ending: ExportEnding) => {
    if (ending.kind === 'received' && ending.bytes === sent.bytes && ending.sha256 === sha256)
      audit(
        `${officer.name} exported ${what}: ${done.entries} entries, chain head ${done.head}. The console confirmed it kept the whole file (${sent.bytes} bytes, SHA-256 ${sha256}).`,
      );
    else if (ending.kind === 'received')
      audit(
        `${officer.name} exported ${what} (${sentAs}), but the console reported keeping a different file (${ending.bytes} bytes, SHA-256 ${ending.sha256}).`,
      );
    else if (ending.kind === 'discarded' && ending.reason === 'failed')
      audit(
        `${officer.name}'s console could not save an export of ${what} that the hub had sent in full (${sentAs}); no file was kept.`,
      );
    else if (ending.kind === 'discarded')
      audit(
        `${officer.name} cancelled an export of ${what} after the hub had sent all of it (${sentAs}); the console kept no file.`,
      );
    else
      audit(
        `${officer.name} exported ${what}: the hub sent all of it (${sentAs}), but ${ending.why === 'timeout' ? `no receipt came from the client within ${Math.round(ending.waitMs / 1000)} s` : 'the hub shut down before a receipt came from the client'}, so whether the file was kept is not known.`,
      );
  });
}
