import { between, sleep } from '../cluster';
import { Tally, type Scenario } from '../scenario';
import { startWorkload, type Workload } from './workload';

/**
 * 3. The hub killed (-9) and restarted on the same data folder mid-stream, while consoles
 * apply its stream and their officers keep acting (offline in between: the outbox holds it).
 */
export const hubRestarts: Scenario = {
  id: 3,
  name: 'hub killed -9 and restarted mid-stream',
  async run({ runs = 3 }) {
    const tally = new Tally(this.name);
    let w: Workload | undefined;
    try {
      w = await startWorkload(tally, { seed: 3, count: 2, rate: 10, actions: 6 });
      for (let i = 0; i < runs; i++) {
        await sleep(between(500, 2_000));
        await w.hub.kill();
        await sleep(between(200, 1_500));
        await w.hub.restart();
        await w.hub.stream(10);
        for (const c of w.consoles) await tally.checkLog(c, w.hub);
        tally.result.runs++;
      }
      await w.finish();
    } catch (err) {
      tally.result.failures.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await w?.close();
    }
    return tally.result;
  },
};
