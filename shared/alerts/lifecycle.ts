import type { CapMsgType } from '../domain/cap';

/**
 * Where a CAP message stands in its Update/Cancel chain, with `references` read as a
 * SET (STANDARDS.md §1.3): an Update supersedes every message it names, a Cancel closes
 * every message it names. Pure, no I/O: the replica stores the reference pairs and asks
 * `lifecycleFrom` for each message a new arrival touches.
 *
 * The state of a message is a function of the set of messages received that name it,
 * never of their arrival order:
 * - named by at least one received Cancel → `cancelled`, `supersededBy` the latest such Cancel;
 * - otherwise named by at least one received Update → `superseded`, by the latest such Update;
 * - otherwise `current`.
 * "Latest" is by `sent` (ms), ties broken by id, so two consoles agree whatever they saw first.
 * A Cancel message itself stays `current`: it is the thread's current version, saying "cancelled".
 * An Update or Cancel naming a message not received yet is remembered; when that message
 * arrives, it is born superseded or cancelled.
 * Ack and Error messages reference without superseding.
 */
export type Lifecycle = 'current' | 'superseded' | 'cancelled';

export interface LifecycleState {
  readonly lifecycle: Lifecycle;
  readonly supersededBy: string | null;
}

/** A received message that names another in its references. */
export interface Referrer {
  readonly id: string;
  readonly msgType: CapMsgType;
  readonly sentMs: number;
}

/** One message for the whole-set function (tests, rebuilds). */
export interface ChainMessage extends Referrer {
  /** ids (`sender,identifier`) it names in `references` */
  readonly references: readonly string[];
}

export const CURRENT: LifecycleState = { lifecycle: 'current', supersededBy: null };

const later = (a: Referrer, b: Referrer): Referrer =>
  a.sentMs > b.sentMs || (a.sentMs === b.sentMs && a.id > b.id) ? a : b;

/** The state of a message given every received message that names it. */
export function lifecycleFrom(referrers: readonly Referrer[]): LifecycleState {
  let cancel: Referrer | null = null;
  let update: Referrer | null = null;
  for (const r of referrers) {
    if (r.msgType === 'Cancel') cancel = cancel ? later(cancel, r) : r;
    else if (r.msgType === 'Update') update = update ? later(update, r) : r;
  }
  if (cancel) return { lifecycle: 'cancelled', supersededBy: cancel.id };
  if (update) return { lifecycle: 'superseded', supersededBy: update.id };
  return CURRENT;
}

/** Whether this kind of message supersedes what it references. */
export const supersedes = (msgType: CapMsgType): boolean => msgType === 'Update' || msgType === 'Cancel';

/** The state of every message of a received set (the reference function the replica must match). */
export function lifecycleOfSet(messages: readonly ChainMessage[]): Map<string, LifecycleState> {
  const referrers = new Map<string, Referrer[]>();
  for (const m of messages) {
    if (!supersedes(m.msgType)) continue;
    for (const ref of new Set(m.references)) {
      if (ref === m.id) continue;
      const list = referrers.get(ref) ?? [];
      list.push(m);
      referrers.set(ref, list);
    }
  }
  const out = new Map<string, LifecycleState>();
  for (const m of messages) out.set(m.id, lifecycleFrom(referrers.get(m.id) ?? []));
  return out;
}

/**
 * Incremental form, as the replica applies it: the known messages, the reference pairs
 * remembered so far (including those naming messages not received yet), and the state.
 * `arrive` returns the ids whose state changed.
 */
export class LifecycleBook {
  private readonly messages = new Map<string, ChainMessage>();
  /** referenced id → referrers (received), resolved or not */
  private readonly pending = new Map<string, Map<string, Referrer>>();
  private readonly state = new Map<string, LifecycleState>();

  arrive(m: ChainMessage): string[] {
    const changed: string[] = [];
    this.messages.set(m.id, m);
    if (supersedes(m.msgType)) {
      for (const ref of new Set(m.references)) {
        if (ref === m.id) continue;
        const list = this.pending.get(ref) ?? new Map<string, Referrer>();
        list.set(m.id, { id: m.id, msgType: m.msgType, sentMs: m.sentMs });
        this.pending.set(ref, list);
        if (this.messages.has(ref) && this.recompute(ref)) changed.push(ref);
      }
    }
    if (this.recompute(m.id) || !changed.includes(m.id)) changed.push(m.id);
    return changed;
  }

  get(id: string): LifecycleState | undefined {
    return this.state.get(id);
  }

  snapshot(): Map<string, LifecycleState> {
    return new Map(this.state);
  }

  private recompute(id: string): boolean {
    const next = lifecycleFrom([...(this.pending.get(id)?.values() ?? [])]);
    const prev = this.state.get(id);
    this.state.set(id, next);
    return !prev || prev.lifecycle !== next.lifecycle || prev.supersededBy !== next.supersededBy;
  }
}
