import type { AppError } from '../errors';
import type { IncidentStatus } from './incident';
import type { UnitStatus, UnitType } from './unit';

/**
 * The status machines of incidents and units, in ONE place: the hub decides with
 * these tables and the console predicts the same outcome with them (STYLE.md,
 * "a domain rule lives in one place"). A move not listed here does not exist:
 * the hub refuses it with BAD_REQUEST.
 */

/**
 * open → active → contained → closed. An open incident may be stood down (closed)
 * before it was ever worked; a contained one may flare up again (active). Closed is
 * final: a new situation is a new incident.
 */
export const INCIDENT_TRANSITIONS: { readonly [S in IncidentStatus]: readonly IncidentStatus[] } = {
  open: ['active', 'closed'],
  active: ['contained'],
  contained: ['active', 'closed'],
  closed: [],
};

/**
 * Moves made with `unit.setStatus`. `dispatched` is reached only by `unit.dispatch`
 * (it needs an incident); `unit.release` returns a committed unit to `available`.
 * Any unit may drop out of service (breakdown, crew injury), which frees it from its
 * incident; it comes back as `available`.
 */
export const UNIT_TRANSITIONS: { readonly [S in UnitStatus]: readonly UnitStatus[] } = {
  available: ['out-of-service'],
  dispatched: ['en-route', 'out-of-service'],
  'en-route': ['on-scene', 'out-of-service'],
  'on-scene': ['clearing', 'out-of-service'],
  clearing: ['available', 'out-of-service'],
  'out-of-service': ['available'],
};

/** `unit.dispatch` without `reassign` takes only units in these states. */
export const DISPATCHABLE_FROM: readonly UnitStatus[] = ['available'];
/** `unit.dispatch` with `reassign: true` may also take a unit committed to another incident in these states. */
export const REASSIGNABLE_FROM: readonly UnitStatus[] = ['dispatched', 'en-route', 'on-scene', 'clearing'];
/** States in which a unit belongs to an incident. */
export const COMMITTED: readonly UnitStatus[] = ['dispatched', 'en-route', 'on-scene', 'clearing'];

/**
 * Minutes a unit of each type may hold a status before the boards show it overdue
 * (a dispatched engine that has not gone en route in 2 minutes needs a call).
 * `null`: no limit. The console may override per type in its settings later.
 */
export const UNIT_STATUS_LIMITS_MIN: {
  readonly [T in UnitType]: { readonly [S in UnitStatus]: number | null };
} = {
  'fire-engine': {
    available: null,
    dispatched: 2,
    'en-route': 10,
    'on-scene': 120,
    clearing: 30,
    'out-of-service': 480,
  },
  'fire-ladder': {
    available: null,
    dispatched: 2,
    'en-route': 12,
    'on-scene': 120,
    clearing: 30,
    'out-of-service': 480,
  },
  ambulance: { available: null, dispatched: 2, 'en-route': 8, 'on-scene': 30, clearing: 20, 'out-of-service': 240 },
  'water-crew': {
    available: null,
    dispatched: 10,
    'en-route': 30,
    'on-scene': 360,
    clearing: 60,
    'out-of-service': 720,
  },
  'gas-crew': { available: null, dispatched: 5, 'en-route': 20, 'on-scene': 240, clearing: 60, 'out-of-service': 720 },
  'power-crew': {
    available: null,
    dispatched: 10,
    'en-route': 30,
    'on-scene': 360,
    clearing: 60,
    'out-of-service': 720,
  },
  'bridge-inspection': {
    available: null,
    dispatched: 10,
    'en-route': 30,
    'on-scene': 240,
    clearing: 60,
    'out-of-service': 720,
  },
  police: { available: null, dispatched: 2, 'en-route': 10, 'on-scene': 180, clearing: 30, 'out-of-service': 480 },
  hazmat: { available: null, dispatched: 5, 'en-route': 20, 'on-scene': 240, clearing: 90, 'out-of-service': 720 },
};

export const canMoveIncident = (from: IncidentStatus, to: IncidentStatus): boolean =>
  INCIDENT_TRANSITIONS[from].includes(to);

