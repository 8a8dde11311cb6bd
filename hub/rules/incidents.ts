import type { ChecklistStep } from '../../shared/domain/checklist';
import { currentPeriod, formatIncidentNumber, type Incident } from '../../shared/domain/incident';
import { commands, isSupervisor } from '../../shared/domain/officer';
import { incidentTransitionRefusal } from '../../shared/domain/statusMachines';
import type { IncidentChanges } from '../../shared/domain/responseEvents';
import { checklistFor } from '../checklists';
import type { EventDraft } from '../events';
import { LogWriter, who } from './activityLog';
import type { MutationRule, RuleContext } from './rule';
import { accept, refuse } from './rule';

const PEOPLE = ['officer', 'supervisor'] as const;

const addMinutes = (iso: string, min: number): string => new Date(Date.parse(iso) + min * 60_000).toISOString();

/** The incident, or the refusal for an id the hub does not know. */
function known(ctx: RuleContext, incidentId: string): Incident | { error: ReturnType<typeof refuse> } {
  const incident = ctx.state.incident(incidentId);
  return (
    incident ?? {
      error: refuse('NOT_FOUND', `The hub has no incident ${incidentId}; it may have been opened offline and refused.`),
    }
  );
}

const closedRefusal = (incident: Incident) =>
  refuse(
    'CONFLICT',
    `${incident.number} is closed; a closed incident cannot change. Open a new incident if the situation returned.`,
  );

/**
 * Opening an incident gives it the next INC number and attaches the SOP checklist
 * for its type, with due times counted from now.
 */
export const openIncident: MutationRule<'incident.open'> = {
  type: 'incident.open',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    const existing = ctx.state.incident(p.incidentId);
    if (existing)
      return refuse(
        'CONFLICT',
        `Incident id ${p.incidentId} is already ${existing.number}; open a new one with a new id.`,
      );
    const alertIds = [...new Set(p.alertIds ?? [])];
    const missing = alertIds.filter((id) => !ctx.state.alert(id));
    if (missing.length)
      return refuse(
        'NOT_FOUND',
        `The hub has no alert ${missing.join(', ')}; it may not have arrived yet. Open the incident without it or try again.`,
      );
    const now = ctx.state.now();
    const number = formatIncidentNumber(ctx.state.lastIncidentNumber() + 1);
    const incident: Incident = {
      id: p.incidentId,
      number,
      title: p.title,
      type: p.incidentType,
      priority: p.priority,
      location: p.location ?? null,
      commanderName: p.commanderName ?? ctx.actor.name,
      status: 'open',
      statusSince: now,
      alertIds,
      operationalPeriods: [{ number: 1, start: now, end: null }],
      openedAt: now,
      openedBy: ctx.actor,
    };
    const template = checklistFor(p.incidentType);
    const checklist: ChecklistStep[] = (template?.steps ?? []).map((s, i) => ({
      incidentId: incident.id,
      stepId: s.stepId,
      ord: i + 1,
      title: s.title,
      dueOffsetMin: s.dueOffsetMin,
      dueAt: addMinutes(now, s.dueOffsetMin),
      state: 'open',
      remark: '',
      by: null,
      at: null,
    }));
    const opened: EventDraft = {
      type: 'incident.opened',
      payload: { incident, checklist, checklistTitle: template?.title ?? null, hlc: ctx.hlc },
    };
    // The log entry names the incident, which exists once `opened` is projected; the writer
    // reads the period from state, so it is given here directly.
    const log = new LogWriter(ctx, 'incident.open');
    const from = alertIds.length ? ` from ${alertIds.length === 1 ? 'alert' : 'alerts'} ${alertIds.join(', ')}` : '';
    log.add(
      null,
      `Opened ${number} "${p.title}" (${p.incidentType}, priority ${p.priority})${from}; commander ${incident.commanderName}.` +
        (template ? ` Checklist "${template.title}" attached (${checklist.length} steps).` : ''),
    );
    return accept(opened, ...withIncident(log.entries(), incident.id, 1));
  },
};

/** Entries written before their incident exists in state get its id and period here. */
function withIncident(drafts: EventDraft[], incidentId: string, period: number): EventDraft[] {
  return drafts.map((d) =>
    d.type === 'log.appended' ? { ...d, payload: { ...d.payload, incidentId, operationalPeriod: period } } : d,
  );
}

