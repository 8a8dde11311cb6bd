import type { MutationRule } from './rule';
import { accept, refuse } from './rule';

/** People acknowledge alerts; feeds only post them. */
const PEOPLE = ['officer', 'supervisor'] as const;

const unknownAlert = (alertId: string) =>
  refuse('NOT_FOUND', `The hub has no alert ${alertId}; it may not have arrived yet. Refresh and try again.`);

/**
 * The first acknowledgement wins. A second one (from another console, or sent
 * offline before this console heard of the first) is refused with who and when,
 * so the officer sees the alert is already in hand.
 */
export const acknowledgeAlert: MutationRule<'alert.acknowledge'> = {
  type: 'alert.acknowledge',
  allowedRoles: PEOPLE,
  decide(payload, { actor, hlc, state }) {
    const alert = state.alert(payload.alertId);
    if (!alert) return unknownAlert(payload.alertId);
    if (alert.ack) {
      const who = alert.ack.by.position ? `${alert.ack.by.name} (${alert.ack.by.position})` : alert.ack.by.name;
      const when = `${alert.ack.at.slice(11, 19)} UTC on ${alert.ack.at.slice(0, 10)}`;
      return refuse('CONFLICT', `Already acknowledged by ${who} at ${when}; no need to acknowledge it again.`);
    }
    return accept({
      type: 'alert.acknowledged',
      payload: {
        alertId: payload.alertId,
        by: actor,
        ...(payload.disposition ? { disposition: payload.disposition } : {}),
        ...(payload.note !== undefined ? { note: payload.note } : {}),
        hlc,
      },
    });
  },
};

/**
 * Put an acknowledged alert back in the queue (a wrong disposition, new information).
 * Only an acknowledged alert can be reinstated; the event carries who and the console's
 * HLC, so the activity log (issue 4) can list it beside the acknowledgement.
 */
export const reinstateAlert: MutationRule<'alert.reinstate'> = {
  type: 'alert.reinstate',
  allowedRoles: PEOPLE,
  decide(payload, { actor, hlc, state }) {
    const alert = state.alert(payload.alertId);
    if (!alert) return unknownAlert(payload.alertId);
    if (!alert.ack) {
      return refuse('CONFLICT', 'This alert is not acknowledged, so it is already in the queue; nothing to reinstate.');
    }
    return accept({
      type: 'alert.reinstated',
      payload: {
        alertId: payload.alertId,
        by: actor,
        ...(payload.note !== undefined ? { note: payload.note } : {}),
        hlc,
      },
    });
  },
};
