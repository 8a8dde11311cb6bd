import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { HubEvent } from '../../shared/domain/events';
import type { Actor } from '../../shared/domain/officer';
import { toAppError, type AppError, type ErrorCode } from '../../shared/errors';
import type { OfficerClaims, TokenAuthority } from '../auth';
import { recordAudit } from '../auditTrail';
import { requireSupervisor } from '../session';
import type { HubStore } from '../store/hubStore';
import { CONTENT_TYPES, EXPORT_FORMATS, streamExport, type ExportStart, type ExportSummary } from './exportLog';

/**
 * GET /export?format=csv|json|pdf[&incident=<id>][&from=<iso>][&to=<iso>], Bearer token.
 *
 *   200  the export, streamed (no Content-Length; `x-export-entries` and, for PDF,
 *        `x-export-pages` say how much is coming, for the console's progress bar)
 *   400 BAD_REQUEST bad query   401 UNAUTHORIZED no or bad token
 *   403 FORBIDDEN  not a supervisor (the refusal is an audit event, hub/session.ts)
 *   404 NOT_FOUND  no such incident
 * The export itself is an audit event ('export'): done, or stopped by the client.
 * A failure after the first byte can only cut the connection; the console then says the
 * download was incomplete and keeps no file.
 */
export interface ExportHttpDeps {
  dataDir: string;
  store: HubStore;
  auth: Pick<TokenAuthority, 'verify'>;
  count(code: ErrorCode): void;
  publish(events: HubEvent[]): void;
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
  const name = `watchfloor-ics214-${incident ? incident.number : 'all'}-${new Date().toISOString().replace(/[:.]/g, '-')}.${q.format}`;
  let started = false;
  let summary: ExportSummary | null = null;
  try {
    summary = await streamExport(res, {
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
        res.writeHead(200, {
          'content-type': CONTENT_TYPES[q.format],
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'no-store',
          'x-export-entries': String(info.entries),
          ...(info.pages !== undefined ? { 'x-export-pages': String(info.pages) } : {}),
        });
      },
    });
  } catch (err) {
    if (!started) return refuse(res, deps, toAppError(err));
    res.destroy();
  } finally {
    const detail = summary
      ? `${officer.name} exported the activity log ${scope}${range} as ${q.format.toUpperCase()}: ${summary.entries} entries, chain head ${summary.head}.`
      : `${officer.name} started an export of the activity log ${scope}${range} as ${q.format.toUpperCase()}; it did not complete (${controller.signal.aborted ? 'the client closed the connection' : 'the hub failed'}).`;
    deps.publish(recordAudit(deps.store, { kind: 'export', officer, detail, incidentId: incident?.id ?? null }));
  }
}
