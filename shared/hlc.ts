import { z } from 'zod';
import type { Clock } from './clock';

/**
 * Hybrid logical clock (Kulkarni et al. 2014). Local actions are ordered by HLC,
 * never by the workstation's wall clock alone, so a console whose clock jumps
 * backwards still orders its own actions correctly and never goes behind a
 * timestamp it has seen from the hub.
 *
 * Encoded as a fixed-width string so that string order is HLC order:
 * `<wall ms, 15 digits>:<counter, 5 digits>:<node id>`.
 */
export interface Hlc {
  readonly wall: number;
  readonly counter: number;
  readonly node: string;
}

export const HlcString = z.string().regex(/^\d{15}:\d{5}:[A-Za-z0-9_-]{1,64}$/, 'not an HLC timestamp');

export function encodeHlc(h: Hlc): string {
  return `${String(h.wall).padStart(15, '0')}:${String(h.counter).padStart(5, '0')}:${h.node}`;
}

export function decodeHlc(s: string): Hlc {
  const parsed = HlcString.parse(s);
  const [wall, counter, node] = parsed.split(':') as [string, string, string];
  return { wall: Number(wall), counter: Number(counter), node };
}

export class HybridLogicalClock {
  private last: Hlc;

  constructor(
    private readonly clock: Clock,
    readonly node: string,
    restored?: string,
  ) {
    this.last = restored ? decodeHlc(restored) : { wall: 0, counter: 0, node };
  }

  /** Timestamp for a local event. */
  tick(): string {
    const wall = Math.max(this.last.wall, this.clock.now());
    const counter = wall === this.last.wall ? this.last.counter + 1 : 0;
    this.last = { wall, counter, node: this.node };
    return encodeHlc(this.last);
  }

  /** Merge a timestamp received from elsewhere (the hub, another console). */
  receive(remote: string): void {
    const r = decodeHlc(remote);
    const now = this.clock.now();
    const wall = Math.max(this.last.wall, r.wall, now);
    let counter = 0;
    if (wall === this.last.wall && wall === r.wall) counter = Math.max(this.last.counter, r.counter) + 1;
    else if (wall === this.last.wall) counter = this.last.counter + 1;
    else if (wall === r.wall) counter = r.counter + 1;
    this.last = { wall, counter, node: this.node };
  }

  current(): string {
    return encodeHlc(this.last);
  }
}
