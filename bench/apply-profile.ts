import { join } from 'node:path';
import { HubEvent } from '../shared/domain/events';
import { Replica } from '../main/replica/replica';
import { syntheticLog } from './fixtures';
import { tempDir } from './harness';

/**
 * `npx tsx bench/apply-profile.ts [events] [batch]` (add --cpu-prof to node via
 * NODE_OPTIONS for a profile): Replica.applyEvents alone, in this thread, with the
 * timing split between the HubEvent parse and the rest (the SQL and the folding), then the
 * deferred affected-asset computation drained to the end. Args: events, batch, assets.
 */
const n = Number(process.argv[2] ?? 4_000);
const batch = Number(process.argv[3] ?? 2_000);
const dir = tempDir('apply');
try {
  const replica = new Replica({ file: join(dir.path, 'replica.sqlite') });
  const entries = syntheticLog(n, Number(process.argv[4] ?? 1_000));
  const p0 = performance.now();
  for (const e of entries) HubEvent.safeParse(e);
  const parseMs = performance.now() - p0;
  const assetCount = Number(process.argv[4] ?? 1_000);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < assetCount; i += batch) replica.applyEvents(entries.slice(i, Math.min(assetCount, i + batch)));
  const assetsMs = performance.now() - t0;
  for (let i = assetCount; i < entries.length; i += batch) replica.applyEvents(entries.slice(i, i + batch));
  const ms = performance.now() - t0;
  // CPU time of this process (one busy thread): steadier than wall time on a shared machine.
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // Affected assets are computed after the apply (decision 0029): drained here to the end.
  const d0 = performance.now();
  while (replica.drainAffected(50).more);
  const drainMs = performance.now() - d0;
  const candidates = replica.db.prepare('SELECT COUNT(*) AS n, AVG(affected_count) AS avg FROM alerts').get();
  console.log(
    JSON.stringify({
      events: entries.length,
      applyPerSecond: Math.round(entries.length / (ms / 1000)),
      applyPerCpuSecond: Math.round(entries.length / (cpuMs / 1000)),
      parseOnlyPerSecond: Math.round(entries.length / (parseMs / 1000)),
      parseShare: +(parseMs / ms).toFixed(2),
      assetsPerSecond: Math.round(assetCount / (assetsMs / 1000)),
      alertsPerSecond: Math.round((entries.length - assetCount) / ((ms - assetsMs) / 1000)),
      affectedDrainAlertsPerSecond: Math.round((entries.length - assetCount) / (drainMs / 1000)),
      alerts: candidates,
    }),
  );
  replica.close();
} finally {
  dir.remove();
}
