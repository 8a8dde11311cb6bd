import type { AppError } from '../../shared/errors';
import { dispatchRefusal, unitTransitionRefusal } from '../../shared/domain/statusMachines';
import { incidentPoint } from '../../shared/domain/incident';
import type { Unit } from '../../shared/domain/unit';
import { LogWriter, who } from './activityLog';
import { closedRefusal, known } from './incidents';
import type { MutationRule, RuleContext } from './rule';
import { accept, refuse } from './rule';

const PEOPLE = ['officer', 'supervisor'] as const;

const noUnit = (unitId: string) =>
  refuse('NOT_FOUND', `The hub has no unit ${unitId}; check the call sign on the unit board.`);

const numberOf = (ctx: RuleContext, incidentId: string | null): string | null =>
  incidentId ? (ctx.state.incident(incidentId)?.number ?? null) : null;

/**
 * Dispatch is all or nothing: if any named unit cannot go, none goes, and the refusal
 * names every unit that cannot, with who holds it. Taking a unit committed elsewhere
 * needs `reassign: true` (shared/domain/statusMachines.ts decides, for hub and console).
 */
export const dispatchUnits: MutationRule<'unit.dispatch'> = {
  type: 'unit.dispatch',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    const incident = known(ctx, p.incidentId);
    if ('error' in incident) return incident.error;
    if (incident.status === 'closed') return closedRefusal(incident);
    const units: Unit[] = [];
    for (const id of p.unitIds) {
      const unit = ctx.state.unit(id);
      if (!unit) return noUnit(id);
      units.push(unit);
    }
    const refusals: AppError[] = [];
    for (const unit of units) {
      const r = dispatchRefusal(
        { ...unit, incidentNumber: numberOf(ctx, unit.incidentId) },
        incident,
        p.reassign ?? false,
      );
      if (r) refusals.push(r);
    }
    if (refusals.length) {
      const none = units.length > 1 ? ' None of the units was dispatched.' : '';
      return refuse('CONFLICT', `${refusals.map((r) => r.message).join(' ')}${none}`);
    }
    const log = new LogWriter(ctx, 'unit.dispatch');
    for (const unit of units) {
      const from = unit.incidentId ? ` (reassigned from ${numberOf(ctx, unit.incidentId) ?? unit.incidentId})` : '';
      log.add(incident.id, `${unit.id} ${unit.callSign} dispatched to ${incident.number}${from} by ${who(ctx)}.`);
      if (unit.incidentId) log.add(unit.incidentId, `${unit.id} reassigned to ${incident.number} by ${who(ctx)}.`);
    }
    return accept(
      {
        type: 'unit.dispatched',
        payload: {
          incidentId: incident.id,
          units: units.map((u) => ({ unitId: u.id, from: u.status, previousIncidentId: u.incidentId })),
          reassign: p.reassign ?? false,
          by: ctx.actor,
          hlc: ctx.hlc,
        },
      },
      ...log.entries(),
    );
  },
};

/** Release frees a unit from the incident the officer meant: if it moved on meanwhile, nothing changes. */
export const releaseUnit: MutationRule<'unit.release'> = {
  type: 'unit.release',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    const unit = ctx.state.unit(p.unitId);
    if (!unit) return noUnit(p.unitId);
    const incident = known(ctx, p.incidentId);
    if ('error' in incident) return incident.error;
    if (unit.incidentId !== p.incidentId) {
      const now = numberOf(ctx, unit.incidentId);
      return refuse(
        'CONFLICT',
        now
          ? `${unit.id} is no longer on ${incident.number}: it is committed to ${now}${unit.assignedBy ? ` (dispatched by ${unit.assignedBy})` : ''}. Nothing was released.`
          : `${unit.id} is not committed to ${incident.number} (it is ${unit.status.replace(/-/g, ' ')}); nothing to release.`,
      );
    }
    return accept(
      {
        type: 'unit.released',
        payload: {
          unitId: unit.id,
          incidentId: incident.id,
          from: unit.status,
          ...(unit.homeStation.location ? { position: unit.homeStation.location } : {}),
          by: ctx.actor,
          hlc: ctx.hlc,
        },
      },
      ...new LogWriter(ctx, 'unit.release')
        .add(incident.id, `${unit.id} ${unit.callSign} released from ${incident.number} by ${who(ctx)}; available.`)
        .entries(),
    );
  },
};

export const setUnitStatus: MutationRule<'unit.setStatus'> = {
  type: 'unit.setStatus',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    const unit = ctx.state.unit(p.unitId);
    if (!unit) return noUnit(p.unitId);
    const refusal = unitTransitionRefusal(unit, p.status);
    if (refusal) return refuse(refusal.code, refusal.message);
    const number = numberOf(ctx, unit.incidentId);
    const freed = unit.incidentId && (p.status === 'available' || p.status === 'out-of-service');
    const scene =
      p.status === 'on-scene' && unit.incidentId
        ? incidentPoint(ctx.state.incident(unit.incidentId)?.location ?? null)
        : null;
    const position = scene ?? (p.status === 'available' ? unit.homeStation.location : undefined);
    return accept(
      {
        type: 'unit.statusChanged',
        payload: {
          unitId: unit.id,
          from: unit.status,
          to: p.status,
          incidentId: unit.incidentId,
          ...(position ? { position } : {}),
          by: ctx.actor,
          hlc: ctx.hlc,
        },
      },
      ...new LogWriter(ctx, 'unit.setStatus')
        .add(
          unit.incidentId,
          `${unit.id} ${unit.callSign}: ${unit.status} → ${p.status}${number ? ` (${number})` : ''}` +
            `${freed ? `; freed from ${number ?? 'its incident'}` : ''}, by ${who(ctx)}.`,
        )
        .entries(),
    );
  },
};
