import { dirname } from 'node:path';
import { invokeChannels, type Snapshot } from '../shared/api';
import type { SyncCounters } from '../main/sync/engine';
import { startConsoleHost } from '../main/console/host';
import { cityFixture, type CityFixture, type CitySpec } from './city';
import { startHubProcess } from './hub-process';
import { rssSampler, tempDir, watchedHost, workerKind, workerOptions, type BenchContext } from './harness';
import type { Figure } from './report';
import { screenAndMemory } from './screen';

/** The sizes issue 8 names (figures 3, 5, 6), and the quick run's. */
export const CITY: Readonly<Record<'full' | 'quick', CitySpec>> = {
  full: { events: 1_000_000, assets: 100_000, threads: 50_000 },
  quick: { events: 20_000, assets: 2_000, threads: 1_000 },
};

/**
 * Figures 3, 6, 5 and 7 on the city fixture (bench/city.ts: a hub log of 1 000 000 entries —
 * 100 000 assets, then 50 000 alert threads of 18 messages — and the replica that applied all
 * of it, both cached). Catch-up: a fresh console pulls that log from the hub (own process)
 * for its time budget; the rate is what it reached over the time it took, with the whole
 * million ahead of it. Cold start: a console host starts on the full replica (in place) and
 * answers its first snapshot. Screen and memory: the renderer bundle in Chromium on it.
 */
