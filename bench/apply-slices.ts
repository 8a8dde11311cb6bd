import { join } from 'node:path';
import { Replica } from '../main/replica/replica';
import { alertTemplates, syntheticLog } from './fixtures';
import { tempDir } from './harness';

/**
 * `npx tsx bench/apply-slices.ts [entries] [sliceMs] [assets]`: Replica.applyEvents as the sync
 * engine drives it during a catch-up (pages of 5 000, transactions of `sliceMs`, at least 8
 * entries), over `assets` synthetic assets then cloned active simulator alerts (the catch-up
 * figure's mix). Prints events per wall second and per CPU-second of this process (the steadier
 * reading on a shared machine); run the version before a change beside it (git worktree).
 */
const n = Number(process.argv[2] ?? 10_000);
const sliceMs = Number(process.argv[3] ?? 32);
const assetCount = Number(process.argv[4] ?? 1_000);
const entries = syntheticLog(
  n,
  assetCount,
  alertTemplates().filter((x) => x.includes('"msgType":"Alert"')),
);
const dir = tempDir('apply-slices');
try {
  const replica = new Replica({ file: join(dir.path, 'replica.sqlite') });
  let transactions = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < entries.length;) {
    const r = replica.applyEvents(entries.slice(i, i + 5_000), { budgetMs: sliceMs, minEntries: 8 });
    i += r.applied + r.duplicates;
    transactions++;
  }
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      entries: n,
      transactions,
      perSecond: Math.round(n / seconds),
      perCpuSecond: Math.round(n / ((cpu.user + cpu.system) / 1e6)),
    }),
  );
  replica.close();
} finally {
  dir.remove();
}
