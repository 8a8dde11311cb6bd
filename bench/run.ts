import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditExport } from './audit-export';
import { basemap } from './basemap';
import { catchUpColdStartScreen } from './catchup';
import { encryption } from './encryption';
import { bundleWorker, type BenchContext } from './harness';
import { ingest } from './ingest';
import { latency } from './latency';
import { officerAction } from './officer';
import { machine, writeResults, type Figure } from './report';
import { snapshotRebuild } from './snapshot';
import { telemetry } from './telemetry';
import { telemetryStore } from './telemetryStore';

/**
 * `npm run bench [-- --quick] [-- --only ingest,latency,...]`: one JSON line per figure,
 * and bench/RESULTS.md (a quick run writes bench/out/RESULTS-quick.md instead, so it
 * never overwrites the figures of a full run).
 */
const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : null;

const notes: string[] = [];
const ctx: BenchContext = { quick, note: (line) => void notes.push(line) };

const parts: [string, (c: BenchContext) => Promise<Figure[]>][] = [
  ['ingest', ingest],
  ['latency', latency],
  ['officer', officerAction],
  ['catchup', catchUpColdStartScreen],
  ['encryption', encryption],
  ['basemap', basemap],
  ['snapshot', snapshotRebuild],
  ['audit-export', auditExport],
  ['telemetry', telemetry],
  ['telemetry-store', telemetryStore],
];

await bundleWorker();
const figures: Figure[] = [];
const loads: string[] = [];
const started = performance.now();
for (const [name, run] of parts) {
  if (only && !only.has(name)) continue;
  loads.push(
    `${name}: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const t0 = performance.now();
  try {
    for (const f of await run(ctx)) {
      figures.push(f);
      const { met: _met, ...line } = f;
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    notes.push(`${name} FAILED: ${message.split('\n').slice(0, 3).join(' ')}`);
    figures.push({ name, value: NaN, unit: 'failed', met: false });
    process.stderr.write(`bench: ${name} failed: ${message}\n`);
  }
  process.stderr.write(`bench: ${name} took ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
notes.push(
  `Run: ${quick ? '--quick' : 'full'}, ${((performance.now() - started) / 1000).toFixed(0)} s; load average (1, 5, 15 min) ` +
    `when each part started: ${loads.join('; ')}.`,
);

const out = quick ? join(here, 'out', 'RESULTS-quick.md') : join(here, 'RESULTS.md');
if (!existsSync(dirname(out))) mkdirSync(dirname(out), { recursive: true });
const findings = join(here, 'FINDINGS.md');
writeResults(out, figures, notes, existsSync(findings) ? readFileSync(findings, 'utf8') : '');
// The run's figures, so RESULTS.md can be re-rendered after FINDINGS.md changes (bench/render.ts).
mkdirSync(join(here, 'out'), { recursive: true });
writeFileSync(
  join(here, 'out', quick ? 'last-quick.json' : 'last-full.json'),
  JSON.stringify({ figures, notes, machine: machine() }),
);
process.stderr.write(`bench: wrote ${out}\n`);
// Worker threads, sockets and child processes are closed by each part; exit even if a timer lingers.
process.exit(0);
