import { z } from 'zod';
import { LogText } from './activityLog';
import { StepId, StepState } from './checklist';
import { IncidentId, IncidentLocation, IncidentPriority, IncidentStatus, IncidentType } from './incident';
import { UnitId, UnitStatus } from './unit';

/**
 * Incident response mutations (issue 4). Each is an outbox row on the console that
 * made it (its local effect, decision 0008) until the hub confirms or refuses it.
 * Registered in the `Mutation` union in ./mutations.
 */

const AlertIdList = z.array(z.string().min(1).max(1_100)).max(100);

/** Open an incident, from alerts (they stay linked) or from nothing. The console makes the id. */
export const OpenIncident = z.object({
  type: z.literal('incident.open'),
  payload: z.object({
    incidentId: IncidentId,
    title: z.string().trim().min(1).max(300),
    incidentType: IncidentType,
    priority: IncidentPriority,
    location: IncidentLocation.nullable().optional(),
    commanderName: z.string().max(200).optional(),
    alertIds: AlertIdList.optional(),
  }),
});

/** open → active → contained → closed (shared/domain/statusMachines.ts). */
export const SetIncidentStatus = z.object({
  type: z.literal('incident.setStatus'),
  payload: z.object({ incidentId: IncidentId, status: IncidentStatus }),
});

/** Change what the incident says about itself; link more alerts; start the next operational period. */
export const UpdateIncident = z.object({
  type: z.literal('incident.update'),
  payload: z
    .object({
      incidentId: IncidentId,
      title: z.string().trim().min(1).max(300).optional(),
      incidentType: IncidentType.optional(),
      priority: IncidentPriority.optional(),
      location: IncidentLocation.nullable().optional(),
      commanderName: z.string().max(200).optional(),
      addAlertIds: AlertIdList.optional(),
      startOperationalPeriod: z.literal(true).optional(),
    })
    .refine((p) => Object.keys(p).some((k) => k !== 'incidentId'), { message: 'nothing to update' }),
});

/**
 * Dispatch one or several units to an incident: all of them or none. A unit committed to
 * another incident is taken only with `reassign: true`.
 */
export const DispatchUnits = z.object({
  type: z.literal('unit.dispatch'),
  payload: z.object({
    incidentId: IncidentId,
    unitIds: z
      .array(UnitId)
      .min(1)
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'a unit is named twice' }),
    reassign: z.boolean().optional(),
  }),
});

/** Free a unit from the incident it is committed to; it becomes available. */
export const ReleaseUnit = z.object({
  type: z.literal('unit.release'),
  payload: z.object({ unitId: UnitId, incidentId: IncidentId }),
});

export const SetUnitStatus = z.object({
  type: z.literal('unit.setStatus'),
  payload: z.object({ unitId: UnitId, status: UnitStatus }),
});

/** A manual ICS 214 entry, or a correction of an earlier entry (entries are never edited). */
export const AppendLog = z.object({
  type: z.literal('log.append'),
  payload: z.object({
    /** made by the console, so a correction can point at an entry before the hub confirms it */
    entryId: z.string().min(1).max(100),
    incidentId: IncidentId.nullable(),
    text: LogText,
    corrects: z.string().min(1).max(100).optional(),
  }),
});

export const SetChecklistStep = z.object({
  type: z.literal('checklist.setStep'),
  payload: z.object({
    incidentId: IncidentId,
    stepId: StepId,
    state: StepState,
    remark: z.string().max(2_000).optional(),
  }),
});

export const ResponseMutations = [
  OpenIncident,
  SetIncidentStatus,
  UpdateIncident,
  DispatchUnits,
  ReleaseUnit,
  SetUnitStatus,
  AppendLog,
  SetChecklistStep,
] as const;
