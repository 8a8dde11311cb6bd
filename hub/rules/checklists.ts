import { LogWriter, who } from './activityLog';
import { closedRefusal, known } from './incidents';
import type { MutationRule } from './rule';
import { accept, refuse } from './rule';

const PEOPLE = ['officer', 'supervisor'] as const;
const WORD = { open: 'reopened', done: 'done', na: 'not applicable' } as const;

/** A step is set open, done or not applicable, with a remark; every change is logged. */
export const setChecklistStep: MutationRule<'checklist.setStep'> = {
  type: 'checklist.setStep',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    const incident = known(ctx, p.incidentId);
    if ('error' in incident) return incident.error;
    if (incident.status === 'closed') return closedRefusal(incident);
    const step = ctx.state.checklistStep(p.incidentId, p.stepId);
    if (!step) return refuse('NOT_FOUND', `${incident.number}'s checklist has no step ${p.stepId}.`);
    const remark = p.remark ?? step.remark;
    if (step.state === p.state && remark === step.remark)
      return refuse('BAD_REQUEST', `Step ${step.ord} of ${incident.number} is already ${WORD[p.state]}.`);
    return accept(
      {
        type: 'checklist.stepSet',
        payload: { incidentId: incident.id, stepId: step.stepId, state: p.state, remark, by: ctx.actor, hlc: ctx.hlc },
      },
      ...new LogWriter(ctx, 'checklist.setStep')
        .add(
          incident.id,
          `Checklist step ${step.ord} "${step.title}" ${WORD[p.state]} by ${who(ctx)}${remark ? `: ${remark}` : ''}.`,
        )
        .entries(),
    );
  },
};
