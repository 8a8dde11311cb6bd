import type { ActivityLogEntryView } from '../../shared/domain/activityLog';
import type { ChecklistStepView } from '../../shared/domain/checklist';
import type { IncidentView } from '../../shared/domain/incident';
import type { MutationPayload } from '../../shared/domain/mutations';
import type { Actor } from '../../shared/domain/officer';
import type { UnitView } from '../../shared/domain/unit';

/**
 * Overlays of the incident-response mutations (decision 0008): how an open outbox row
 * changes the views it touches until the hub confirms or refuses it. Registered in
 * ./mutations (`mutationKinds`).
 */

/** What an overlay knows about the row it replays. */
export interface OverlayRow {
  readonly mutationId: string;
  /** when the officer acted (the row's created_at) */
  readonly at: string;
  /** the officer signed in on this console, as the hub last told it */
  readonly officer: Actor;
}

export interface ResponseOverlays {
  /** null in, a view out: the action creates the incident (incident.open) */
  incident?: (view: IncidentView | null, row: OverlayRow) => IncidentView | null;
  unit?: (view: UnitView, row: OverlayRow) => UnitView;
  step?: (view: ChecklistStepView, row: OverlayRow) => ChecklistStepView;
  /** a pending activity-log entry the action adds */
  logEntry?: (row: OverlayRow) => ActivityLogEntryView;
}

export const incidentTarget = (id: string): string => `incident:${id}`;
export const unitTarget = (id: string): string => `unit:${id}`;
export const stepTarget = (incidentId: string, stepId: string): string => `step:${incidentId}/${stepId}`;
export const logTarget = (entryId: string): string => `log:${entryId}`;

const pendingIncident = (view: IncidentView | null, change: (v: IncidentView) => IncidentView): IncidentView | null =>
  view ? { ...change(view), pending: true } : null;

export const responseOverlays = {
  'incident.open': (p: MutationPayload<'incident.open'>): ResponseOverlays => ({
    incident: (view, row) =>
      view ?? {
        id: p.incidentId,
        number: null,
        title: p.title,
        type: p.incidentType,
        priority: p.priority,
        location: p.location ?? null,
        commanderName: p.commanderName ?? row.officer.name,
        status: 'open',
        statusSince: row.at,
        alertIds: p.alertIds ?? [],
        operationalPeriods: [{ number: 1, start: row.at, end: null }],
        openedAt: row.at,
        openedBy: row.officer,
        unitIds: [],
        openStepsDue: [],
        pending: true,
      },
  }),
  'incident.setStatus': (p: MutationPayload<'incident.setStatus'>): ResponseOverlays => ({
    incident: (view, row) => pendingIncident(view, (v) => ({ ...v, status: p.status, statusSince: row.at })),
  }),
  'incident.update': (p: MutationPayload<'incident.update'>): ResponseOverlays => ({
    incident: (view, row) =>
      pendingIncident(view, (v) => {
        const periods = p.startOperationalPeriod
          ? [
              ...v.operationalPeriods.map((op) => (op.end === null ? { ...op, end: row.at } : op)),
              { number: (v.operationalPeriods.at(-1)?.number ?? 0) + 1, start: row.at, end: null },
            ]
          : v.operationalPeriods;
        return {
          ...v,
          ...(p.title !== undefined ? { title: p.title } : {}),
          ...(p.incidentType !== undefined ? { type: p.incidentType } : {}),
          ...(p.priority !== undefined ? { priority: p.priority } : {}),
          ...(p.location !== undefined ? { location: p.location } : {}),
          ...(p.commanderName !== undefined ? { commanderName: p.commanderName } : {}),
          alertIds: [...new Set([...v.alertIds, ...(p.addAlertIds ?? [])])],
          operationalPeriods: periods,
        };
      }),
  }),
  'unit.dispatch': (p: MutationPayload<'unit.dispatch'>): ResponseOverlays => ({
    unit: (view, row) =>
      p.unitIds.includes(view.id)
        ? {
            ...view,
            status: 'dispatched',
            statusSince: row.at,
            incidentId: p.incidentId,
            assignedBy: row.officer.position ? `${row.officer.name} (${row.officer.position})` : row.officer.name,
            pending: true,
          }
        : view,
  }),
  'unit.release': (p: MutationPayload<'unit.release'>): ResponseOverlays => ({
    unit: (view, row) =>
      view.id === p.unitId && view.incidentId === p.incidentId
        ? { ...view, status: 'available', statusSince: row.at, incidentId: null, assignedBy: null, pending: true }
        : view,
  }),
  'unit.setStatus': (p: MutationPayload<'unit.setStatus'>): ResponseOverlays => ({
    unit: (view, row) => {
      if (view.id !== p.unitId) return view;
      const freed = p.status === 'available' || p.status === 'out-of-service';
      return {
        ...view,
        status: p.status,
        statusSince: row.at,
        ...(freed ? { incidentId: null, assignedBy: null } : {}),
        pending: true,
      };
    },
  }),
  'log.append': (p: MutationPayload<'log.append'>): ResponseOverlays => ({
    logEntry: (row) => ({
      id: p.entryId,
      seq: null,
      incidentId: p.incidentId,
      operationalPeriod: null,
      at: row.at,
      author: row.officer.name,
      position: row.officer.position ?? '',
      text: p.text,
      kind: 'manual',
      corrects: p.corrects ?? null,
      action: 'log.append',
      pending: true,
    }),
  }),
  'checklist.setStep': (p: MutationPayload<'checklist.setStep'>): ResponseOverlays => ({
    step: (view, row) =>
      view.incidentId === p.incidentId && view.stepId === p.stepId
        ? {
            ...view,
            state: p.state,
            remark: p.remark ?? view.remark,
            by: row.officer.position ? `${row.officer.name} (${row.officer.position})` : row.officer.name,
            at: row.at,
            pending: true,
          }
        : view,
  }),
} as const;

export type ResponseMutationType = keyof typeof responseOverlays;

/** Every entity an action touches, as targets; the first is the row's `target`. */
export const responseTouches = {
  'incident.open': (p: MutationPayload<'incident.open'>) => [incidentTarget(p.incidentId)],
  'incident.setStatus': (p: MutationPayload<'incident.setStatus'>) => [incidentTarget(p.incidentId)],
  'incident.update': (p: MutationPayload<'incident.update'>) => [incidentTarget(p.incidentId)],
  'unit.dispatch': (p: MutationPayload<'unit.dispatch'>) => [
    incidentTarget(p.incidentId),
    ...p.unitIds.map(unitTarget),
  ],
  'unit.release': (p: MutationPayload<'unit.release'>) => [unitTarget(p.unitId), incidentTarget(p.incidentId)],
  'unit.setStatus': (p: MutationPayload<'unit.setStatus'>) => [unitTarget(p.unitId)],
  'log.append': (p: MutationPayload<'log.append'>) => [
    logTarget(p.entryId),
    ...(p.incidentId ? [incidentTarget(p.incidentId)] : []),
  ],
  'checklist.setStep': (p: MutationPayload<'checklist.setStep'>) => [
    stepTarget(p.incidentId, p.stepId),
    incidentTarget(p.incidentId),
  ],
} as const;
