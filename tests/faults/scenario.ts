import { Ledger } from './checker';
import type { FaultConsole, FaultHub } from './cluster';

/** What one scenario found. `lost` and `doubled` are log entries and officer actions together. */
export interface ScenarioResult {
  name: string;
  runs: number;
  lost: number;
  doubled: number;
  /** anything else that is wrong: entries that differ, a console that never converged, a refusal no one caused */
  failures: string[];
  /** figures worth printing (catch-up times, proxy counters) */
  notes: string[];
}

export interface ScenarioOptions {
  /** runs for the scenarios that repeat (1 and 2 keep at least 50) */
  runs?: number;
}

export type Scenario = { id: number; name: string; run(options: ScenarioOptions): Promise<ScenarioResult> };

/** Tallies per-run and final checks into a result. */
export class Tally {
  readonly result: ScenarioResult;
  readonly ledger = new Ledger();
  /** per console: the last seq already compared, so per-run checks stay small */
  private readonly verifiedTo = new Map<string, number>();

  constructor(name: string) {
    this.result = { name, runs: 0, lost: 0, doubled: 0, failures: [], notes: [] };
  }

  /** Compare what `c` holds (from just before what was last checked) with the hub's log. */
  async checkLog(c: FaultConsole, hub: FaultHub, full = false): Promise<void> {
    const held = this.verifiedTo.get(c.name) ?? 0;
    const from = full ? 0 : Math.max(0, held - 1);
    const v = await c.verdict(hub.store, from);
    // What a console held, it holds after any restart: its log never shrinks.
    if ((v.last ?? 0) < held) {
      this.result.lost += held - Math.max(v.last ?? 0, from);
      this.result.failures.push(`${c.name}: held the log up to ${held}, now only up to ${v.last ?? 'nothing'}`);
    }
    this.result.lost += v.lost;
    this.result.doubled += v.doubled;
    if (v.lost || v.doubled)
      this.result.failures.push(`${c.name}: ${v.lost} entries missing, ${v.doubled} doubled in ${v.first}..${v.last}`);
    if (v.different) {
      this.result.failures.push(`${c.name}: ${v.different} entries differ from the hub's in ${v.first}..${v.last}`);
    }
    if (v.last !== null && v.last > held) this.verifiedTo.set(c.name, v.last);
  }

  /** Every action written or confirmed on any console, on the hub exactly once (after convergence). */
  async checkActions(hub: FaultHub, consoles: readonly FaultConsole[], refusalsExpected = false): Promise<void> {
    const open = new Set<string>();
    for (const c of consoles)
      for (const row of await c.outbox()) if (['pending', 'sent', 'acked'].includes(row.state)) open.add(row.id);
    const v = this.ledger.verify(hub.store, (id) => open.has(id));
    this.result.lost += v.lost;
    this.result.doubled += v.doubled;
    this.result.failures.push(...v.problems.slice(0, 20));
    if (!refusalsExpected && v.refused > 0) {
      this.result.failures.push(
        `${v.refused} actions refused by the hub where none should be: ${[...this.ledger.refused.entries()]
          .slice(0, 5)
          .map(([id, code]) => `${id} ${code}`)
          .join('; ')}`,
      );
    }
    this.result.notes.push(
      `${this.ledger.written.size} actions written, ${this.ledger.confirmed.size} shown confirmed, ${v.refused} refused`,
    );
  }
}
