import type { Clock } from '../../shared/clock';
import type { HubEvent } from '../../shared/domain/events';
import type { HubStore } from '../store/hubStore';
import { DemoCitySimulator, type SimulatorState } from './simulator';
import { demoRoster } from './units';

const STATE_KEY = 'simulator.state';
/** Set in the transaction that appends the demo roster, so a restart does not append it again. */
const ROSTER_KEY = 'simulator.roster';
/** Events per transaction in a bulk run: big enough to be fast, small enough to let sockets breathe. */
const BULK_BATCH = 1_000;
const LIVE_TICK_MS = 100;

/**
 * Feeds the demo city's stream into the hub's log. The simulator's state is
 * saved in the same transaction as the entries it produced, so after a restart
 * the stream continues exactly where the log ends.
 */
export class SimulatorRunner {
  private sim: DemoCitySimulator;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: HubStore,
    private readonly clock: Clock,
    seed: number,
    private readonly publish: (events: HubEvent[]) => void,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.sim = this.resume(seed);
  }

  /** Appends the city's assets and its unit roster, if this data dir has not had them yet. */
  announceCity(): void {
    if (!this.sim.cityAnnounced) this.append(this.sim.takeCity());
    if (!this.store.meta(ROSTER_KEY)) {
      const at = new Date(this.clock.now()).toISOString();
      const drafts = demoRoster(this.sim.city, at).map((unit) => ({ type: 'unit.upserted' as const, payload: unit }));
      this.publish(this.store.append(drafts, { meta: { [ROSTER_KEY]: String(drafts.length) } }));
    }
  }

  /** Appends `count` entries now, in batches, yielding to the event loop between them. */
  async appendNow(count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`simulate(count) needs a whole number ≥ 0, not ${count}`);
    for (let left = count; left > 0; left -= BULK_BATCH) {
      this.append(this.sim.take(Math.min(BULK_BATCH, left)));
      if (left > BULK_BATCH) await new Promise((r) => setImmediate(r));
    }
  }

  /** A steady stream of `rate` entries per second (fractions carry over). */
  startLive(rate: number): void {
    if (rate <= 0 || this.timer) return;
    let owed = 0;
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      owed += (rate * (now - last)) / 1000;
      last = now;
      const n = Math.floor(owed);
      if (n === 0) return;
      owed -= n;
      try {
        this.append(this.sim.take(n));
      } catch (err) {
        // A failed live append must not take the hub down; the next tick tries again.
        this.log(`hub: simulator append failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, LIVE_TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private append(drafts: ReturnType<DemoCitySimulator['take']>): void {
    if (drafts.length === 0) return;
    try {
      const events = this.store.append(drafts, { meta: { [STATE_KEY]: this.sim.saveState() } });
      this.publish(events);
    } catch (err) {
      // The simulator ran ahead of a failed append: go back to what the store holds.
      this.sim = this.resume(this.sim.seed);
      throw err;
    }
  }

  private resume(seed: number): DemoCitySimulator {
    const saved = this.store.meta(STATE_KEY);
    const previous = saved ? (JSON.parse(saved) as SimulatorState) : null;
    return DemoCitySimulator.start({ seed, clock: this.clock }, previous);
  }
}
