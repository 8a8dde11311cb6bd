import { ErrorCodes, type ErrorCode } from '../shared/errors';
import { newIntakeCounters, type IntakeCounters } from './intake/intake';
import { newSessionCounters, type SessionCounters } from './session';
import type { TelemetryFeedCounters } from './telemetryFeed';

/** Counters the hub exposes on `hub.metrics()` and `GET /health`. */
export interface HubMetrics {
  hubId: string;
  head: number;
  tail: number;
  consoles: number;
  /** refusals and error acks, by code (BAD_REQUEST counts malformed messages) */
  errors: Record<ErrorCode, number>;
  messages: { hello: number; pull: number; mutate: number; snapshot: number; unknown: number };
  mutations: { accepted: number; refused: number; replayed: number };
  connections: { accepted: number; refused: number };
  eventsAppended: number;
  /** CAP intake: documents, alerts appended, duplicates, rejections by code (issue 3) */
  intake: IntakeCounters;
  /** sign-ins and sign-outs over HTTP, refused and rate-limited sign-ins (issue 6) */
  sessions: SessionCounters;
  /** the telemetry stream, when on (issue 9): samples, batches, readings, deliveries skipped for a backed-up console */
  telemetry?: TelemetryFeedCounters;
}

export type Counters = Omit<HubMetrics, 'hubId' | 'head' | 'tail' | 'consoles'>;

export function newCounters(): Counters {
  return {
    errors: Object.fromEntries(ErrorCodes.map((c) => [c, 0])) as Record<ErrorCode, number>,
    messages: { hello: 0, pull: 0, mutate: 0, snapshot: 0, unknown: 0 },
    mutations: { accepted: 0, refused: 0, replayed: 0 },
    connections: { accepted: 0, refused: 0 },
    eventsAppended: 0,
    intake: newIntakeCounters(),
    sessions: newSessionCounters(),
  };
}
