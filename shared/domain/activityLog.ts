import { z } from 'zod';

/**
 * ICS 214 activity log. Entries are never edited: a correction is a new entry whose
 * `corrects` names the entry it corrects. Automatic entries are written by the hub in
 * the same transaction as the action they record; manual ones come from `log.append`.
 * (Issue 6 hash-chains these entries on the hub; `seq` is the chain's order.)
 */
export const LogEntryKind = z.enum(['auto', 'manual']);
export type LogEntryKind = z.infer<typeof LogEntryKind>;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const LogText = z.string().trim().min(1).max(4_000);

export const ActivityLogEntry = z.object({
  id: z.string().min(1).max(100),
  /** the entry's place in the hub's activity log: 1, 2, 3 … gap-free */
  seq: z.number().int().positive(),
  incidentId: z.string().nullable(),
  /** the incident's operational period when written; null for entries outside an incident */
  operationalPeriod: z.number().int().positive().nullable(),
  at: z.string(),
  author: z.string().min(1).max(200),
  /** ICS position from the author's token, e.g. "Duty Officer" */
  position: z.string().max(200),
  /** notable activity */
  text: LogText,
  kind: LogEntryKind,
  corrects: z.string().nullable(),
  /** the mutation type that caused an automatic entry (e.g. unit.dispatch) */
  action: z.string().max(100).nullable(),
  /**
   * The hash chain (issue 6, shared/audit/chain.ts), set by the hub: SHA-256 of the entry's
   * canonical form, the chain hash of the entry before, and this entry's chain hash.
   * Optional: entries a console wrote but the hub has not confirmed have none.
   */
  hash: Sha256Hex.optional(),
  prevHash: Sha256Hex.optional(),
  chainHash: Sha256Hex.optional(),
});
export type ActivityLogEntry = z.infer<typeof ActivityLogEntry>;

/** An entry as a console shows it: a manual entry written here has no seq until the hub confirms it. */
export const ActivityLogEntryView = ActivityLogEntry.extend({
  seq: z.number().int().positive().nullable(),
  pending: z.boolean(),
});
export type ActivityLogEntryView = z.infer<typeof ActivityLogEntryView>;

/** "Name (Position)", or the name alone: how the log and refusals name an officer. */
export const authorLabel = (who: { readonly name: string; readonly position?: string | undefined }): string =>
  who.position ? `${who.name} (${who.position})` : who.name;