export const canMoveUnit = (from: UnitStatus, to: UnitStatus): boolean => UNIT_TRANSITIONS[from].includes(to);

/** Whether a unit has held its status past its type's limit. */
export function isUnitOverdue(
  unit: { readonly type: UnitType; readonly status: UnitStatus; readonly statusSince: string },
  nowMs: number,
  limits: typeof UNIT_STATUS_LIMITS_MIN = UNIT_STATUS_LIMITS_MIN,
): boolean {
  const limit = limits[unit.type][unit.status];
  if (limit === null) return false;
  const since = Date.parse(unit.statusSince);
  return Number.isFinite(since) && nowMs - since > limit * 60_000;
}

// ── refusals both sides word the same way ────────────────────────────────────

const say = (code: AppError['code'], message: string): AppError => ({ code, message });
const label = (s: string): string => s.replace(/-/g, ' ');

/** null when the move exists; else the refusal (BAD_REQUEST: the transition does not exist). */
export function incidentTransitionRefusal(
  incident: { readonly number: string | null; readonly status: IncidentStatus },
  to: IncidentStatus,
): AppError | null {
  if (canMoveIncident(incident.status, to)) return null;
  const name = incident.number ?? 'This incident';
  const options = INCIDENT_TRANSITIONS[incident.status];
  return say(
    'BAD_REQUEST',
    incident.status === to
      ? `${name} is already ${label(to)}.`
      : `${name} is ${label(incident.status)} and cannot go to ${label(to)}; ` +
          (options.length ? `it can go to ${options.map(label).join(' or ')}.` : 'a closed incident stays closed.'),
  );
}

export function unitTransitionRefusal(
  unit: { readonly id: string; readonly status: UnitStatus },
  to: UnitStatus,
): AppError | null {
  if (canMoveUnit(unit.status, to)) return null;
  if (to === 'dispatched')
    return say('BAD_REQUEST', `${unit.id} becomes dispatched only by dispatching it to an incident.`);
  const options = UNIT_TRANSITIONS[unit.status];
  return say(
    'BAD_REQUEST',
    unit.status === to
      ? `${unit.id} is already ${label(to)}.`
      : `${unit.id} is ${label(unit.status)} and cannot go to ${label(to)}; it can go to ${options.map(label).join(' or ')}.`,
  );
}

/** What a dispatch decision needs to know about one unit. */
export interface DispatchUnitFacts {
  readonly id: string;
  readonly status: UnitStatus;
  readonly incidentId: string | null;
  /** the number of the incident it is committed to, if any (INC-0041) */
  readonly incidentNumber: string | null;
  /** "Name (Position)" of whoever committed it */
  readonly assignedBy: string | null;
}

/**
 * null when `unit` may be dispatched to `incidentId`; else the refusal. A unit committed
 * elsewhere is refused with who holds it, unless the officer reassigns it explicitly.
 */
export function dispatchRefusal(
  unit: DispatchUnitFacts,
  incident: { readonly id: string; readonly number: string | null },
  reassign: boolean,
): AppError | null {
  const holder = (): string =>
    `${unit.incidentNumber ?? 'another incident'}${unit.assignedBy ? ` (dispatched by ${unit.assignedBy})` : ''}`;
  if (unit.status === 'out-of-service')
    return say('CONFLICT', `${unit.id} is out of service; pick another unit or put it back in service first.`);
  if (unit.incidentId === incident.id)
    return say(
      'CONFLICT',
      `${unit.id} is already committed to ${incident.number ?? 'this incident'}${unit.assignedBy ? ` (dispatched by ${unit.assignedBy})` : ''}; nothing to do.`,
    );
  if (unit.incidentId !== null) {
    if (reassign && REASSIGNABLE_FROM.includes(unit.status)) return null;
    return say(
      'CONFLICT',
      `${unit.id} is committed to ${holder()} and is ${label(unit.status)}; reassign it explicitly to take it off that incident.`,
    );
  }
  if (!DISPATCHABLE_FROM.includes(unit.status))
    return say('CONFLICT', `${unit.id} is ${label(unit.status)}, not available; wait until it is available.`);
  return null;
}
