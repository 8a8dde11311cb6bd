import { between, converged, FaultConsole, FaultHub, scratch, sleep, until } from '../cluster';
import { startProxy } from '../proxy';
import { Tally, type Scenario } from '../scenario';

/**
 * 7. An outage longer than the hub's retention: while a console is cut off (and once also
 * killed -9 and restarted, still offline) its officer keeps acting, the hub appends far more
 * than it keeps and compacts its log (hub.compact, issue 5). Back online, the console is told
 * its cursor is older than the hub's tail, rebuilds from the hub's snapshot and still delivers
 * every action from its outbox, each exactly once. A second console stays online throughout.
 */
export const retention: Scenario = {
  id: 7,
  name: 'outage longer than retention: snapshot rebuild, outbox kept',
  async run({ runs = 2 }) {
    const tally = new Tally(this.name);
    const tmp = scratch('s7');
    const hub = await FaultHub.start(tmp.dir, 7);
    // The steady console has a proxy of its own, which never cuts.
    const steadyProxy = await startProxy(hub.child!.ready.port);
    const consoles: FaultConsole[] = [];
    try {
      await hub.simulate(200);
      const away = new FaultConsole('s7-away', tmp.dir, hub.url, await hub.token('Officer Away'), tally.ledger);
      const steady = new FaultConsole(
        's7-steady',
        tmp.dir,
        steadyProxy.url,
        await hub.token('Officer Steady'),
        tally.ledger,
      );
      consoles.push(away, steady);
      await Promise.all(consoles.map((c) => c.start()));
      await converged(hub, consoles);
      for (let i = 0; i < runs; i++) {
        hub.proxy.refuse(true);
        hub.proxy.cut();
        await until(async () => (await away.status()).state === 'offline', 'console offline');
        const cursor = (await away.status()).cursor;
        await away.officer({ tag: `s7-${i}`, units: ['E4', 'E5'], share: [0, 1], rate: 8 });
        await sleep(between(800, 1_500));
        if (i === 0) {
          // Killed and restarted while still offline: the outbox is on disk.
          await away.kill();
          await away.start();
          await sleep(500);
        }
        await away.stopOfficer();
        const head = await hub.simulate(600);
        const tail = await hub.compact(head - 100);
        if (tail <= cursor + 1) throw new Error(`the hub kept from ${tail}; the console at ${cursor} is not behind it`);
        const before = (await away.status()).pendingActions;
        hub.proxy.refuse(false);
        const t0 = performance.now();
        await converged(hub, consoles);
        const counters = await away.call<{ rebuilds?: number }>('getSyncCounters');
        tally.result.notes.push(
          `outage ${i + 1}: cursor ${cursor}, hub tail ${tail}, ${before} actions pending; rebuilt and delivered in ${Math.round(performance.now() - t0)} ms (rebuilds so far: ${counters.rebuilds ?? '?'})`,
        );
        if (!counters.rebuilds)
          tally.result.failures.push(`outage ${i + 1}: the console did not rebuild from a snapshot`);
        for (const c of consoles) await tally.checkLog(c, hub, true);
        tally.result.runs++;
      }
      await tally.checkActions(hub, consoles);
    } catch (err) {
      tally.result.failures.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      for (const c of consoles) await c.close();
      await steadyProxy.close();
      await hub.close();
      tmp.remove();
    }
    return tally.result;
  },
};
