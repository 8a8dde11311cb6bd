import { z } from 'zod';
import { LatLon } from './geo';
import { Actor } from './officer';

/** Incident types the hub knows SOP checklists for, plus the usual others. Add, never rename. */
export const IncidentTypes = [
  'bridge-structural',
  'gas-pressure-loss',
  'flooding',
  'earthquake',
  'power-outage',
  'fire',
  'hazmat',
  'medical-mass-casualty',
  'other',
] as const;
export const IncidentType = z.enum(IncidentTypes);
export type IncidentType = z.infer<typeof IncidentType>;

/** open → active → contained → closed; the allowed moves are in ./statusMachines. */
export const IncidentStatuses = ['open', 'active', 'contained', 'closed'] as const;
export const IncidentStatus = z.enum(IncidentStatuses);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** 1 = life safety now … 4 = routine. */
export const IncidentPriority = z.number().int().min(1).max(4);

/** A point (a bridge, a burst main) or an area (a flood zone) drawn on the map. */
export const IncidentLocation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('point'), point: LatLon }),
  z.object({ kind: z.literal('area'), ring: z.array(LatLon).min(3).max(5_000) }),
]);
export type IncidentLocation = z.infer<typeof IncidentLocation>;

/** ICS operational period: numbered from 1; the current one has no end. */
export const OperationalPeriod = z.object({
  number: z.number().int().positive(),
  start: z.string(),
  end: z.string().nullable(),
});
export type OperationalPeriod = z.infer<typeof OperationalPeriod>;

/** Incident ids are made by the console that opens it (UUIDv7), so it can dispatch to it offline. */
export const IncidentId = z.string().min(1).max(100);
/** INC-0042: given by the hub, gap-free, when it accepts the opening. */
export const IncidentNumber = z.string().regex(/^INC-\d{4,}$/);

export const Incident = z.object({
  id: IncidentId,
  number: IncidentNumber,
  title: z.string().min(1).max(300),
  type: IncidentType,
  priority: IncidentPriority,
  location: IncidentLocation.nullable(),
  commanderName: z.string().max(200),
  status: IncidentStatus,
  statusSince: z.string(),
  alertIds: z.array(z.string().min(1).max(1_100)).max(500),
  operationalPeriods: z.array(OperationalPeriod).min(1),
  openedAt: z.string(),
  openedBy: Actor,
});
export type Incident = z.infer<typeof Incident>;

/**
 * What the boards read: the incident as the hub confirmed it with this console's open
 * actions replayed on top. `number` is null while the opening is not yet confirmed.
 */
export const IncidentView = Incident.extend({
  number: IncidentNumber.nullable(),
  /** units committed to it (hub state + pending dispatches/releases here) */
  unitIds: z.array(z.string()),
  /** due times (ISO) of checklist steps still open, earliest first: overdue = due < now */
  openStepsDue: z.array(z.string()),
  /** an action on this incident made here and not yet confirmed by the hub */
  pending: z.boolean(),
});
export type IncidentView = z.infer<typeof IncidentView>;

/** The operational period in force (the last one). */
export const currentPeriod = (incident: Pick<Incident, 'operationalPeriods'>): number =>
  incident.operationalPeriods[incident.operationalPeriods.length - 1]?.number ?? 1;

/** A point for the map and for units on scene: the point, or the mean of the area's corners. */
export function incidentPoint(location: IncidentLocation | null): LatLon | null {
  if (!location) return null;
  if (location.kind === 'point') return location.point;
  const n = location.ring.length;
  return {
    lat: location.ring.reduce((s, p) => s + p.lat, 0) / n,
    lon: location.ring.reduce((s, p) => s + p.lon, 0) / n,
  };
}

export const formatIncidentNumber = (n: number): string => `INC-${String(n).padStart(4, '0')}`;
