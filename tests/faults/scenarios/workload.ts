import { converged, FaultConsole, FaultHub, scratch } from '../cluster';
import type { Tally } from '../scenario';

/** Units each console's officer owns (the demo roster): no two consoles ever move the same unit. */
const UNITS = [
  ['E1', 'E2', 'E3'],
  ['P1', 'P2', 'P3'],
  ['A1', 'A2', 'A3'],
];

export interface Workload {
  hub: FaultHub;
  consoles: FaultConsole[];
  /** stop the officers and the stream, wait for convergence, check every log in full and every action */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The common setting of scenarios 2–5: one hub (demo city, a stream of `rate` entries/s)
 * and `count` consoles, each with an officer acting `actions` times a second.
 */
export async function startWorkload(
  tally: Tally,
  options: { seed: number; count: number; rate: number; actions: number; ackTimeoutMs?: number },
): Promise<Workload> {
  const tmp = scratch(`s${options.seed}`);
  const hub = await FaultHub.start(tmp.dir, options.seed);
  const consoles: FaultConsole[] = [];
  const close = async () => {
    for (const c of consoles) await c.close();
    await hub.close();
    tmp.remove();
  };
  try {
    await hub.simulate(200);
    for (let i = 0; i < options.count; i++) {
      const name = `s${options.seed}-${String.fromCharCode(97 + i)}`;
      const token = await hub.token(`Officer ${name}`);
      consoles.push(new FaultConsole(name, tmp.dir, hub.url, token, tally.ledger, options.ackTimeoutMs));
    }
    await Promise.all(consoles.map((c) => c.start()));
    await converged(hub, consoles);
    if (options.rate > 0) await hub.stream(options.rate);
    await Promise.all(
      consoles.map((c, i) =>
        c.officer({ tag: c.name, units: UNITS[i % UNITS.length]!, share: [i, options.count], rate: options.actions }),
      ),
    );
  } catch (err) {
    await close();
    throw err;
  }
  return {
    hub,
    consoles,
    async finish() {
      for (const c of consoles) if (c.running()) await c.stopOfficer();
      if (options.rate > 0 && hub.child) await hub.stopStream();
      const t0 = performance.now();
      await converged(hub, consoles);
      tally.result.notes.push(
        `hub head ${await hub.head()}; consoles converged ${Math.round(performance.now() - t0)} ms after the load stopped`,
      );
      for (const c of consoles) await tally.checkLog(c, hub, true);
      await tally.checkActions(hub, consoles);
    },
    close,
  };
}
