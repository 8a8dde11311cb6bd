import { LogWriter, who } from './activityLog';
import type { Decision, MutationRule } from './rule';

type TriageType = 'alert.acknowledge' | 'alert.reinstate';

/**
 * Adds the ICS 214 entry for a triage decision the alert rule accepted: one entry per
 * incident the alert is linked to (in that incident's operational period), or one
 * outside any incident. Written with the decision, refused with it.
 */
export function withTriageLog<T extends TriageType>(rule: MutationRule<T>): MutationRule<T> {
  return {
    ...rule,
    decide(payload, ctx): Decision {
      const decision = rule.decide(payload, ctx);
      if (!decision.ok) return decision;
      const p = payload as { alertId: string; disposition?: string; note?: string };
      const verb = rule.type === 'alert.acknowledge' ? 'acknowledged' : 'reinstated to the queue';
      const detail = [p.disposition ? `disposition ${p.disposition}` : '', p.note ? `note: ${p.note}` : '']
        .filter(Boolean)
        .join('; ');
      const text = `Alert ${p.alertId} ${verb} by ${who(ctx)}${detail ? ` (${detail})` : ''}.`;
      const log = new LogWriter(ctx, rule.type);
      const incidents = ctx.state.incidentsOfAlert(p.alertId);
      if (incidents.length === 0) log.add(null, text);
      for (const incident of incidents) log.add(incident.id, text);
      return { ok: true, events: [...decision.events, ...log.entries()] };
    },
  };
}