export async function catchUpColdStartScreen(ctx: BenchContext): Promise<Figure[]> {
  const spec = ctx.quick ? CITY.quick : CITY.full;
  const budgetMs = ctx.budgetMs ?? (ctx.quick ? 20_000 : 200_000);
  // The part's budget: a third to catching up, the rest to fixtures, cold start and the page.
  const catchUpMs = Math.round(budgetMs * (ctx.quick ? 0.2 : 0.35));
  const figures: Figure[] = [];
  const city = cityFixture(spec);
  ctx.note(
    `City fixture: ${city.head} entries (${spec.assets} assets, ${spec.threads} alert threads × ${city.versions} messages: ` +
      `${spec.threads} active alerts, the rest superseded), hub log and replica ${city.cached ? 'from the cache' : 'built by bulk SQL'} in ${city.seconds.toFixed(1)} s (bench/city.ts).`,
  );
  // The fixture's files are used in place: copying 8 GB took 45–80 s of the run on this disk
  // (no reflinks on ext4). Nothing here appends to the hub's log (no simulator, no actions), so
  // both stay at `head`; cityFixture checks that at every run and rebuilds them if not.
  const catchDir = tempDir('catchup-console');
  try {
    const hub = await startHubProcess({ dataDir: dirname(city.hubFile) });
    try {
      const keep = (fs: Figure[]) => {
        figures.push(...fs);
        ctx.partial?.push(...fs);
      };
      keep(await catchUp(ctx, hub, catchDir.path, city.head, catchUpMs));
      keep(await coldStart(ctx, hub, dirname(city.replicaFile), city));
      try {
        figures.push(
          ...(await screenAndMemory(ctx, hub, dirname(city.replicaFile), {
            assets: spec.assets,
            alerts: spec.threads,
            entries: city.head,
          })),
        );
      } catch (err) {
        // Keep figures 3 and 6 when the page fails.
        ctx.note(`Screen FAILED: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        figures.push({ name: 'screen', value: NaN, unit: 'failed', met: false });
      }
    } finally {
      await hub.close();
    }
  } finally {
    catchDir.remove();
  }
  return figures;
}

async function catchUp(
  ctx: BenchContext,
  hub: { url: string; token: string },
  dataDir: string,
  head: number,
  budgetMs: number,
): Promise<Figure[]> {
  const rssBefore = process.memoryUsage.rss() / 2 ** 20;
  const rss = rssSampler(200);
  const t0 = performance.now();
  const watched = await watchedHost(hub, dataDir);
  const progress: { cursor: number; rss: number }[] = [];
  let nextMark = 0;
  watched.onChanges((c) => {
    if (c.status && performance.now() - t0 >= nextMark) {
      progress.push({ cursor: c.status.cursor, rss: process.memoryUsage.rss() / 2 ** 20 });
      nextMark += budgetMs / 10;
    }
  });
  let complete = true;
  await watched.cursorAt(head, budgetMs).catch(() => (complete = false));
  const seconds = (performance.now() - t0) / 1000;
  const reached = watched.status()?.cursor ?? 0;
  const { peakMiB } = rss.stop();
  const answer = await watched.host.call('getSyncCounters');
  const counters = answer.ok
    ? (answer.value as SyncCounters)
    : ({ eventsApplied: NaN, applyMs: NaN, pulls: NaN } as unknown as SyncCounters);
  if (!answer.ok) ctx.note(`Catch-up: getSyncCounters failed (${answer.error.message}).`);
  await watched.close();
  const rate = reached / seconds;
  const applyRate = counters.eventsApplied / (counters.applyMs / 1000);
  const first = progress[1]?.rss ?? rssBefore;
  const last = progress.at(-1)?.rss ?? peakMiB;
  const flat = last - first < 0.25 * Math.max(first, 1) && peakMiB - first < 512;
  ctx.note(
    `Catch-up: ${complete ? `all ${head}` : `${reached} of ${head}`} entries in ${seconds.toFixed(1)} s ` +
      `(budget ${(budgetMs / 1000).toFixed(0)} s; ${complete ? 'complete' : `the rate is over the part reached, with ${head - reached} still ahead`}) over ${counters.pulls} pulls; ` +
      `apply alone ${Math.round(applyRate)} ev/s (${((counters.applyMs / 1000 / seconds) * 100).toFixed(0)} % of the wall time); ` +
      `RSS (host + worker) before ${rssBefore.toFixed(0)} MiB, each tenth of the budget: ` +
      `${progress.map((p) => p.rss.toFixed(0)).join(', ')} MiB, peak ${peakMiB.toFixed(0)} MiB; ${workerKind}.`,
  );
  return [
    { name: 'catch-up', value: rate, unit: 'events/s', target: '>= 50 000 ev/s', met: rate >= 50_000 },
    { name: 'catch-up.replica-apply', value: applyRate, unit: 'events/s' },
    { name: 'catch-up.reached', value: reached, unit: 'entries', target: `${head} (all)`, met: complete },
    { name: 'catch-up.peak-rss', value: peakMiB, unit: 'MiB', target: 'flat', met: flat },
  ];
}

/** Figure 6 at host level: worker start (replica open, migrations checked) → first snapshot answered. */
async function coldStart(
  ctx: BenchContext,
  hub: { url: string; token: string },
  dataDir: string,
  city: CityFixture,
): Promise<Figure[]> {
  const c0 = performance.now();
  const host = await startConsoleHost({ dataDir, hubUrl: hub.url, token: hub.token, ...workerOptions() });
  const ready = performance.now();
  const snapshot = await host.invoke(invokeChannels.getSnapshot.name, undefined);
  const answered = performance.now();
  await host.close();
  const ms = answered - c0;
  const snap = snapshot.ok ? (snapshot.value as Snapshot) : null;
  ctx.note(
    `Cold start (host) on the city replica (${city.head} entries, ${city.assets} assets, ${city.threads * city.versions} alert messages, ${city.threads} active): ` +
      `worker ready (replica open, migrations checked) ${(ready - c0).toFixed(0)} ms, first snapshot ${(answered - ready).toFixed(0)} ms ` +
      `with ${snap?.alerts.length ?? '?'} alerts and ${snap?.assets.length ?? '?'} assets` +
      `${snap?.rest ? ` (windowed; ${snap.rest.alerts} alerts and ${snap.rest.assets} assets left for pages)` : ''}` +
      `${snapshot.ok ? '' : ` (failed: ${snapshot.error.message})`}; ${workerKind}. The page's own cold start is under Screen.`,
  );
  return [
    { name: 'cold-start.host', value: ms, unit: 'ms', target: '< 2 000 ms', met: snapshot.ok && ms < 2_000 },
    {
      name: 'cold-start.replica-entries',
      value: city.head,
      unit: 'entries',
      target: '1 000 000',
      met: city.head >= 1_000_000,
    },
  ];
}
