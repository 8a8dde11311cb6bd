import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { openConsole } from '../tests/harness/console';
import { chromiumLaunchOptions } from '../tests/harness/chromium';
import { CITY } from './catchup';
import { cityFixture } from './city';
import { startHubProcess } from './hub-process';
import { bundleWorker, workerOptions, type BenchContext } from './harness';
import { screenAndMemory } from './screen';

/**
 * The screen figures (5 and 7) alone, on the cached city fixture: the fast loop for the
 * renderer's work (issue 8). `npx tsx bench/screen-only.ts [--quick] [--profile=<file>]`.
 *
 * Without --profile: bench/screen.ts as the full run calls it, figures printed as JSON lines.
 * With --profile: the console opens, then the page is reloaded under the CDP profiler (the
 * replica is open and warm, as "after the replica is open" reads), the profile is written to
 * <file>.cpuprofile (open it in Chrome DevTools) and the heaviest functions by self time up to
 * the first frame with rows are printed. The renderer bundle is dist/renderer (or
 * WATCHFLOOR_RENDERER_DIST): `npm run build` first.
 */
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const profileArg = argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
/** how long --profile waits for every row after the first frame */
const restSeconds = Number(argv.find((a) => a.startsWith('--rest='))?.slice('--rest='.length) ?? 60);

/* eslint-disable @typescript-eslint/no-explicit-any */
const hasRows = (): number | false => {
  const w = globalThis as any;
  return w.document.querySelector('[role="listbox"][aria-label="Alert queue"] [role="option"]')
    ? (w.performance.now() as number)
    : false;
};
const complete = (): number | false => {
  const w = globalThis as any;
  return w.document.documentElement.dataset.snapshot === 'complete' ? (w.performance.now() as number) : false;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

async function profile(file: string): Promise<void> {
  const browser = await chromium.launch(chromiumLaunchOptions(true));
  try {
    const c = await openConsole(browser, {
      dataDir: dirname(city.replicaFile),
      hubUrl: hub.url,
      token: hub.token,
      ...(() => {
        const w = workerOptions();
        return w.workerPath ? { worker: { workerPath: w.workerPath, migrationsDir: w.migrationsDir } } : {};
      })(),
    });
    try {
      const page = c.page;
      await page.waitForFunction(hasRows, undefined, { polling: 'raf', timeout: 60_000 });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Performance.enable');
      await cdp.send('Profiler.start');
      const before = await metrics(cdp);
      // --trace-first: a Chromium trace of the reload up to the first frame with rows, all threads.
      const traceFirst = argv.includes('--trace-first');
      if (traceFirst)
        await browser.startTracing(page, {
          path: `${file}.first-trace.json`,
          categories: [
            'devtools.timeline',
            'v8',
            'v8.execute',
            'blink',
            'loading',
            'toplevel',
            'disabled-by-default-devtools.timeline',
          ],
        });
      await page.reload({ waitUntil: 'commit' });
      const first = Number(
        await (await page.waitForFunction(hasRows, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue(),
      );
      if (traceFirst) await browser.stopTracing();
      const atFirst = await metrics(cdp);
      const { profile: firstProfile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      if (argv.includes('--trace')) {
        // What the page's main thread does while pages arrive, beyond JavaScript: 15 s of a trace.
        await browser.startTracing(page, {
          path: `${file}.trace.json`,
          categories: [
            'devtools.timeline',
            'v8',
            'blink',
            'cc',
            'gpu',
            'toplevel',
            'disabled-by-default-devtools.timeline',
          ],
        });
        await page.waitForTimeout(15_000);
        await browser.stopTracing();
      }
      await cdp.send('Profiler.start');
      const done = await page
        .waitForFunction(complete, undefined, { polling: 200, timeout: restSeconds * 1000 })
        .then(async (h) => Number(await h.jsonValue()))
        .catch(() => NaN);
      const atDone = await metrics(cdp);
      const { profile: restProfile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      // What the map and the queue show once every row is in (the clusters are drawn by then).
      await page.waitForTimeout(2_000);
      await page.screenshot({ path: `${file}.png` });
      writeFileSync(`${file}.first.cpuprofile`, JSON.stringify(firstProfile));
      writeFileSync(`${file}.rest.cpuprofile`, JSON.stringify(restProfile));
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await metrics(cdp)).JSHeapUsedSize! / 2 ** 20;
      const delta = (a: Record<string, number>, b: Record<string, number>, k: string) => (b[k]! - a[k]!) * 1000;
      console.log(
        `first frame with rows ${first.toFixed(0)} ms after navigation; page CPU to it: task ${delta(before, atFirst, 'TaskDuration').toFixed(0)} ms, ` +
          `script ${delta(before, atFirst, 'ScriptDuration').toFixed(0)} ms, layout ${delta(before, atFirst, 'LayoutDuration').toFixed(0)} ms`,
      );
      console.log(
        `every row in the store ${Number.isNaN(done) ? 'NOT within the wait' : `${done.toFixed(0)} ms after navigation`}; ` +
          `page CPU first frame → complete: task ${delta(atFirst, atDone, 'TaskDuration').toFixed(0)} ms, script ${delta(atFirst, atDone, 'ScriptDuration').toFixed(0)} ms, ` +
          `style ${delta(atFirst, atDone, 'RecalcStyleDuration').toFixed(0)} ms, layout ${delta(atFirst, atDone, 'LayoutDuration').toFixed(0)} ms; heap after GC ${heap.toFixed(0)} MiB`,
      );
      console.log('\n== up to the first frame: self time by function ==');
      summarise(firstProfile);
      console.log('\n== first frame → complete: self time by function ==');
      summarise(restProfile);
      await printMarks(page);
    } finally {
      await c.close();
    }
  } finally {
    await browser.close();
  }
}

/** --first: only the first frame with rows, `runs` times (a fresh page each), with the page's marks and requests. */
async function firstFrames(runs: number): Promise<void> {
  const browser = await chromium.launch(chromiumLaunchOptions(true));
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const w = workerOptions();
      const c = await openConsole(browser, {
        dataDir: dirname(city.replicaFile),
        hubUrl: hub.url,
        token: hub.token,
        ...(w.workerPath ? { worker: { workerPath: w.workerPath, migrationsDir: w.migrationsDir } } : {}),
      });
      try {
        const first = Number(
          await (await c.page.waitForFunction(hasRows, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue(),
        );
        const cdp = await c.page.context().newCDPSession(c.page);
        await cdp.send('Performance.enable');
        const m = await metrics(cdp);
        console.log(
          `\nrun ${i + 1}: first frame with rows ${first.toFixed(0)} ms after navigation, ${(performance.now() - t0).toFixed(0)} ms from host start ` +
            `(page CPU: task ${(m.TaskDuration! * 1000).toFixed(0)} ms, script ${(m.ScriptDuration! * 1000).toFixed(0)} ms; load ${loadavg()[0]!.toFixed(1)})`,
        );
        await printMarks(c.page);
      } finally {
        await c.close();
      }
    }
  } finally {
    await browser.close();
  }
}

async function metrics(cdp: {
  send(m: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }>;
}) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value])) as Record<string, number>;
}

