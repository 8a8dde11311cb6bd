import { z } from 'zod';
import { ActivityLogEntryView } from './domain/activityLog';
import { ChecklistStepView } from './domain/checklist';
import { IncidentView } from './domain/incident';
import {
  AppendLog,
  DispatchUnits,
  OpenIncident,
  ReleaseUnit,
  SetChecklistStep,
  SetIncidentStatus,
  SetUnitStatus,
  UpdateIncident,
} from './domain/responseMutations';
import { UnitView } from './domain/unit';
import { ErrorCodes } from './errors';

/**
 * ConsoleApi arguments and results for incidents, units, the activity log and checklists
 * (issue 4); the channels are declared in ./api. Actions answer as soon as the action is
 * in the local outbox (never waiting for the hub); the hub's verdict arrives as changes.
 */

/** The console makes the incident id (so it can dispatch to it offline) unless one is given. */
export const OpenIncidentArgs = OpenIncident.shape.payload.extend({
  incidentId: OpenIncident.shape.payload.shape.incidentId.optional(),
});
export const SetIncidentStatusArgs = SetIncidentStatus.shape.payload;
export const UpdateIncidentArgs = UpdateIncident.shape.payload;
export const DispatchUnitsArgs = DispatchUnits.shape.payload;
export const ReleaseUnitArgs = ReleaseUnit.shape.payload;
export const SetUnitStatusArgs = SetUnitStatus.shape.payload;
/** The console makes the entry id. */
export const AppendLogArgs = AppendLog.shape.payload.omit({ entryId: true });
export const SetChecklistStepArgs = SetChecklistStep.shape.payload;

export const ActionResult = z.object({ mutationId: z.string() });

export const IncidentDetail = z.object({
  incident: IncidentView,
  /** its activity log, oldest first, this console's unconfirmed entries last */
  log: z.array(ActivityLogEntryView),
  checklist: z.array(ChecklistStepView),
  checklistTitle: z.string().nullable(),
  units: z.array(UnitView),
});
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const ActivityLogQuery = z
  .object({
    /** one incident's log; null: entries outside any incident; absent: all */
    incidentId: z.string().min(1).max(100).nullable().optional(),
    /** entries with seq before this (paging back), newest page first */
    beforeSeq: z.number().int().positive().optional(),
    limit: z.number().int().positive().max(5_000).optional(),
    /** only audit events (`audit.*` entries), of any incident or none: the supervisors' audit trail */
    audit: z.literal(true).optional(),
  })
  .optional();

/**
 * An action the hub refused: rolled back here (its overlay no longer applies) and kept,
 * with the hub's code and sentence, for the "needs attention" panel (issue 5).
 */
export const NeedsAttentionItem = z.object({
  mutationId: z.string(),
  type: z.string(),
  /** what the officer asked, as sent */
  payload: z.unknown(),
  /** `<kind>:<id>` of the main thing it was about (unit:E12, incident:<id>, alert:<id>) */
  target: z.string(),
  error: z.object({ code: z.enum(ErrorCodes), message: z.string() }),
  createdAt: z.string(),
  refusedAt: z.string(),
});
export type NeedsAttentionItem = z.infer<typeof NeedsAttentionItem>;
