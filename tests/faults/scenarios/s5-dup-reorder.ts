import { between, sleep } from '../cluster';
import { Tally, type Scenario } from '../scenario';
import { startWorkload, type Workload } from './workload';

/**
 * 5. Duplicated and reordered delivery: the proxy re-sends and swaps the hub's Socket.IO
 * message frames on their way to the consoles — live `events` batches and the acks of
 * hello, pull and mutate alike (tests/faults/proxy.ts). Each run also cuts the connection
 * once, so the hello/pull/flush path runs under the same faults.
 */
export const duplicateReorder: Scenario = {
  id: 5,
  name: 'duplicated and reordered events and acks',
  async run({ runs = 4 }) {
    const tally = new Tally(this.name);
    let w: Workload | undefined;
    try {
      w = await startWorkload(tally, { seed: 5, count: 2, rate: 10, actions: 6 });
      const proxy = w.hub.proxy;
      proxy.faults({ duplicate: 0.25, reorder: 0.25 });
      for (let i = 0; i < runs; i++) {
        await sleep(between(1_000, 2_500));
        proxy.cut();
        for (const c of w.consoles) await tally.checkLog(c, w.hub);
        tally.result.runs++;
      }
      proxy.faults(null);
      await w.finish();
      const { framesDuplicated, framesReordered } = proxy.counters;
      tally.result.notes.push(`${framesDuplicated} frames sent twice, ${framesReordered} frames reordered`);
      if (framesDuplicated === 0 || framesReordered === 0)
        tally.result.failures.push('the proxy duplicated or reordered nothing: this scenario tested nothing');
    } catch (err) {
      tally.result.failures.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await w?.close();
    }
    return tally.result;
  },
};