function summarise(p: CpuProfile, top = 30): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const url = n.callFrame.url.replace(/^.*\//, '');
    const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    byFile.set(url || '(native)', (byFile.get(url || '(native)') ?? 0) + us);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`sampled ${(total / 1000).toFixed(0)} ms over ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms`);
  for (const [k, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 8))
    console.log(`  file ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
  for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

async function printMarks(page: Page): Promise<void> {
  const marks = await page.evaluate(() =>
    performance.getEntriesByType('mark').map((m) => `${m.name} ${m.startTime.toFixed(0)}`),
  );
  if (marks.length) console.log(`\nmarks: ${marks.join(', ')}`);
  // In the page; bench/ is compiled without the DOM library (resource timings typed by hand).
  type Timing = { name: string; startTime: number; responseStart: number; responseEnd: number };
  const resources = await page.evaluate(() => {
    const perf = performance as unknown as { getEntriesByType(type: string): Timing[] };
    return [...perf.getEntriesByType('navigation'), ...perf.getEntriesByType('resource')].map(
      (t) =>
        `${t.name.replace(/^.*\//, '')} ${t.startTime.toFixed(0)}→${t.responseStart.toFixed(0)}→${t.responseEnd.toFixed(0)}`,
    );
  });
  console.log(`requests (start→first byte→end, ms): ${resources.join(', ')}`);
}

// Last: the page functions above are consts, initialised only when this line runs.
const spec = quick ? CITY.quick : CITY.full;
const city = cityFixture(spec);
await bundleWorker();
const hub = await startHubProcess({ dataDir: dirname(city.hubFile) });
try {
  if (profileArg) await profile(profileArg);
  else if (argv.includes('--first'))
    await firstFrames(Number(argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3));
  else {
    const ctx: BenchContext = { quick, note: (line) => console.error(`note: ${line}`) };
    const figures = await screenAndMemory(ctx, hub, dirname(city.replicaFile), {
      assets: spec.assets,
      alerts: spec.threads,
      entries: city.head,
    });
    for (const f of figures) console.log(JSON.stringify(f));
  }
} finally {
  await hub.close();
}
