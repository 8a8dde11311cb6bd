import { join } from 'node:path';
import type { SyncCounters } from '../main/sync/engine';
import { alertTemplates, writeHubLog } from './fixtures';
import { startHubProcess } from './hub-process';
import { bundleWorker, tempDir, watchedHost, workerKind } from './harness';

/**
 * `npx tsx bench/catchup-profile.ts [entries] [assets] [--source]`: figure 3 alone at any
 * size, for iterating on the apply (issue 8). A hub log of `entries` (assets first, then
 * cloned active simulator alerts) is written in bulk, the hub runs in its own process and a
 * fresh console host catches up. Prints the wall rate, the worker's apply rate and the
 * pushes. `--source` runs the worker from source under tsx (so NODE_OPTIONS=--cpu-prof
 * profiles the worker thread too); otherwise it is bundled as in the bench.
 */
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const entries = Number(args[0] ?? 20_000);
const assets = Number(args[1] ?? 1_000);
if (!process.argv.includes('--source')) await bundleWorker();
const hubDir = tempDir('catchup-profile-hub');
const consoleDir = tempDir('catchup-profile-console');
try {
  const bulk = writeHubLog(join(hubDir.path, 'hub.sqlite'), {
    assets,
    alerts: entries - assets,
    templates: alertTemplates().filter((t) => t.includes('"msgType":"Alert"')),
  });
  const hub = await startHubProcess({ dataDir: hubDir.path });
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const watched = await watchedHost(hub, consoleDir.path);
    let pushes = 0;
    let alertRows = 0;
    watched.onChanges((c) => {
      pushes++;
      alertRows += c.alerts.length;
    });
    await watched.cursorAt(bulk.head, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const answer = await watched.host.call('getSyncCounters');
    const counters = answer.ok ? (answer.value as SyncCounters) : null;
    await watched.close();
    console.log(
      JSON.stringify({
        entries: bulk.head,
        seconds: +seconds.toFixed(2),
        catchUpPerSecond: Math.round(bulk.head / seconds),
        applyPerSecond: counters ? Math.round(counters.eventsApplied / (counters.applyMs / 1000)) : null,
        applyShareOfWall: counters ? +(counters.applyMs / 1000 / seconds).toFixed(2) : null,
        processCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
        pushes,
        alertRowsPushed: alertRows,
        pulls: counters?.pulls,
        worker: workerKind,
      }),
    );
  } finally {
    await hub.close();
  }
} finally {
  hubDir.remove();
  consoleDir.remove();
}
