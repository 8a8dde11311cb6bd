import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportFormat, ExportProgress } from '../shared/export';
import { Exporter } from '../main/console/export';
import { startHub } from '../hub/server';
import { seal } from './audit-export';

/**
 * The export path end to end (issue 6, decision 0035), not part of `npm run bench` (a
 * 250 000-entry PDF takes minutes here):
 *
 *   npx tsx bench/audit-export-http.ts [entries=250000] [format=pdf] [prefix]
 *
 * Seals `entries` log entries, starts a hub in a child process with its old space capped at
 * 64 MB, and downloads GET /export with the console's own Exporter (receipt included); with
 * `prefix` only the first `prefix` entries (a time range). Prints one JSON line: the
 * download's end, its wall time, the hub's and this (console) process's peak RSS, and the
 * hub's audit entry for it.
 */
const HERE = fileURLToPath(import.meta.url);
const HEAP_CAP_MB = 64;
const START = Date.parse('2026-03-14T09:00:00Z');

if (process.argv[2] === '--seal') {
  // in its own process, so the console's peak RSS below is the download's alone
  seal(process.argv[3]!, Number(process.argv[4]));
} else if (process.argv[2] === '--hub') {
  const hub = await startHub({ dataDir: process.argv[3]!, port: 0, simulate: null, telemetry: false });
  const token = await hub.issueToken({ role: 'supervisor', name: 'Bench Supervisor', position: 'EOC Supervisor' });
  process.send!({ url: hub.url, token });
  process.once('message', () => {
    process.send!({ maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
    void hub.close().then(() => process.exit(0));
  });
} else if (process.argv[1] === HERE) {
  const entries = Number(process.argv[2] ?? 250_000);
  const format = (process.argv[3] ?? 'pdf') as ExportFormat;
  const prefix = Number(process.argv[4] ?? 0);
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-export-http-'));
  try {
    const sealing = fork(HERE, ['--seal', dir, String(entries)], { execArgv: ['--import', 'tsx'] });
    await new Promise((resolve) => sealing.once('exit', resolve));
    const hub = fork(HERE, ['--hub', dir], { execArgv: [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx'] });
    const next = <T>() => new Promise<T>((resolve) => hub.once('message', (m) => resolve(m as T)));
    const { url, token } = await next<{ url: string; token: string }>();
    const out = join(dir, 'exports');
    mkdirSync(out);
    const t = performance.now();
    // sealed 1 000 a second: the first `prefix` entries are a time range
    const to = prefix ? new Date(START + (prefix / 1_000 - 1) * 1_000).toISOString() : undefined;
    const end = await new Promise<ExportProgress>((resolve) => {
      const exporter = new Exporter({
        hubUrl: url,
        token: () => token,
        dir: out,
        push: (p) => p.state !== 'running' && resolve(p),
      });
      exporter.start({ format, ...(to ? { to } : {}) });
    });
    const s = (performance.now() - t) / 1000;
    hub.send('report');
    const hubPeak = await next<{ maxRssMb: number }>();
    await new Promise((resolve) => hub.once('exit', resolve));
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'hub.sqlite'), { readonly: true });
    const audit = db
      .prepare(
        "SELECT json_extract(doc, '$.text') FROM activity_log WHERE json_extract(doc, '$.action') = 'audit.export'",
      )
      .pluck()
      .get() as string | undefined;
    db.close();
    process.stdout.write(
      `${JSON.stringify({
        format,
        state: end.state,
        done: end.done,
        unit: end.unit,
        bytes: end.state === 'done' ? statSync(end.file).size : end.bytes,
        seconds: Number(s.toFixed(1)),
        hubPeakRssMb: hubPeak.maxRssMb,
        hubHeapCapMb: HEAP_CAP_MB,
        consolePeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        audit,
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
