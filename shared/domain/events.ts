import { z } from 'zod';
import { ActivityLogEntry } from './activityLog';
import { AlertSource, Disposition } from './alert';
import { Asset } from './asset';
import { CapAlert } from './cap';
import { Actor } from './officer';
import { ResponseEvents } from './responseEvents';
import { TelemetryRulesChanged as TelemetryRulesChangedPayload } from '../telemetry/rules/edits';

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

/**
 * What an audit event records (issue 6). Triage and dispatch are also written as the
 * automatic activity-log entries of those actions; these kinds are for audit events
 * that have no action of their own on the log.
 */
export const AuditKind = z.enum([
  'sign-in',
  'sign-in-refused',
  'sign-out',
  'handover',
  'export',
  'audit-view',
  'refused',
  'triage',
  'dispatch',
]);
export type AuditKind = z.infer<typeof AuditKind>;

export const AuditDetail = z.object({
  kind: AuditKind,
  /** who did it (for a refused sign-in: the name that was tried, role unknown → officer) */
  officer: Actor,
  /** one sentence: what happened (what was refused and why, what was exported, …) */
  detail: z.string().trim().min(1).max(4_000),
});
export type AuditDetail = z.infer<typeof AuditDetail>;

/**
 * An audit event: an activity-log entry (same table, same gap-free log seq, same hash
 * chain, sealed by HubStore) with the structured `audit` detail inside the hashed content,
 * so `npm run audit -- verify` covers it. Its `action` is `audit.<kind>`.
 */
export const AuditEntry = ActivityLogEntry.extend({ audit: AuditDetail });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditRecorded = z.object({ ...base, type: z.literal('audit.recorded'), payload: AuditEntry });

/** A supervisor's edit of one telemetry rule set, with what it replaced (issue 9, decision 0034). */
export const TelemetryRulesChanged = z.object({
  ...base,
  type: z.literal('telemetry.rules.changed'),
  payload: TelemetryRulesChangedPayload,
});

/** Incident response entries (issue 4) are declared in ./responseEvents. */
export const HubEvent = z.discriminatedUnion('type', [
  AssetUpserted,
  AlertReceived,
  AlertAcknowledged,
  AlertReinstated,
  AuditRecorded,
  TelemetryRulesChanged,
  ...ResponseEvents,
]);
export type HubEvent = z.infer<typeof HubEvent>;
export type HubEventType = HubEvent['type'];
