import type { HubEvent, HubEventType } from '../shared/domain/events';

/**
 * A log entry before the store gives it its seq, time and mutation id.
 * Whoever produces events (simulator, feeds, mutation rules) hands these to the
 * store, which alone numbers them.
 */
export type EventDraft = {
  [T in HubEventType]: { type: T; payload: Extract<HubEvent, { type: T }>['payload'] };
}[HubEventType];
