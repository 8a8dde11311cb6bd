import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { z } from 'zod';
import {
  EXPORT_ID_HEADER,
  EXPORT_OPERATIONS,
  type ExportReceipt,
  type ExportFormat,
  type ExportOperation,
  type ExportProgress,
  type StartExportArgs,
  type StartedExport,
} from '../../shared/export';
import { ok, type Result } from '../../shared/errors';
import { newId } from '../../shared/ids';

/**
 * Downloads an export from the hub's GET /export (hub/audit/httpExport.ts) to a file, in the
 * console process (issue 6). The body is streamed to `<file>.partial` with backpressure and
 * renamed when complete; progress goes to the renderer at most every 100 ms; a cancel aborts
 * the request (the hub stops reading its log and audits the stopped export) and removes the
 * partial file. When the download ends the hub gets a receipt (POST /export/receipt): the file
 * was kept whole (its size and SHA-256), or discarded; the hub audits a fully sent export only
 * from it, since a cancel can land after the hub wrote its last byte (decision 0035). A cancel
 * that arrives before the file is renamed discards it, so "cancelled" always means no file.
 * The hub refuses non-supervisors; this module does not judge roles.
 */
export interface ExporterOptions {
  hubUrl: string;
  /** the token the console signed in with (read at each start: it changes at sign-in) */
  token: () => string;
  /** where files go */
  dir: string;
  push: (progress: ExportProgress) => void;
  fetch?: typeof fetch;
}

export const isExportOperation = (name: string): name is ExportOperation =>
  (EXPORT_OPERATIONS as readonly string[]).includes(name);

const HubRefusal = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const PROGRESS_EVERY_MS = 100;
/** a receipt the hub does not answer in this time is given up: the hub audits "not confirmed" */
const RECEIPT_TIMEOUT_MS = 10_000;
const PAGE_MARK = Buffer.from('/Type /Page\n');
const NEWLINE = 0x0a;

interface Running {
  readonly controller: AbortController;
  progress: ExportProgress;
}

export class Exporter {
  private readonly running = new Map<string, Running>();

  constructor(private readonly options: ExporterOptions) {}

  call(name: ExportOperation, args: unknown): Result<unknown> {
    if (name === 'startExport') return ok(this.start(args as StartExportArgs));
    return ok({ cancelled: this.cancel((args as { exportId: string }).exportId) });
  }

  /** Starts the download and answers at once; progress, the end and any error come as pushes. */
  start(args: StartExportArgs): StartedExport {
    const exportId = newId();
    mkdirSync(this.options.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(
      this.options.dir,
      `watchfloor-ics214-${args.incidentId ? 'incident' : 'all'}-${stamp}.${args.format}`,
    );
    const run: Running = {
      controller: new AbortController(),
      progress: {
        exportId,
        format: args.format,
        state: 'running',
        bytes: 0,
        done: 0,
        total: null,
        unit: args.format === 'pdf' ? 'pages' : 'entries',
        file,
        error: null,
      },
    };
    this.running.set(exportId, run);
    void this.download(run, args).finally(() => this.running.delete(exportId));
    return { exportId, file };
  }

  cancel(exportId: string): boolean {
    const run = this.running.get(exportId);
    if (!run) return false;
    run.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const run of this.running.values()) run.controller.abort();
  }

