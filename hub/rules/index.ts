import type { MutationType } from '../../shared/domain/mutations';
import { appendLog } from './activityLog';
import { acknowledgeAlert, reinstateAlert } from './alerts';
import { raiseAlert } from './edgeAlerts';
import { setChecklistStep } from './checklists';
import { setTelemetryRules } from './telemetryRules';
import { openIncident, setIncidentStatus, updateIncident } from './incidents';
import { withTriageLog } from './triageLog';
import { dispatchUnits, releaseUnit, setUnitStatus } from './units';
import type { MutationRule } from './rule';

/**
 * Every mutation type in shared/domain/mutations.ts has exactly one rule here;
 * the mapped type makes a missing rule a compile error. One module per domain:
 * alerts, incidents, units, activityLog, checklists.
 */
export const mutationRules: { readonly [T in MutationType]: MutationRule<T> } = {
  // Triage writes its ICS 214 entries too (issue 4), in the same transaction as the decision.
  'alert.acknowledge': withTriageLog(acknowledgeAlert),
  'alert.reinstate': withTriageLog(reinstateAlert),
  // Console-raised alerts (issue 9): deduplicated against the hub's own; no log entry of triage.
  'alert.raise': raiseAlert,
  'incident.open': openIncident,
  'incident.setStatus': setIncidentStatus,
  'incident.update': updateIncident,
  'unit.dispatch': dispatchUnits,
  'unit.release': releaseUnit,
  'unit.setStatus': setUnitStatus,
  'log.append': appendLog,
  'checklist.setStep': setChecklistStep,
  'telemetry.rules.set': setTelemetryRules,
};

export type { Decision, MutationRule, RuleContext } from './rule';