export const setIncidentStatus: MutationRule<'incident.setStatus'> = {
  type: 'incident.setStatus',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    const incident = known(ctx, p.incidentId);
    if ('error' in incident) return incident.error;
    const refusal = incidentTransitionRefusal(incident, p.status);
    if (refusal) return refuse(refusal.code, refusal.message);
    if (p.status === 'closed') {
      // Issue 6 (decision 0021): the commander closes, or a supervisor stands it down.
      if (!isSupervisor(ctx.actor) && !commands(ctx.actor, incident))
        return refuse(
          'FORBIDDEN',
          `Only ${incident.commanderName}, who commands ${incident.number}, or a supervisor may close it; ask one of them.`,
        );
      const units = ctx.state.unitsOnIncident(incident.id);
      if (units.length)
        return refuse(
          'CONFLICT',
          `${incident.number} still has ${units.map((u) => u.id).join(', ')} committed; release them before closing it.`,
        );
    }
    return accept(
      {
        type: 'incident.statusChanged',
        payload: { incidentId: incident.id, from: incident.status, to: p.status, by: ctx.actor, hlc: ctx.hlc },
      },
      ...new LogWriter(ctx, 'incident.setStatus')
        .add(incident.id, `${incident.number} ${incident.status} → ${p.status} (by ${who(ctx)}).`)
        .entries(),
    );
  },
};

export const updateIncident: MutationRule<'incident.update'> = {
  type: 'incident.update',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    const incident = known(ctx, p.incidentId);
    if ('error' in incident) return incident.error;
    if (incident.status === 'closed') return closedRefusal(incident);
    const changes: IncidentChanges = {};
    const said: string[] = [];
    if (p.title !== undefined && p.title !== incident.title) {
      changes.title = p.title;
      said.push(`title "${p.title}"`);
    }
    if (p.incidentType !== undefined && p.incidentType !== incident.type) {
      changes.type = p.incidentType;
      said.push(`type ${p.incidentType}`);
    }
    if (p.priority !== undefined && p.priority !== incident.priority) {
      changes.priority = p.priority;
      said.push(`priority ${incident.priority} → ${p.priority}`);
    }
    if (p.location !== undefined) {
      changes.location = p.location;
      said.push(p.location ? `location set (${p.location.kind})` : 'location cleared');
    }
    if (p.commanderName !== undefined && p.commanderName !== incident.commanderName) {
      // Command is handed over by the commander, or reassigned by a supervisor (decision 0021).
      if (!isSupervisor(ctx.actor) && !commands(ctx.actor, incident))
        return refuse(
          'FORBIDDEN',
          `Only ${incident.commanderName}, who commands ${incident.number}, or a supervisor may hand over its command.`,
        );
      changes.commanderName = p.commanderName;
      said.push(`commander ${p.commanderName}`);
    }
    if (p.addAlertIds?.length) {
      const missing = p.addAlertIds.filter((id) => !ctx.state.alert(id));
      if (missing.length)
        return refuse('NOT_FOUND', `The hub has no alert ${missing.join(', ')}; it may not have arrived yet.`);
      const added = p.addAlertIds.filter((id) => !incident.alertIds.includes(id));
      if (added.length) {
        changes.alertIds = [...incident.alertIds, ...new Set(added)];
        said.push(`linked ${added.join(', ')}`);
      }
    }
    let period = currentPeriod(incident);
    if (p.startOperationalPeriod) {
      const now = ctx.state.now();
      changes.operationalPeriods = [
        ...incident.operationalPeriods.map((op) => (op.end === null ? { ...op, end: now } : op)),
        { number: period + 1, start: now, end: null },
      ];
      said.push(`operational period ${period + 1} started`);
      period += 1;
    }
    if (said.length === 0) return refuse('BAD_REQUEST', `Nothing to change: ${incident.number} already says that.`);
    return accept(
      { type: 'incident.updated', payload: { incidentId: incident.id, changes, by: ctx.actor, hlc: ctx.hlc } },
      ...withIncident(
        new LogWriter(ctx, 'incident.update')
          .add(incident.id, `${incident.number} updated: ${said.join('; ')}.`)
          .entries(),
        incident.id,
        period,
      ),
    );
  },
};

export { closedRefusal, known };