  /**
   * Tells the hub how the download ended. Best effort: a hub that cannot be reached audits the
   * export as sent with receipt unknown, and the file (if kept) is complete either way.
   */
  private async receipt(receipt: ExportReceipt): Promise<void> {
    try {
      const res = await (this.options.fetch ?? fetch)(`${this.options.hubUrl}/export/receipt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(receipt),
        signal: AbortSignal.timeout(RECEIPT_TIMEOUT_MS),
      });
      await res.body?.cancel();
    } catch {
      // unreachable hub: nothing to do here (see above)
    }
  }

  private async download(run: Running, args: StartExportArgs): Promise<void> {
    const p = run.progress;
    const partial = `${p.file}.partial`;
    let lastPush = 0;
    let trailing: ReturnType<typeof setTimeout> | null = null;
    const push = (force = false) => {
      const now = performance.now();
      if (!force && now - lastPush < PROGRESS_EVERY_MS) {
        // a download that stalls right after a chunk still shows that chunk: one trailing push
        trailing ??= setTimeout(
          () => {
            trailing = null;
            if (p.state === 'running') push(true);
          },
          PROGRESS_EVERY_MS - (now - lastPush),
        );
        return;
      }
      if (trailing) clearTimeout(trailing);
      trailing = null;
      lastPush = now;
      this.options.push({ ...p });
    };
    const end = (state: ExportProgress['state'], error: ExportProgress['error'] = null) => {
      p.state = state;
      p.error = error;
      push(true);
    };
    push(true);
    const query = new URLSearchParams({ format: args.format });
    if (args.incidentId) query.set('incident', args.incidentId);
    if (args.from) query.set('from', new Date(args.from).toISOString());
    if (args.to) query.set('to', new Date(args.to).toISOString());
    let out: ReturnType<typeof createWriteStream> | null = null;
    let hubExportId: string | null = null;
    const hash = createHash('sha256');
    try {
      const res = await (this.options.fetch ?? fetch)(`${this.options.hubUrl}/export?${query.toString()}`, {
        headers: { authorization: `Bearer ${this.options.token()}` },
        signal: run.controller.signal,
      });
      if (!res.ok || !res.body) {
        const refusal = HubRefusal.safeParse(await res.json().catch(() => null));
        return end(
          'failed',
          refusal.success
            ? refusal.data.error
            : { code: 'INTERNAL', message: `The hub answered ${res.status}; try the export again.` },
        );
      }
      const total = Number(res.headers.get(args.format === 'pdf' ? 'x-export-pages' : 'x-export-entries'));
      p.total = Number.isSafeInteger(total) && total >= 0 ? total : null;
      const sentId = res.headers.get(EXPORT_ID_HEADER);
      hubExportId = sentId && /^[\w-]{1,100}$/.test(sentId) ? sentId : null;
      const named = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      if (named && /^[\w.-]+$/.test(named)) p.file = join(this.options.dir, basename(named));
      out = createWriteStream(partial);
      // A write that fails (disk full) or is still in flight when a cancel destroys the stream
      // emits 'error': keep it and end the download with it, never as an uncaught exception.
      const write: { error: Error | null } = { error: null };
      out.on('error', (err) => (write.error ??= err));
      const counter = progressCounter(args.format);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        p.bytes += chunk.length;
        hash.update(chunk);
        p.done = Math.min(counter(chunk), p.total ?? Infinity);
        if (!out.write(chunk)) await once(out, 'drain', { signal: run.controller.signal });
        if (write.error) throw write.error;
        push();
      }
      out.end();
      await finished(out);
      // a cancel that came while the last bytes were being written still wins: no file
      run.controller.signal.throwIfAborted();
      renameSync(partial, p.file);
      if (hubExportId)
        await this.receipt({ exportId: hubExportId, outcome: 'received', bytes: p.bytes, sha256: hash.digest('hex') });
      if (p.total !== null) p.done = p.total;
      end('done');
    } catch (err) {
      if (out) {
        // a cancel right after the headers can come before the file's open has run (on a busy
        // thread pool): wait for the stream to close, or the open creates the .partial after
        // it was removed
        out.destroy();
        await finished(out).catch(() => undefined);
      }
      rmSync(partial, { force: true });
      const reason = run.controller.signal.aborted ? 'cancelled' : 'failed';
      if (hubExportId) void this.receipt({ exportId: hubExportId, outcome: 'discarded', reason, bytes: p.bytes });
      if (run.controller.signal.aborted) return end('cancelled');
      end('failed', {
        code: 'OFFLINE',
        message: `The export stopped before it was complete (${err instanceof Error ? err.message : String(err)}); nothing was kept. Try again when the hub is reachable.`,
      });
    }
  }
}

/**
 * How much of the export has arrived, from its bytes: a JSON export has one entry per line
 * and a CSV one row per line after the header (a row with a line break in its text counts
 * twice; capped by the total); a PDF page is one "/Type /Page" dictionary.
 */
function progressCounter(format: ExportFormat): (chunk: Uint8Array) => number {
  let count = 0;
  if (format === 'pdf') {
    let carry = Buffer.alloc(0);
    return (chunk) => {
      const buf = Buffer.concat([carry, chunk]);
      for (let i = buf.indexOf(PAGE_MARK); i >= 0; i = buf.indexOf(PAGE_MARK, i + 1)) count++;
      carry = buf.subarray(Math.max(0, buf.length - PAGE_MARK.length + 1));
      return count;
    };
  }
  return (chunk) => {
    for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) count++;
    return Math.max(0, count - 1);
  };
}
