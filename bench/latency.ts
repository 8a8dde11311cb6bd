import { startHubProcess } from './hub-process';
import { sleep, tempDir, watchedHost, workerKind, type BenchContext } from './harness';
import { percentile, type Figure } from './report';

/**
 * Figure 2. A live stream at `rate` events/s through the hub's simulator append and
 * publish path (hub in its own process, 10 ms ticks, the hub's 10 ms live batching window). Each alert's `receivedAt` is the hub's clock when the
 * store appended it, just before publish; the host's push listener subtracts it from
 * its own clock when the alert first arrives. Same machine, same system clock.
 * Delivered = the host's push (what the renderer would be sent); the page is not in the loop.
 */
export async function latency(ctx: BenchContext): Promise<Figure[]> {
  const seconds = ctx.quick ? 1.5 : 10;
  const out: Figure[] = [];
  for (const [rate, p99Target] of [
    [1_000, 50],
    [10_000, 200],
  ] as const) {
    const hubDir = tempDir(`latency-hub-${rate}`);
    const consoleDir = tempDir(`latency-console-${rate}`);
    const hub = await startHubProcess({ dataDir: hubDir.path });
    try {
      const watched = await watchedHost(hub, consoleDir.path);
      try {
        await watched.online();
        // The city's assets and a first page of alerts, outside the timing.
        await watched.cursorAt((await hub.simulate(ctx.quick ? 100 : 300)).head);
        const seen = new Set<string>();
        const samples: number[] = [];
        let measuring = false;
        let floorSeq = Number.POSITIVE_INFINITY;
        watched.onChanges((changes) => {
          const now = Date.now();
          for (const a of changes.alerts) {
            if (seen.has(a.id)) continue;
            seen.add(a.id);
            if (measuring && a.receivedSeq > floorSeq) samples.push(now - Date.parse(a.receivedAt));
          }
        });
        measuring = true;
        floorSeq = await hub.live(rate);
        await sleep(seconds * 1000);
        const stream = await hub.stopLive();
        // What was published before the stop is still timed when it arrives.
        await watched.cursorAt(await hub.head(), ctx.quick ? 2_000 : 10_000).catch(() => undefined);
        measuring = false;
        const achieved = stream ? stream.appended / stream.seconds : NaN;
        samples.sort((a, b) => a - b);
        const p50 = percentile(samples, 50);
        const p99 = percentile(samples, 99);
        ctx.note(
          `Latency at ${rate} ev/s asked: the hub achieved ${Math.round(achieved)} ev/s over ${seconds} s; ` +
            `${samples.length} alerts timed; p50 ${p50} ms, p99 ${p99} ms, max ${samples.at(-1)} ms ` +
            `(hub publish → host push; ${workerKind}; timestamps have 1 ms resolution).`,
        );
        out.push(
          { name: `latency@${rate}.p50`, value: p50, unit: 'ms' },
          { name: `latency@${rate}.p99`, value: p99, unit: 'ms', target: `< ${p99Target} ms`, met: p99 < p99Target },
          {
            name: `latency@${rate}.achieved-rate`,
            value: achieved,
            unit: 'events/s',
            target: `~${rate}`,
            met: achieved >= rate * 0.9,
          },
        );
      } finally {
        await watched.close();
      }
    } finally {
      await hub.close();
      hubDir.remove();
      consoleDir.remove();
    }
  }
  return out;
}
