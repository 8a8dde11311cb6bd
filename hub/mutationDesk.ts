import type { HubEvent } from '../shared/domain/events';
import type { MutationType } from '../shared/domain/mutations';
import { officerKey, type Actor } from '../shared/domain/officer';
import type { MutateAck, MutateRequest } from '../shared/protocol';
import { auditDraft } from './auditTrail';
import { mutationRules, type MutationRule } from './rules';
import type { HubStore } from './store/hubStore';

export interface MutationOutcome {
  readonly ack: MutateAck;
  /** entries appended by this call (none for a replay or a refusal) */
  readonly events: HubEvent[];
  /** the id was seen before; the first answer is returned */
  readonly replayed: boolean;
}

/**
 * Decides a console's mutation. The rule's decision, its events and the answer
 * are written in one transaction, keyed by the mutation id: the same id sent
 * again (a retry after a lost ack, an outbox flushed twice) returns the first
 * answer and changes nothing.
 *
 * Refusals decided by a rule (NOT_FOUND, CONFLICT) are remembered like
 * acceptances, so the answer never changes. Refusals about the request itself
 * (FORBIDDEN for this token) are not: they say nothing about the action.
 * Every FORBIDDEN is appended as an `audit.recorded` entry (issue 6), returned in
 * `events` so the server publishes it like any other entry. `actor` is whoever the
 * request acts as: the connection's officer, or the officer of its `asToken` (decision 0036).
 */
export function decideMutation(store: HubStore, request: MutateRequest, actor: Actor): MutationOutcome {
  const rule = mutationRules[request.type] as MutationRule<MutationType> | undefined;
  if (!rule) {
    // Only reachable when shared/ gained a mutation this hub has no rule for yet.
    return {
      ack: {
        ok: false,
        error: { code: 'BAD_REQUEST', message: `This hub cannot decide ${request.type} yet; update the hub.` },
      },
      events: [],
      replayed: false,
    };
  }
  // An action is recorded only in the name of the officer who made it (decision 0036): one
  // that names its maker and arrives under another officer's token is refused and audited.
  if (request.author !== undefined && officerKey(request.author) !== officerKey(actor.name)) {
    const message = `Action ${request.id} was made by ${request.author} but sent under ${actor.name}'s token; the hub records an action only in the name of the officer who made it.`;
    const events = store.append([refusalAudit(store, actor, request, message)]);
    return { ack: { ok: false, error: { code: 'FORBIDDEN', message } }, events, replayed: false };
  }
  if (!rule.allowedRoles.includes(actor.role)) {
    const message = `A ${actor.role} token may not ${request.type.replace('.', ' ')}; sign in as ${rule.allowedRoles.join(' or ')}.`;
    // Every role refusal is an audit event on the chain (issue 6), though not a remembered answer.
    const events = store.append([refusalAudit(store, actor, request, message)]);
    return { ack: { ok: false, error: { code: 'FORBIDDEN', message } }, events, replayed: false };
  }
  const fingerprint = canonicalJson({ type: request.type, payload: request.payload });
  return store.transaction((): MutationOutcome => {
    const seen = store.recallMutation(request.id);
    if (seen) {
      if (seen.request !== fingerprint) {
        return {
          ack: {
            ok: false,
            error: {
              code: 'CONFLICT',
              message: `Action id ${request.id} was already used for a different action; the console must give each action a new id.`,
            },
          },
          events: [],
          replayed: true,
        };
      }
      return { ack: seen.answer, events: [], replayed: true };
    }
    const decision = rule.decide(request.payload, { actor, hlc: request.hlc, state: store });
    if (decision.ok && decision.corroborates) {
      // A console's report of an alert the log already has (issue 9): recorded, not appended.
      const { alertId, seq } = decision.corroborates;
      store.recordEdgeReport(request, actor, alertId, seq);
      const ack: MutateAck = { ok: true, seq, duplicateOf: alertId };
      store.rememberMutation(request.id, request.type, fingerprint, ack);
      return { ack, events: [], replayed: false };
    }
    if (!decision.ok || decision.events.length === 0) {
      const error = decision.ok
        ? { code: 'INTERNAL' as const, message: `The ${request.type} rule decided nothing.` }
        : decision.error;
      const ack: MutateAck = { ok: false, error };
      store.rememberMutation(request.id, request.type, fingerprint, ack);
      // A rule's role refusal (closing an incident one does not command) is audited with its answer.
      const events =
        error.code === 'FORBIDDEN' ? store.append([refusalAudit(store, actor, request, error.message)]) : [];
      return { ack, events, replayed: false };
    }
    const events = store.append(decision.events, { mutationId: request.id });
    const ack: MutateAck = { ok: true, seq: (events[events.length - 1] as HubEvent).seq };
    store.rememberMutation(request.id, request.type, fingerprint, ack);
    return { ack, events, replayed: false };
  });
}

function refusalAudit(store: HubStore, actor: Actor, request: MutateRequest, message: string) {
  const incidentId = (request.payload as { incidentId?: unknown }).incidentId;
  return auditDraft(store, {
    kind: 'refused',
    officer: actor,
    detail: `Refused ${request.type} (action ${request.id}) for ${actor.name}, ${actor.role}: ${message}`,
    incidentId: typeof incidentId === 'string' && store.incident(incidentId) ? incidentId : null,
  });
}

/** JSON with sorted keys, so the same action always has the same fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
