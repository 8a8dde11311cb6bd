import { z } from 'zod';
import { IncidentType } from './incident';

/**
 * SOP checklists: data files under assets/checklists/*.json (parsed with
 * ChecklistTemplate), attached to an incident of their type when it opens.
 */
export const StepState = z.enum(['open', 'done', 'na']);
export type StepState = z.infer<typeof StepState>;

export const StepId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);

export const ChecklistTemplate = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  title: z.string().min(1).max(200),
  incidentType: IncidentType,
  /** where the steps come from (the city's SOP number, a national guideline) */
  source: z.string().max(300),
  steps: z
    .array(
      z.object({
        stepId: StepId,
        title: z.string().min(1).max(300),
        /** minutes after the incident opens by which the step should be done */
        dueOffsetMin: z
          .number()
          .int()
          .nonnegative()
          .max(7 * 24 * 60),
      }),
    )
    .min(1)
    .max(200),
});
export type ChecklistTemplate = z.infer<typeof ChecklistTemplate>;

export const ChecklistStep = z.object({
  incidentId: z.string(),
  stepId: StepId,
  /** 1-based order in the SOP */
  ord: z.number().int().positive(),
  title: z.string(),
  dueOffsetMin: z.number().int().nonnegative(),
  /** openedAt + dueOffsetMin, ISO */
  dueAt: z.string(),
  state: StepState,
  remark: z.string().max(2_000),
  /** who set the state last, "Name (Position)"; null while never touched */
  by: z.string().nullable(),
  at: z.string().nullable(),
});
export type ChecklistStep = z.infer<typeof ChecklistStep>;

export const ChecklistStepView = ChecklistStep.extend({ pending: z.boolean() });
export type ChecklistStepView = z.infer<typeof ChecklistStepView>;

/** A step is overdue when it is still open past its due time. */
export const isStepOverdue = (step: Pick<ChecklistStep, 'state' | 'dueAt'>, nowMs: number): boolean =>
  step.state === 'open' && Date.parse(step.dueAt) < nowMs;
