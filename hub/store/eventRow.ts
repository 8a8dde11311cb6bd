import type { HubEvent } from '../../shared/domain/events';

/** A row of the hub's log (the `events` table, or `snapshot_base` beside it). */
export interface EventRow {
  seq: number;
  type: string;
  at: string;
  mutation_id: string | null;
  payload: string;
}

/** The row as the log entry it holds. It was checked against HubEvent before it was written. */
export function eventFromRow(r: EventRow): HubEvent {
  return { seq: r.seq, type: r.type, at: r.at, mutationId: r.mutation_id, payload: JSON.parse(r.payload) } as HubEvent;
}
