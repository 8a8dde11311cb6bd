import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ManualClock } from '../shared/clock';
import { newId } from '../shared/ids';
import { EXPORT_FORMATS, exportLog, type ExportFormat } from '../hub/audit/exportLog';
import type { EventDraft } from '../hub/events';
import { HubStore } from '../hub/store/hubStore';
import type { BenchContext } from './harness';
import type { Figure } from './report';

/**
 * `npm run bench -- --only=audit-export` (issue 6): seals N activity-log entries through the
 * hub store (the real append path; 250 000, or 5 000 with --quick), then exports them as
 * JSON, CSV and the ICS 214 PDF, each in its own Node process with the V8 old space capped
 * at HEAP_CAP_MB (so an export whose live heap grows with N fails rather than just using
 * more), at two sizes: N/5 and N. Memory is flat when the peak RSS at N is the peak at N/5
 * (the ~150 MB base is Node, tsx, SQLite and the PDF font). Times and peaks are of the
 * export's own process (`maxRSS`); a loaded machine makes the times pessimistic.
 *
 * Also `npx tsx bench/audit-export.ts [N] [dir]` to seal and export once from a shell.
 */
const HERE = fileURLToPath(import.meta.url);
const HEAP_CAP_MB = 64;

export function seal(dir: string, n: number): { ms: number } {
  const clock = new ManualClock(Date.parse('2026-03-14T09:00:00Z'));
  const store = HubStore.open(join(dir, 'hub.sqlite'), clock);
  const incidents = Array.from({ length: 20 }, () => newId());
  const t = performance.now();
  for (let done = store.lastLogSeq(); done < n;) {
    const batch = Math.min(1_000, n - done);
    const drafts: EventDraft[] = Array.from({ length: batch }, (_, i) => ({
      type: 'log.appended',
      payload: {
        id: newId(),
        seq: done + i + 1,
        incidentId: incidents[(done + i) % incidents.length]!,
        operationalPeriod: 1,
        at: new Date(clock.now()).toISOString(),
        author: 'Ada Okafor',
        position: 'Duty Officer',
        text: `Engine ${(done + i) % 40} on scene, "all clear" at sector ${i}; 消防车已到达现场`,
        kind: 'manual',
        corrects: null,
        action: 'log.append',
      },
    }));
    store.append(drafts);
    clock.advance(1_000);
    done += batch;
  }
  store.close();
  return { ms: performance.now() - t };
}

interface ChildResult {
  format: ExportFormat;
  entries: number;
  ms: number;
  /** user + system CPU of the export's process: steadier than wall time on a loaded machine */
  cpuMs: number;
  maxRssMb: number;
  bytes: number;
  pages?: number;
}

/** One export in this process; what the child prints. */
async function exportHere(format: ExportFormat, dir: string, limit: number | null): Promise<ChildResult> {
  const out = join(dir, `export-${limit ?? 'all'}.${format}`);
  const t = performance.now();
  // a prefix of the log is a time range: the first `limit` entries are sealed 1 000 per second
  const to = limit
    ? new Date(Date.parse('2026-03-14T09:00:00Z') + (limit / 1_000 - 1) * 1_000).toISOString()
    : undefined;
  const s = await exportLog({ hubData: dir, format, out, to });
  const ms = performance.now() - t;
  const result: ChildResult = {
    format,
    entries: s.entries,
    ms: Math.round(ms),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    bytes: statSync(out).size,
    ...(s.pages ? { pages: s.pages } : {}),
  };
  rmSync(out, { force: true });
  return result;
}

async function exportInChild(
  format: ExportFormat,
  dir: string,
  limit: number | null,
  heapCapMb?: number,
): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      ...(heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : []),
      '--import',
      'tsx',
      HERE,
      '--child',
      format,
      dir,
      String(limit ?? 0),
    ],
    { maxBuffer: 1024 * 1024, timeout: 30 * 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

/** peak RSS at N over the peak at N/5 above which memory is not called flat (RSS is noisy) */
const FLAT_RATIO = 1.15;

export async function auditExport(ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 5_000 : 250_000;
  const small = n / 5;
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-audit-'));
  const figures: Figure[] = [];
  try {
    const sealed = seal(dir, n);
    figures.push({ name: 'audit-export.seal.entriesPerSecond', value: n / (sealed.ms / 1000), unit: 'entries/s' });
    for (const format of EXPORT_FORMATS) {
      const part = await exportInChild(format, dir, small, HEAP_CAP_MB);
      const full = await exportInChild(format, dir, null, HEAP_CAP_MB);
      const growth = full.maxRssMb / part.maxRssMb;
      figures.push(
        { name: `audit-export.${format}.${small}.ms`, value: part.ms, unit: 'ms' },
        { name: `audit-export.${format}.${small}.peakRss`, value: part.maxRssMb, unit: 'MB' },
        {
          name: `audit-export.${format}.${n}.ms`,
          value: full.ms,
          unit: 'ms',
          target: `completes with --max-old-space-size=${HEAP_CAP_MB}`,
          met: full.entries === n,
        },
        { name: `audit-export.${format}.${n}.cpuMs`, value: full.cpuMs, unit: 'ms' },
        { name: `audit-export.${format}.${n}.peakRss`, value: full.maxRssMb, unit: 'MB' },
        {
          name: `audit-export.${format}.peakRss.${n}over${small}`,
          value: growth,
          unit: 'ratio',
          target: `<= ${FLAT_RATIO} (flat in the entry count)`,
          // --quick's sizes end before the heap reaches the cap, so its peaks still rise: no verdict
          ...(ctx.quick ? {} : { met: growth <= FLAT_RATIO }),
        },
        { name: `audit-export.${format}.${n}.fileSize`, value: full.bytes / 2 ** 20, unit: 'MiB' },
      );
      ctx.note(
        `audit-export ${format} (--max-old-space-size=${HEAP_CAP_MB}): ${full.entries} entries in ${(full.ms / 1000).toFixed(1)} s ` +
          `(${Math.round(full.entries / (full.ms / 1000))}/s, ${(full.cpuMs / 1000).toFixed(1)} CPU-s), peak RSS ${full.maxRssMb} MB; ` +
          `${part.entries} entries in ${(part.ms / 1000).toFixed(1)} s (${(part.cpuMs / 1000).toFixed(1)} CPU-s), peak RSS ${part.maxRssMb} MB; ${(full.bytes / 2 ** 20).toFixed(1)} MiB` +
          `${full.pages ? `, ${full.pages} pages (${part.pages} at ${part.entries})` : ''}. Each export in its own Node process (tsx loaded).`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

const argv = process.argv.slice(2);
if (process.argv[1] === HERE && argv[0] === '--child') {
  const limit = Number(argv[3]) || null;
  process.stdout.write(`${JSON.stringify(await exportHere(argv[1] as ExportFormat, argv[2]!, limit))}\n`);
} else if (process.argv[1] === HERE) {
  const n = Number(argv[0] ?? 250_000);
  const dir = argv[1] ?? mkdtempSync(join(tmpdir(), 'watchfloor-audit-bench-'));
  const sealed = seal(dir, n);
  console.log(JSON.stringify({ figure: 'audit.seal', entries: n, ms: Math.round(sealed.ms), dir }));
  for (const format of EXPORT_FORMATS) console.log(JSON.stringify(await exportHere(format, dir, null)));
}
