import { alertIdOf } from '../../shared/domain/alert';
import { severityRank, urgencyRank } from '../../shared/domain/cap';
import { edgeProblem, hazardKeyString, hazardOf } from '../../shared/telemetry/edge';
import type { Decision, MutationRule } from './rule';
import { accept, refuse } from './rule';

const PEOPLE = ['officer', 'supervisor'] as const;

const corroborate = (alertId: string, seq: number): Decision => ({
  ok: true,
  events: [],
  corroborates: { alertId, seq },
});

/**
 * A console's own rule engine raised an alert (issue 9, decision 0032). Any signed-in
 * officer's console may report one. The hub keeps one alert per hazard: when it already
 * has an active alert for the same asset, sensor and kind (its own sensors', or an earlier
 * console's, never this console's own: its rate, prediction and threshold are distinct rules of
 * one source) at least as severe and urgent, the report is recorded as corroborating that
 * alert and nothing is appended;
 * otherwise the message goes on the log as an `alert.received` from its console, so every
 * console shows it. A Cancel ends the console's own message; one whose message was folded
 * into another alert is folded too (the console cannot end the hub's alert).
 */
export const raiseAlert: MutationRule<'alert.raise'> = {
  type: 'alert.raise',
  allowedRoles: PEOPLE,
  decide(payload, { actor, state }) {
    const problem = edgeProblem(payload, actor.consoleId);
    if (problem) return refuse('BAD_REQUEST', problem);
    const { cap } = payload;
    const alertId = alertIdOf(cap);
    // The same message again, under another action id: it takes effect once.
    const already = state.alert(alertId);
    if (already) return corroborate(alertId, already.receivedSeq);
    const folded = state.edgeReport(alertId);
    if (folded) return corroborate(folded.duplicateOf, folded.seq);

    if (cap.msgType === 'Cancel') {
      const onLog = cap.references.some((r) => state.alert(alertIdOf(r)));
      if (!onLog) {
        for (const r of cap.references) {
          const report = state.edgeReport(alertIdOf(r));
          if (report) return corroborate(report.duplicateOf, report.seq);
        }
        return refuse('NOT_FOUND', 'The hub has none of the alerts this Cancel names; nothing to clear.');
      }
    } else {
      const hazard = hazardOf(cap);
      const active = hazard ? state.activeHazard(hazardKeyString(hazard), Date.parse(state.now()), cap.sender) : null;
      // Not worse than what the log already says: a report of it. Worse (a prediction of the
      // alarm level while the hub says warning): the officers must see it, so it is appended.
      const info = cap.infos[0];
      const severity = severityRank[info?.severity ?? 'Unknown'];
      const urgency = urgencyRank[info?.urgency ?? 'Unknown'];
      if (
        active &&
        (active.severityRank > severity || (active.severityRank === severity && active.urgencyRank >= urgency))
      )
        return corroborate(active.alertId, active.seq);
    }
    return accept({
      type: 'alert.received',
      payload: {
        alertId,
        cap,
        source: { kind: 'sensor-rule', name: `Watchfloor console ${actor.consoleId ?? ''} (${actor.name})` },
      },
    });
  },
};
