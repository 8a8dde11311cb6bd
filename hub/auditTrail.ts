import type { AuditKind, HubEvent } from '../shared/domain/events';
import type { Actor } from '../shared/domain/officer';
import { newId } from '../shared/ids';
import type { EventDraft } from './events';
import type { HubState, HubStore } from './store/hubStore';

/**
 * Audit events (issue 6): sign-in and sign-out, handover notes, exports, the audit view,
 * and every refusal of a role. Each is an `audit.recorded` entry on the hub's log and in
 * the activity log's hash chain (HubStore.sealed), so an export verifies it like any
 * other entry. Triage and dispatch are audited by their own automatic log entries.
 */
export interface AuditInput {
  readonly kind: AuditKind;
  readonly officer: Actor;
  /** one sentence: what happened, e.g. "Exported the activity log of INC-0003 as PDF (412 entries)." */
  readonly detail: string;
  /** the incident the event is about, if any (an incident export, a refused close) */
  readonly incidentId?: string | null;
}

/**
 * The draft of an audit entry, numbered after the newest log entry plus `after` (entries
 * already drafted in the same decision). For use inside a transaction that appends it.
 */
export function auditDraft(state: HubState, input: AuditInput, after = 0): EventDraft {
  const incident = input.incidentId ? state.incident(input.incidentId) : null;
  const detail = input.detail.trim().slice(0, 4_000) || input.kind;
  return {
    type: 'audit.recorded',
    payload: {
      id: newId(),
      seq: state.lastLogSeq() + 1 + after,
      incidentId: incident ? incident.id : null,
      operationalPeriod: incident ? (incident.operationalPeriods.at(-1)?.number ?? 1) : null,
      at: state.now(),
      author: input.officer.name,
      position: input.officer.position ?? '',
      text: detail,
      kind: 'auto',
      corrects: null,
      action: `audit.${input.kind}`,
      audit: { kind: input.kind, officer: input.officer, detail },
    },
  };
}

/**
 * Appends one audit event in its own transaction and returns the appended entries.
 * The caller publishes them to live consoles if it has the hub's feed (the server's
 * `audit()` does); a store opened by a CLI beside a running hub reaches consoles on
 * their next pull, since the hub's log is the same file.
 */
export function recordAudit(store: HubStore, input: AuditInput): HubEvent[] {
  return store.transaction(() => store.append([auditDraft(store, input)]));
}
