import { createSelector } from '@reduxjs/toolkit';
import { selectLogEntryEntities, type ActivityLogState, type LogEntry } from '../state/activityLog';

/**
 * The audit events this console holds (issue 6): activity-log entries whose action is
 * `audit.<kind>` (hub/auditTrail.ts), newest first. They come from the replica's copy of
 * the hub's hash-chained log, so they are what the hub sealed, not what this console did.
 */
export interface AuditRow {
  readonly id: string;
  readonly seq: number | null;
  readonly at: string;
  /** the audit kind: sign-in, export, refused, … (the action without its `audit.` prefix) */
  readonly kind: string;
  readonly officer: string;
  readonly position: string;
  readonly detail: string;
}

const AUDIT_PREFIX = 'audit.';

export const isAuditEntry = (e: LogEntry): boolean => e.action?.startsWith(AUDIT_PREFIX) ?? false;

/** Newest first: by log seq (the chain's order), then by time for any not yet numbered. */
function newestFirst(a: LogEntry, b: LogEntry): number {
  if (a.seq !== null && b.seq !== null) return b.seq - a.seq;
  if (a.seq === null && b.seq !== null) return -1;
  if (a.seq !== null && b.seq === null) return 1;
  return a.at < b.at ? 1 : a.at > b.at ? -1 : 0;
}

export function auditRows(entries: Iterable<LogEntry | undefined>): AuditRow[] {
  const audit: LogEntry[] = [];
  for (const e of entries) if (e && isAuditEntry(e)) audit.push(e);
  return audit.sort(newestFirst).map((e) => ({
    id: e.id,
    seq: e.seq,
    at: e.at,
    kind: e.action!.slice(AUDIT_PREFIX.length),
    officer: e.author,
    position: e.position,
    detail: e.text,
  }));
}

export const selectAuditRows: (s: { readonly activityLog: ActivityLogState }) => AuditRow[] = createSelector(
  [selectLogEntryEntities],
  (entities) => auditRows(Object.values(entities)),
);
