/**
 * The fault suite (issue 5): `npm run test:faults [-- --only=1,3] [--runs=N]`.
 * Real hub and real console processes, a TCP proxy between them, kill -9 at random moments;
 * after each run every console's replica is compared with the hub's log, and every officer
 * action a console answered or showed as confirmed is looked up on the hub.
 * The last line is the summary; the exit code is non-zero on any loss, double or failure.
 */
import { parseArgs } from 'node:util';
import { bundleConsole } from './build';
import { useConsoleBundle } from './cluster';
import { ingestKills } from './scenarios/s1-ingest-kills';
import { actionKills } from './scenarios/s2-action-kills';
import { hubRestarts } from './scenarios/s3-hub-restarts';
import { proxyFaults } from './scenarios/s4-proxy-faults';
import { duplicateReorder } from './scenarios/s5-dup-reorder';
import { sameUnit } from './scenarios/s6-same-unit';
import { retention } from './scenarios/s7-retention';
import type { Scenario, ScenarioResult } from './scenario';

const scenarios: Scenario[] = [
  ingestKills,
  actionKills,
  hubRestarts,
  proxyFaults,
  duplicateReorder,
  sameUnit,
  retention,
];

const { values } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string' } } });
const only = values.only ? new Set(values.only.split(',').map(Number)) : null;
// --runs overrides every scenario's run count (quick local tries); the default is the suite's.
const runs = values.runs ? Number(values.runs) : undefined;

const results: ScenarioResult[] = [];
const started = performance.now();
useConsoleBundle(await bundleConsole());
console.log(`       console bundled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const s of scenarios) {
  if (only && !only.has(s.id)) continue;
  const t0 = performance.now();
  const r = await s.run(runs ? { runs } : {});
  results.push(r);
  const ok = r.lost === 0 && r.doubled === 0 && r.failures.length === 0;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${s.id}. ${r.name}: ${r.runs} runs, ${r.lost} lost, ${r.doubled} doubled (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  for (const n of r.notes) console.log(`       ${n}`);
  for (const f of r.failures) console.log(`       ! ${f}`);
}
const total = results.reduce(
  (t, r) => ({
    runs: t.runs + r.runs,
    lost: t.lost + r.lost,
    doubled: t.doubled + r.doubled,
    failed: t.failed + (r.failures.length ? 1 : 0),
  }),
  { runs: 0, lost: 0, doubled: 0, failed: 0 },
);
console.log(`       (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
console.log(`faults: ${results.length} scenarios, ${total.runs} runs, ${total.lost} lost, ${total.doubled} doubled`);
process.exit(total.lost || total.doubled || total.failed ? 1 : 0);
