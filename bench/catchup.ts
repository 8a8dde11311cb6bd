import { join } from 'node:path';
import { invokeChannels, type Snapshot } from '../shared/api';
import type { SyncCounters } from '../main/sync/engine';
import { startConsoleHost } from '../main/console/host';
import { alertTemplates, writeHubLog } from './fixtures';
import { startHubProcess } from './hub-process';
import { rssSampler, tempDir, watchedHost, workerKind, workerOptions, type BenchContext } from './harness';
import type { Figure } from './report';
import { screenAndMemory } from './screen';

/**
 * Figures 3, 6, 5 and 7. A hub log of N entries (100 000 assets, then cloned simulator
 * alerts) written in bulk; a fresh console catches up by pulling (the real sync engine),
 * within a time budget; then a second console host starts on that replica and answers
 * its first snapshot; then the renderer opens it in Chromium (bench/screen.ts).
 * RSS is this process's (console host + replica worker; the hub runs in its own process).
 */
export async function catchUpColdStartScreen(ctx: BenchContext): Promise<Figure[]> {
  const total = ctx.quick ? 2_000 : 1_000_000;
  const assets = ctx.quick ? 1_000 : 100_000;
  // The 10-minute budget: a console slower than ~6 000 ev/s does not reach 1 000 000 in it.
  const budgetMs = ctx.quick ? 20_000 : 200_000;
  const hubDir = tempDir('catchup-hub');
  const consoleDir = tempDir('catchup-console');
  const figures: Figure[] = [];
  try {
    const bulk = writeHubLog(join(hubDir.path, 'hub.sqlite'), {
      assets,
      alerts: total - assets,
      // Active alerts (msgType Alert): the same log then serves the screen at city scale.
      templates: alertTemplates().filter((t) => t.includes('"msgType":"Alert"')),
    });
    ctx.note(
      `Catch-up log: ${bulk.head} entries (${assets} assets, ${total - assets} alerts cloned from 5 000 simulator alerts) ` +
        `written straight into hub.sqlite in ${bulk.seconds.toFixed(1)} s (${Math.round(bulk.head / bulk.seconds)} rows/s); ` +
        `hub.simulate() makes only ~3 000–6 000 ev/s here, too slow for this.`,
    );
    const hub = await startHubProcess({ dataDir: hubDir.path });
    try {
      // ---- figure 3: catch-up
      const rssBefore = process.memoryUsage.rss() / 2 ** 20;
      const rss = rssSampler(200);
      const t0 = performance.now();
      const watched = await watchedHost(hub, consoleDir.path);
      const progress: { cursor: number; rss: number }[] = [];
      let nextMark = bulk.head / 10;
      watched.onChanges((c) => {
        if (c.status && c.status.cursor >= nextMark) {
          progress.push({ cursor: c.status.cursor, rss: process.memoryUsage.rss() / 2 ** 20 });
          nextMark += bulk.head / 10;
        }
      });
      let complete = true;
      await watched.cursorAt(bulk.head, budgetMs).catch(() => (complete = false));
      const seconds = (performance.now() - t0) / 1000;
      const reached = watched.status()?.cursor ?? 0;
      const { peakMiB } = rss.stop();
      const answer = await watched.host.call('getSyncCounters');
      const counters = {
        value: answer.ok
          ? (answer.value as SyncCounters)
          : ({ eventsApplied: NaN, applyMs: NaN, pulls: NaN } as unknown as SyncCounters),
      };
      if (!answer.ok) ctx.note(`Catch-up: getSyncCounters failed (${answer.error.message}).`);
      await watched.close();
      const rate = reached / seconds;
      const applyRate = counters.value.eventsApplied / (counters.value.applyMs / 1000);
      const first = progress[0]?.rss ?? rssBefore;
      const last = progress.at(-1)?.rss ?? peakMiB;
      const flat = last - first < 0.25 * Math.max(first, 1) && peakMiB - first < 512;
      ctx.note(
        `Catch-up: ${complete ? `all ${bulk.head}` : `NOT complete: ${reached} of ${bulk.head}`} entries in ${seconds.toFixed(1)} s (budget ${budgetMs / 1000} s) over ${counters.value.pulls} pulls; ` +
          `apply alone ${Math.round(applyRate)} ev/s (${((counters.value.applyMs / 1000 / seconds) * 100).toFixed(0)} % of the wall time); ` +
          `RSS (host + worker) before ${rssBefore.toFixed(0)} MiB, at each tenth: ` +
          `${progress.map((p) => p.rss.toFixed(0)).join(', ')} MiB, peak ${peakMiB.toFixed(0)} MiB; ${workerKind}.`,
      );
      figures.push(
        { name: 'catch-up', value: rate, unit: 'events/s', target: '>= 50 000 ev/s', met: rate >= 50_000 },
        { name: 'catch-up.replica-apply', value: applyRate, unit: 'events/s' },
        {
          name: 'catch-up.peak-rss',
          value: peakMiB,
          unit: 'MiB',
          target: 'flat',
          met: flat,
        },
      );

      // ---- figure 6: cold start on that replica
      const c0 = performance.now();
      const host = await startConsoleHost({
        dataDir: consoleDir.path,
        hubUrl: hub.url,
        token: hub.token,
        ...workerOptions(),
      });
      const ready = performance.now();
      const snapshot = await host.invoke(invokeChannels.getSnapshot.name, undefined);
      const answered = performance.now();
      await host.close();
      const ms = answered - c0;
      const snap = snapshot.ok ? (snapshot.value as Snapshot) : null;
      ctx.note(
        `Cold start on ${reached} entries: worker ready (replica open, migrations checked) ${(ready - c0).toFixed(0)} ms, ` +
          `first snapshot ${(answered - ready).toFixed(0)} ms with ${snap?.alerts.length ?? '?'} alerts and ` +
          `${snap?.assets.length ?? '?'} assets${snapshot.ok ? '' : ` (failed: ${snapshot.error.message})`}; ${workerKind}.`,
      );
      figures.push({ name: 'cold-start', value: ms, unit: 'ms', target: '< 2 000 ms', met: snapshot.ok && ms < 2_000 });
      figures.push({
        name: 'cold-start.replica-entries',
        value: reached,
        unit: 'entries',
        target: '1 000 000',
        met: reached >= 1_000_000,
      });

      // ---- figures 5 and 7 on that replica
      const held = { assets: Math.min(assets, reached), alerts: Math.max(0, reached - assets), entries: reached };
      try {
        figures.push(...(await screenAndMemory(ctx, hub, consoleDir.path, held)));
      } catch (err) {
        // Keep figures 3 and 6 when the page fails.
        ctx.note(`Screen FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        figures.push({ name: 'screen', value: NaN, unit: 'failed', met: false });
      }
    } finally {
      await hub.close();
    }
  } finally {
    hubDir.remove();
    consoleDir.remove();
  }
  return figures;
}
