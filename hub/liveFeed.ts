import type { Namespace } from 'socket.io';
import type { HubEvent } from '../shared/domain/events';
import { Wire, type EventsBatch } from '../shared/protocol';

/** Consoles that said hello; only they get live batches. */
export const LIVE_ROOM = 'live';
/** Bound on one pushed batch, so a bulk append never becomes one giant frame. */
const MAX_BATCH = 1_000;

/**
 * Gathers appended entries for `batchMs` and pushes them as EventsBatch to every
 * console in the live room. Delivery is best effort by design: a console that
 * misses a batch sees a gap in seq and pulls.
 */
export class LiveFeed {
  private pending: HubEvent[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly nsp: Namespace,
    private readonly batchMs: number,
    private readonly head: () => number,
  ) {}

  publish(events: readonly HubEvent[]): void {
    if (events.length === 0) return;
    for (const e of events) this.pending.push(e);
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const events = this.pending;
    this.pending = [];
    if (events.length === 0) return;
    const head = this.head();
    for (let i = 0; i < events.length; i += MAX_BATCH) {
      const batch: EventsBatch = { events: events.slice(i, i + MAX_BATCH), head };
      this.nsp.to(LIVE_ROOM).emit(Wire.events, batch);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
