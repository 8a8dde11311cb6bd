import { between, sleep } from '../cluster';
import { Tally, type Scenario } from '../scenario';
import { startWorkload, type Workload } from './workload';

/**
 * 4. A TCP proxy between the consoles and the hub cuts every connection, stalls (stops
 * forwarding without closing, longer or shorter than the consoles' ack timeout) and resumes,
 * or refuses new connections for a while — during a stream and officers' actions.
 */
export const proxyFaults: Scenario = {
  id: 4,
  name: 'proxy cuts, stalls and resumes',
  async run({ runs = 6 }) {
    const tally = new Tally(this.name);
    let w: Workload | undefined;
    const kinds = { cut: 0, stall: 0, refuse: 0 };
    try {
      w = await startWorkload(tally, { seed: 4, count: 2, rate: 10, actions: 6, ackTimeoutMs: 2_000 });
      const proxy = w.hub.proxy;
      for (let i = 0; i < runs; i++) {
        await sleep(between(300, 1_500));
        const kind = (['cut', 'stall', 'refuse'] as const)[i % 3]!;
        kinds[kind]++;
        if (kind === 'cut') proxy.cut();
        else if (kind === 'stall') {
          proxy.stall();
          await sleep(between(500, 4_000));
          proxy.resume();
        } else {
          proxy.refuse(true);
          proxy.cut();
          await sleep(between(500, 2_000));
          proxy.refuse(false);
        }
        for (const c of w.consoles) await tally.checkLog(c, w.hub);
        tally.result.runs++;
      }
      await w.finish();
      tally.result.notes.push(
        `${kinds.cut} cuts, ${kinds.stall} stalls, ${kinds.refuse} refusals; ${proxy.counters.connections} connections through the proxy`,
      );
    } catch (err) {
      tally.result.failures.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await w?.close();
    }
    return tally.result;
  },
};
