import { between, sleep, type FaultConsole } from '../cluster';
import { Tally, type Scenario } from '../scenario';
import { startWorkload, type Workload } from './workload';

/**
 * 2. kill -9 at random moments while officer actions are written and flushed. Each console's
 * officer acts several times a second (incident, dispatch, unit status, log, checklist,
 * acknowledge); each run kills one console at a random moment and starts it again on the same
 * folder, where its officer carries on. In the end every action the console answered, and
 * every action it showed as confirmed, must be on the hub exactly once.
 */
export const actionKills: Scenario = {
  id: 2,
  name: 'kill -9 while officer actions are written and flushed',
  async run({ runs = 50 }) {
    const tally = new Tally(this.name);
    let w: Workload | undefined;
    try {
      w = await startWorkload(tally, { seed: 2, count: 2, rate: 5, actions: 12 });
      let next = 0;
      const lane = async (c: FaultConsole) => {
        while (next < runs) {
          next++;
          await sleep(between(200, 1_200));
          await c.kill();
          await c.start();
          await tally.checkLog(c, w!.hub);
          tally.result.runs++;
        }
      };
      await Promise.all(w.consoles.map(lane));
      await w.finish();
    } catch (err) {
      tally.result.failures.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await w?.close();
    }
    return tally.result;
  },
};
