import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExportReceipt } from '../../shared/export';
import type { AppError, ErrorCode } from '../../shared/errors';
import { toAppError } from '../../shared/errors';
import type { TokenAuthority } from '../auth';

/**
 * How an HTTP export the hub finished sending really ended (issue 6, decision 0035).
 *
 * When the hub has written the last byte, the bytes are in socket buffers, not yet in the
 * console's file: a console that cancels then keeps nothing, and an audit entry written at
 * that moment said "exported" for an export nobody kept. So the hub waits for the console's
 * receipt (POST /export/receipt): it kept the whole file (size and SHA-256, compared with
 * what the hub sent) or discarded it. With no receipt in `waitMs` (a client that does not
 * send one, a console that died) or when the hub shuts down, the entry says receipt is
 * unknown. Exactly one ending per export is recorded; a second receipt is NOT_FOUND. The
 * export is open for a receipt from its first byte, since on loopback the console's receipt
 * can overtake the hub's own news that its last write finished.
 */
export type ExportEnding =
  | { readonly kind: 'received'; readonly bytes: number; readonly sha256: string }
  | { readonly kind: 'discarded'; readonly bytes: number; readonly reason: 'cancelled' | 'failed' }
  | { readonly kind: 'unconfirmed'; readonly why: 'timeout' | 'hub-closed'; readonly waitMs: number };

interface Pending {
  /** the officer who asked for it: only they may sign its receipt */
  readonly officer: string;
  /** set once the hub has sent it all */
  end: ((ending: ExportEnding) => void) | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** a receipt that came before the hub saw its last write finish (loopback is that fast) */
  early: ExportEnding | null;
}

export const DEFAULT_RECEIPT_WAIT_MS = 60_000;

export class ExportReceipts {
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(private readonly waitMs = DEFAULT_RECEIPT_WAIT_MS) {}

  /** Export `id` starts (its id is in the response headers): a receipt for it may come from now. */
  open(id: string, officer: string): void {
    this.pending.set(id, { officer, end: null, timer: null, early: null });
  }

  /** Export `id` stopped before the hub sent it all: the hub audits that itself, no receipt needed. */
  drop(id: string): void {
    const p = this.pending.get(id);
    if (p?.timer) clearTimeout(p.timer);
    this.pending.delete(id);
  }

  /** The hub has sent all of export `id`; `end` is called once, with how it ended. */
  sent(id: string, end: (ending: ExportEnding) => void): void {
    const p = this.pending.get(id);
    if (!p || this.closed) {
      this.pending.delete(id);
      return end({ kind: 'unconfirmed', why: 'hub-closed', waitMs: this.waitMs });
    }
    p.end = end;
    if (p.early) return this.finish(id, p.early);
    p.timer = setTimeout(
      () => this.finish(id, { kind: 'unconfirmed', why: 'timeout', waitMs: this.waitMs }),
      this.waitMs,
    );
    p.timer.unref();
  }

  /** A console's receipt; null when it was taken, else why it was refused. */
  receive(officer: string, receipt: ExportReceipt): AppError | null {
    const p = this.pending.get(receipt.exportId);
    if (!p || p.early)
      return {
        code: 'NOT_FOUND',
        message: `No export ${receipt.exportId} is waiting for a receipt (it ended already, or the hub restarted).`,
      };
    if (p.officer.toLowerCase() !== officer.toLowerCase())
      return { code: 'FORBIDDEN', message: `Export ${receipt.exportId} was asked for by another officer.` };
    const ending: ExportEnding =
      receipt.outcome === 'received'
        ? { kind: 'received', bytes: receipt.bytes, sha256: receipt.sha256! }
        : { kind: 'discarded', bytes: receipt.bytes, reason: receipt.reason! };
    if (p.end) this.finish(receipt.exportId, ending);
    else p.early = ending;
    return null;
  }

  /** exports open or waiting for a receipt */
  get waiting(): number {
    return this.pending.size;
  }

  /** The hub is shutting down: every export sent and still waiting is recorded as unconfirmed. */
  closeAll(): void {
    this.closed = true;
    for (const [id, p] of [...this.pending])
      if (p.end) this.finish(id, { kind: 'unconfirmed', why: 'hub-closed', waitMs: this.waitMs });
  }

  private finish(id: string, ending: ExportEnding): void {
    const p = this.pending.get(id);
    if (!p?.end) return;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    p.end(ending);
  }
}

export interface ReceiptHttpDeps {
  receipts: ExportReceipts;
  auth: Pick<TokenAuthority, 'verify'>;
  count(code: ErrorCode): void;
}

export const isExportReceiptRoute = (url: string | undefined): boolean =>
  (url ?? '').split('?')[0] === '/export/receipt';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};
/** a receipt is ~200 bytes */
const MAX_BODY = 4 * 1024;

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * POST /export/receipt, Bearer token of the officer who exported, JSON `ExportReceipt`.
 *   200 { recorded: true }   400 BAD_REQUEST   401 UNAUTHORIZED   403 FORBIDDEN another officer's
 *   404 NOT_FOUND no such export waiting (already ended)
 */
export async function handleExportReceipt(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ReceiptHttpDeps,
): Promise<void> {
  const refuse = (error: AppError): void => {
    deps.count(error.code);
    answer(res, STATUS[error.code] ?? 500, { error });
  };
  if (req.method !== 'POST')
    return refuse({ code: 'BAD_REQUEST', message: 'Send an export receipt with POST /export/receipt.' });
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return refuse({ code: 'UNAUTHORIZED', message: 'No token: send Authorization: Bearer <token>.' });
  let officer: string;
  try {
    officer = (await deps.auth.verify(m[1]!)).name;
  } catch (err) {
    return refuse(toAppError(err));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) return refuse({ code: 'BAD_REQUEST', message: 'An export receipt is at most 4 KB.' });
      chunks.push(chunk);
    }
  } catch {
    // the client went away mid-body (the reading rejects 'aborted'): no receipt, and nobody to answer;
    // uncaught, this rejection of a voided promise would end the hub's process
    if (!res.headersSent) res.destroy();
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    json = undefined;
  }
  const receipt = ExportReceipt.safeParse(json);
  if (!receipt.success) {
    const issue = receipt.error.issues[0];
    return refuse({
      code: 'BAD_REQUEST',
      message: `Bad export receipt (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}); send { exportId, outcome: "received", bytes, sha256 } or { exportId, outcome: "discarded", reason: "cancelled" | "failed", bytes }.`,
    });
  }
  const refused = deps.receipts.receive(officer, receipt.data);
  if (refused) return refuse(refused);
  answer(res, 200, { recorded: true });
}
