import { between, converged, FaultConsole, FaultHub, scratch, sleep } from '../cluster';
import { Tally, type Scenario } from '../scenario';

/**
 * 1. kill -9 of a console at random moments during heavy ingest. Two consoles run side by side
 * on one hub; each run appends a burst of one to two hundred entries (one bulk append: big
 * live batches) and kills one console at a random moment soon after —
 * while it applies the burst, or catches up after its last restart — then
 * starts it again on the same data folder; what it holds is compared with the hub's log at once.
 */
export const ingestKills: Scenario = {
  id: 1,
  name: 'kill -9 during heavy ingest',
  async run({ runs = 50 }) {
    const tally = new Tally(this.name);
    const tmp = scratch('s1');
    const hub = await FaultHub.start(tmp.dir, 101);
    const consoles: FaultConsole[] = [];
    try {
      const token = await hub.token('Ingest Watcher');
      for (const name of ['s1-a', 's1-b']) consoles.push(new FaultConsole(name, tmp.dir, hub.url, token, tally.ledger));
      await Promise.all(consoles.map((c) => c.start()));
      await hub.simulate(300);
      let next = 0;
      const times: number[][] = [];
      const lane = async (c: FaultConsole) => {
        while (next < runs) {
          next++;
          await hub.simulate(Math.round(between(100, 200)));
          await sleep(between(0, 800));
          const t0 = performance.now();
          await c.kill();
          const t1 = performance.now();
          await c.start();
          const t2 = performance.now();
          await tally.checkLog(c, hub);
          const t3 = performance.now();
          times.push([t1 - t0, t2 - t1, t3 - t2]);
          tally.result.runs++;
        }
      };
      await Promise.all(consoles.map(lane));
      const med = (i: number) => Math.round(times.map((t) => t[i]!).sort((a, b) => a - b)[times.length >> 1] ?? 0);
      tally.result.notes.push(`median per run: kill ${med(0)} ms, restart ${med(1)} ms, check ${med(2)} ms`);
      const head = await hub.head();
      const t0 = performance.now();
      await converged(hub, consoles);
      tally.result.notes.push(
        `hub head ${head}; all consoles caught up ${Math.round(performance.now() - t0)} ms after the last burst`,
      );
      for (const c of consoles) await tally.checkLog(c, hub, true);
    } catch (err) {
      tally.result.failures.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      for (const c of consoles) await c.close();
      await hub.close();
      tmp.remove();
    }
    return tally.result;
  },
};
