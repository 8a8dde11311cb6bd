import { z } from 'zod';
import { AlertSource, Disposition } from './alert';
import { Asset } from './asset';
import { CapAlert } from './cap';
import { Actor } from './officer';
import { ResponseEvents } from './responseEvents';

/**
 * The hub's append-only log. Every entry has a hub-assigned, gap-free `seq`.
 * Consoles apply entries strictly in seq order; applying one and advancing the
 * cursor happen in one transaction.
 *
 * Adding a type: add it here, apply it in the replica, and bump nothing —
 * an unknown type from a newer hub fails the schema, is counted, and stops the
 * apply at that seq (the console reports SCHEMA_MISMATCH rather than skip it).
 */
const base = {
  seq: z.number().int().positive(),
  /** hub wall time when the entry was appended, ISO 8601 */
  at: z.string(),
  /** the client mutation that caused this entry, if any */
  mutationId: z.string().nullable(),
};

export const AssetUpserted = z.object({ ...base, type: z.literal('asset.upserted'), payload: Asset });

export const AlertReceived = z.object({
  ...base,
  type: z.literal('alert.received'),
  payload: z.object({ alertId: z.string(), cap: CapAlert, source: AlertSource }),
});

export const AlertAcknowledged = z.object({
  ...base,
  type: z.literal('alert.acknowledged'),
  payload: z.object({
    alertId: z.string(),
    by: Actor,
    disposition: Disposition.optional(),
    note: z.string().max(2_000).optional(),
    /** the HLC the console stamped on the action */
    hlc: z.string(),
  }),
});

export const AlertReinstated = z.object({
  ...base,
  type: z.literal('alert.reinstated'),
  payload: z.object({
    alertId: z.string(),
    by: Actor,
    note: z.string().max(2_000).optional(),
    hlc: z.string(),
  }),
});

/** Incident response entries (issue 4) are declared in ./responseEvents. */
export const HubEvent = z.discriminatedUnion('type', [
  AssetUpserted,
  AlertReceived,
  AlertAcknowledged,
  AlertReinstated,
  ...ResponseEvents,
]);
export type HubEvent = z.infer<typeof HubEvent>;
export type HubEventType = HubEvent['type'];
