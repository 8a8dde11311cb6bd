import { z } from 'zod';
import { ActivityLogEntry } from './activityLog';
import { ChecklistStep, StepState } from './checklist';
import {
  Incident,
  IncidentLocation,
  IncidentPriority,
  IncidentStatus,
  IncidentType,
  OperationalPeriod,
} from './incident';
import { LatLon } from './geo';
import { Actor } from './officer';
import { Unit, UnitStatus } from './unit';

/**
 * Incident response entries on the hub's log (issue 4). `base` is the same as in
 * ./events (seq, at, mutationId); the hub's `at` is the time a change took effect
 * (statusSince, a step's `at`). Registered in `HubEvent` in ./events.
 */
export const eventBase = {
  seq: z.number().int().positive(),
  at: z.string(),
  mutationId: z.string().nullable(),
};

export const IncidentOpened = z.object({
  ...eventBase,
  type: z.literal('incident.opened'),
  payload: z.object({
    incident: Incident,
    /** the SOP checklist attached for its type (empty when there is none) */
    checklist: z.array(ChecklistStep),
    checklistTitle: z.string().nullable(),
    hlc: z.string(),
  }),
});

export const IncidentStatusChanged = z.object({
  ...eventBase,
  type: z.literal('incident.statusChanged'),
  payload: z.object({
    incidentId: z.string(),
    from: IncidentStatus,
    to: IncidentStatus,
    by: Actor,
    hlc: z.string(),
  }),
});

export const IncidentChanges = z.object({
  title: z.string().optional(),
  type: IncidentType.optional(),
  priority: IncidentPriority.optional(),
  location: IncidentLocation.nullable().optional(),
  commanderName: z.string().optional(),
  alertIds: z.array(z.string()).optional(),
  operationalPeriods: z.array(OperationalPeriod).optional(),
});
export type IncidentChanges = z.infer<typeof IncidentChanges>;

/** How an `incident.updated` entry changes an incident: one fold for the hub and every console. */
export function applyIncidentChanges<T extends Incident>(incident: T, c: IncidentChanges): T {
  return {
    ...incident,
    ...(c.title !== undefined ? { title: c.title } : {}),
    ...(c.type !== undefined ? { type: c.type } : {}),
    ...(c.priority !== undefined ? { priority: c.priority } : {}),
    ...(c.location !== undefined ? { location: c.location } : {}),
    ...(c.commanderName !== undefined ? { commanderName: c.commanderName } : {}),
    ...(c.alertIds !== undefined ? { alertIds: c.alertIds } : {}),
    ...(c.operationalPeriods !== undefined ? { operationalPeriods: c.operationalPeriods } : {}),
  };
}

export const IncidentUpdated = z.object({
  ...eventBase,
  type: z.literal('incident.updated'),
  payload: z.object({
    incidentId: z.string(),
    /** the new values of what changed; lists are whole (alertIds, operationalPeriods) */
    changes: IncidentChanges,
    by: Actor,
    hlc: z.string(),
  }),
});

/** The roster: a unit as the hub knows it (first start of the demo city, or a roster change). */
export const UnitUpserted = z.object({ ...eventBase, type: z.literal('unit.upserted'), payload: Unit });

export const UnitDispatched = z.object({
  ...eventBase,
  type: z.literal('unit.dispatched'),
  payload: z.object({
    incidentId: z.string(),
    units: z
      .array(z.object({ unitId: z.string(), from: UnitStatus, previousIncidentId: z.string().nullable() }))
      .min(1),
    reassign: z.boolean(),
    by: Actor,
    hlc: z.string(),
  }),
});

export const UnitReleased = z.object({
  ...eventBase,
  type: z.literal('unit.released'),
  payload: z.object({
    unitId: z.string(),
    incidentId: z.string(),
    from: UnitStatus,
    /** back at its home station, when it has one */
    position: LatLon.optional(),
    by: Actor,
    hlc: z.string(),
  }),
});

export const UnitStatusChanged = z.object({
  ...eventBase,
  type: z.literal('unit.statusChanged'),
  payload: z.object({
    unitId: z.string(),
    from: UnitStatus,
    to: UnitStatus,
    /** the incident it was on; out-of-service and available free it */
    incidentId: z.string().nullable(),
    /** where the hub places it now: on scene at the incident, available at its home station */
    position: LatLon.optional(),
    by: Actor,
    hlc: z.string(),
  }),
});

/** An activity-log entry, automatic (written with the action it records) or manual. */
export const LogAppended = z.object({ ...eventBase, type: z.literal('log.appended'), payload: ActivityLogEntry });

export const ChecklistStepSet = z.object({
  ...eventBase,
  type: z.literal('checklist.stepSet'),
  payload: z.object({
    incidentId: z.string(),
    stepId: z.string(),
    state: StepState,
    remark: z.string(),
    by: Actor,
    hlc: z.string(),
  }),
});

export const ResponseEvents = [
  IncidentOpened,
  IncidentStatusChanged,
  IncidentUpdated,
  UnitUpserted,
  UnitDispatched,
  UnitReleased,
  UnitStatusChanged,
  LogAppended,
  ChecklistStepSet,
] as const;
