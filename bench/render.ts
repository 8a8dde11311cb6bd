import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findingsAppendix, writeResults, type Figure } from './report';

/** `npx tsx bench/render.ts [run.json]`: bench/RESULTS.md again from a full run (default the last) and the current FINDINGS.md. */
const here = dirname(fileURLToPath(import.meta.url));
const run = JSON.parse(readFileSync(process.argv[2] ?? join(here, 'out', 'last-full.json'), 'utf8')) as {
  figures: Figure[];
  notes: string[];
  machine: Record<string, string | number>;
};
writeResults(
  join(here, 'RESULTS.md'),
  run.figures,
  run.notes,
  findingsAppendix(here),
  run.machine,
);
