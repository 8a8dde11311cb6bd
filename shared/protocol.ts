import { z } from 'zod';
import { HubEvent } from './domain/events';
import { Mutation } from './domain/mutations';
import { Role } from './domain/officer';
import { ErrorCodes } from './errors';
import { HlcString } from './hlc';
import { Uuid } from './ids';

/**
 * The console ⇄ hub wire protocol over Socket.IO (see docs/protocol.md).
 * Every message is parsed with these schemas on arrival, on both sides.
 */
export const PROTOCOL_SCHEMA = 1;
export const CONSOLE_NAMESPACE = '/console';
/** The most events one pull may return; the hub clamps larger limits to this. */
export const MAX_PULL = 5_000;

export const WireError = z.object({ code: z.enum(ErrorCodes), message: z.string() });
export const ErrorAck = z.object({ error: WireError });
export type ErrorAck = z.infer<typeof ErrorAck>;

/** Socket.IO event names (client → hub are acked; hub → client are plain). */
export const Wire = {
  hello: 'hello',
  pull: 'pull',
  mutate: 'mutate',
  /** issue 5: the hub's state as of one seq, in pages, for a console behind the tail */
  snapshot: 'snapshot',
  /** hub → console: a batch of new log entries, in seq order */
  events: 'events',
  /** hub → console (issue 9): a TelemetryBatch of sensor readings; outside the log, may be dropped */
  telemetry: 'telemetry',
} as const;

export const HelloRequest = z.object({
  consoleId: z.string().min(1).max(100),
  /** the last seq this console has applied; 0 for a new replica */
  cursor: z.number().int().nonnegative(),
  schema: z.number().int(),
});
export type HelloRequest = z.infer<typeof HelloRequest>;

export const HelloAck = z.object({
  hubId: z.string(),
  /** the newest seq on the log */
  head: z.number().int().nonnegative(),
  /** the oldest seq still kept; a console whose cursor < tail - 1 must rebuild from a snapshot */
  tail: z.number().int().nonnegative(),
  schema: z.number().int(),
  /** who the token says this is */
  officer: z.object({ name: z.string(), role: Role, position: z.string().optional() }),
});
export type HelloAck = z.infer<typeof HelloAck>;

export const PullRequest = z.object({
  after: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(100_000),
  /**
   * `'bytes'` (decision 0040): answer with a PullPageAck, the entries as one binary JSON
   * attachment built from the hub's stored text. Absent: a PullAck, as before.
   */
  as: z.literal('bytes').optional(),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullAck = z.object({ events: z.array(HubEvent), head: z.number().int().nonnegative() });
export type PullAck = z.infer<typeof PullAck>;

/**
 * A pull answered as bytes (decision 0040): `page` is the UTF-8 text of the JSON array of the
 * `count` entries a PullAck would carry (same entries, same order), sent as a Socket.IO binary
 * attachment. The hub writes every character above U+007F as a \uXXXX escape, so the page is
 * ASCII and decodes as a one-byte string; the console decodes any UTF-8 page correctly either
 * way. Its entries are parsed with HubEvent one by one by the replica, like a PullAck's.
 */
export const PullPageAck = z.object({
  // any Uint8Array (a Node Buffer included: z.instanceof would type it Uint8Array<ArrayBuffer> only)
  page: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'Input not instance of Uint8Array' }),
  count: z.number().int().nonnegative(),
  head: z.number().int().nonnegative(),
});
export type PullPageAck = z.infer<typeof PullPageAck>;

/** The batch pushed live. Consoles check it continues their cursor, or pull. */
export const EventsBatch = z.object({ events: z.array(HubEvent).min(1), head: z.number().int().nonnegative() });
export type EventsBatch = z.infer<typeof EventsBatch>;

/**
 * `author` (issue 6, decision 0036): the name key (trimmed, lower-cased) of the officer who made
 * the action at the console; the hub refuses it (FORBIDDEN, audited) when the acting token names
 * someone else. `asToken`: that officer's own token, for an action they left in the outbox when
 * they signed out; the hub verifies it and records the action in its officer's name, not the
 * connection's. Both are optional: a console that sends neither is decided as before.
 */
export const MutateRequest = z.intersection(
  z.object({
    id: Uuid,
    hlc: HlcString,
    author: z.string().trim().min(1).max(200).optional(),
    asToken: z.string().min(1).max(8_192).optional(),
  }),
  Mutation,
);
export type MutateRequest = z.infer<typeof MutateRequest>;

/**
 * `duplicateOf` (issue 9, `alert.raise`): the hub already had an active alert for the same
 * hazard and recorded this report as corroborating it instead of appending a second one;
 * `seq` is then that alert's entry.
 */
export const MutateOk = z.object({
  ok: z.literal(true),
  seq: z.number().int().positive(),
  duplicateOf: z.string().min(1).max(1_100).optional(),
});
export const MutateRefused = z.object({ ok: z.literal(false), error: WireError });
export const MutateAck = z.union([MutateOk, MutateRefused]);
export type MutateAck = z.infer<typeof MutateAck>;

/** Entries per snapshot page unless the console asks for fewer (a CAP alert is ~1–3 KB on the wire). */
export const SNAPSHOT_PAGE = 1_000;

/**
 * Snapshot (issue 5, decision 0016). The first request has no `snapshotId`: the hub fixes
 * the snapshot at its head N (`asOf`) and answers its first page. The console then asks for
 * the entries after the last seq it received, with that id, until `done`. Entries are
 * log entries with their original seq, ascending, all ≤ asOf, with gaps where compaction
 * dropped what no longer shapes the state.
 */
export const SnapshotRequest = z.object({
  snapshotId: z.string().min(1).max(100).optional(),
  after: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(MAX_PULL),
});
export type SnapshotRequest = z.infer<typeof SnapshotRequest>;

export const SnapshotAck = z.object({
  snapshotId: z.string().min(1).max(100),
  /** the seq the snapshot stands at: the console's cursor once it is swapped in */
  asOf: z.number().int().nonnegative(),
  /** the hub's tail when the snapshot was taken */
  tail: z.number().int().nonnegative(),
  events: z.array(HubEvent),
  /** true on the last page */
  done: z.boolean(),
});
export type SnapshotAck = z.infer<typeof SnapshotAck>;

/** Socket.IO handshake auth. */
export const HandshakeAuth = z.object({ token: z.string().min(1).max(10_000) });
