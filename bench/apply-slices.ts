import { join } from 'node:path';
import { Replica } from '../main/replica/replica';
import { alertTemplates, cloneAlertPayload, syntheticAssets } from './fixtures';
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
const at = new Date().toISOString();
const entries: unknown[] = [];
for (const a of syntheticAssets(assetCount))
  entries.push({ seq: entries.length + 1, type: 'asset.upserted', at, mutationId: null, payload: a });
const t = alertTemplates().filter((x) => x.includes('"msgType":"Alert"'));
for (let i = 0; entries.length < n; i++)
  entries.push({
    seq: entries.length + 1,
    type: 'alert.received',
    at,
    mutationId: null,
    payload: JSON.parse(cloneAlertPayload(t[i % t.length]!, Math.floor(i / t.length))) as unknown,
  });
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
