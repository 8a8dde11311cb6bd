import { alertIdOf, type AlertSummary } from '../../shared/domain/alert';
import type { Mutation, MutationPayload, MutationType } from '../../shared/domain/mutations';
import { responseOverlays, responseTouches, type ResponseOverlays } from './responseOverlays';
import { telemetryRulesTarget } from './telemetryRules';

/**
 * How each kind of local action is kept in the outbox and replayed over hub state.
 *
 * The console's view is "hub state up to the cursor + open outbox rows replayed on
 * top". Local actions never write to the hub-state tables: their local effect IS the
 * outbox row, replayed by an overlay when a view is read. So a rejection rolls back
 * by itself, and a confirmation (the hub's event applied and the row marked confirmed
 * in one transaction) never flickers.
 *
 * Adding a mutation (issue 4: incident.open, unit.dispatch, ...): add it to
 * shared/domain/mutations.ts, then one entry here naming its target entity and, for each
 * view it changes, an overlay.
 */
export interface Overlays extends ResponseOverlays {
  alert?: (view: AlertSummary) => AlertSummary;
}

export interface MutationKind<T extends MutationType> {
  /** the entity this action is about, as `<kind>:<id>`; indexes the overlay lookup */
  target(payload: MutationPayload<T>): string;
  overlays(payload: MutationPayload<T>): Overlays;
}

type Registry = { [T in MutationType]: MutationKind<T> };

export const mutationKinds: Registry = {
  'alert.acknowledge': {
    target: (p) => alertTarget(p.alertId),
    overlays: () => ({ alert: (view) => ({ ...view, pendingAck: true }) }),
  },
  'alert.reinstate': {
    target: (p) => alertTarget(p.alertId),
    // Predicted: back in the queue, unacknowledged, until the hub confirms or refuses.
    overlays: () => ({ alert: (view) => ({ ...view, ack: null, pendingAck: false }) }),
  },
  // A supervisor's rule edit (decision 0034): its local effect is read by ./telemetryRules, no view overlay.
  'telemetry.rules.set': {
    target: (p) => telemetryRulesTarget(p.ruleSet),
    overlays: () => ({}),
  },
  // Raised by this console's rule engine (issue 9): the local effect is the alert row written with
  // the outbox row (main/replica/edgeAlerts.ts, decision 0032), not an overlay.
  'alert.raise': {
    target: (p) => alertTarget(alertIdOf(p.cap)),
    overlays: () => ({}),
  },
  // Incident response (issue 4): overlays in ./responseOverlays; the target is the first entity touched.
  ...responseKinds(),
};

function responseKinds(): { [T in keyof typeof responseOverlays]: MutationKind<T> } {
  const kind = <T extends keyof typeof responseOverlays>(t: T): MutationKind<T> => ({
    target: (p) => (responseTouches[t] as (p: MutationPayload<T>) => string[])(p)[0] as string,
    overlays: (p) => (responseOverlays[t] as (p: MutationPayload<T>) => ResponseOverlays)(p),
  });
  return {
    'incident.open': kind('incident.open'),
    'incident.setStatus': kind('incident.setStatus'),
    'incident.update': kind('incident.update'),
    'unit.dispatch': kind('unit.dispatch'),
    'unit.release': kind('unit.release'),
    'unit.setStatus': kind('unit.setStatus'),
    'log.append': kind('log.append'),
    'checklist.setStep': kind('checklist.setStep'),
  };
}

export const alertTarget = (alertId: string): string => `alert:${alertId}`;

export function targetOf(m: Mutation): string {
  const kind = mutationKinds[m.type] as MutationKind<typeof m.type>;
  return kind.target(m.payload);
}

/** Every entity an action touches (its target first): a dispatch touches its incident and each unit. */
export function touchesOf(m: Mutation): string[] {
  if (m.type in responseTouches)
    return (responseTouches[m.type as keyof typeof responseTouches] as (p: unknown) => string[])(m.payload);
  return [targetOf(m)];
}

export function overlaysOf(m: Mutation): Overlays {
  const kind = mutationKinds[m.type] as MutationKind<typeof m.type>;
  return kind.overlays(m.payload);
}

/** Split `<kind>:<id>` (ids may contain ':'). */
export function parseTarget(target: string): { kind: string; id: string } {
  const i = target.indexOf(':');
  return i < 0 ? { kind: target, id: '' } : { kind: target.slice(0, i), id: target.slice(i + 1) };
}
