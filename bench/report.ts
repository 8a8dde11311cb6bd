import os from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One figure of `npm run bench`, printed as a JSON line. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** the raw limit measured in the same run, where one applies */
  limit?: number;
  /** value / limit */
  ratio?: number;
  /** human-readable target, e.g. "ratio >= 0.25" or "< 50 ms" */
  target?: string;
  /** whether the target was met; undefined where there is no target */
  met?: boolean;
}

export function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    date: new Date().toISOString(),
  };
}

export function writeResults(
  path: string,
  figures: readonly Figure[],
  notes: readonly string[],
  appendix = '',
  m: Record<string, string | number> = machine(),
): void {
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench`; every figure is measured in the same run as its raw limit,',
    'because these machines are shared and noisy.',
    '',
    '## Machine',
    '',
    ...Object.entries(m).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Figures',
    '',
    '| figure | value | unit | raw limit | ratio | target | verdict |',
    '|---|---:|---|---:|---:|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.name} | ${fmt(f.value)} | ${f.unit} | ${f.limit === undefined ? '' : fmt(f.limit)} | ${
          f.ratio === undefined ? '' : f.ratio.toFixed(2)
        } | ${f.target ?? ''} | ${f.met === undefined ? '' : f.met ? 'met' : 'NOT met'} |`,
    ),
    '',
    ...(notes.length ? ['## Notes (this run)', '', ...notes.map((n) => `- ${n}`), ''] : []),
    ...(appendix ? [appendix.trimEnd(), ''] : []),
  ];
  writeFileSync(path, lines.join('\n'));
}

/** The appendix of RESULTS.md: bench/FINDINGS.md (apply and catch-up) then bench/FINDINGS-city.md (runtime, screen, cold start). */
export function findingsAppendix(dir: string): string {
  return ['FINDINGS.md', 'FINDINGS-city.md']
    .map((name) => join(dir, name))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8').trimEnd())
    .join('\n\n');
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
