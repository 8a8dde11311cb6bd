import { z } from 'zod';
import { LatLon } from './geo';

/** Response unit kinds of the demo city and most municipal EOCs. Add, never rename. */
export const UnitTypes = [
  'fire-engine',
  'fire-ladder',
  'ambulance',
  'water-crew',
  'gas-crew',
  'power-crew',
  'bridge-inspection',
  'police',
  'hazmat',
] as const;
export const UnitType = z.enum(UnitTypes);
export type UnitType = z.infer<typeof UnitType>;

/** available → dispatched → en-route → on-scene → clearing → available, plus out-of-service (./statusMachines). */
export const UnitStatuses = ['available', 'dispatched', 'en-route', 'on-scene', 'clearing', 'out-of-service'] as const;
export const UnitStatus = z.enum(UnitStatuses);
export type UnitStatus = z.infer<typeof UnitStatus>;

/** E12, A3, WC1, BI1 … what dispatchers say on the radio. */
export const UnitId = z.string().regex(/^[A-Z]{1,4}\d{1,4}$/);

export const Unit = z.object({
  id: UnitId,
  callSign: z.string().min(1).max(100),
  type: UnitType,
  /** where it returns to: a station, hospital or depot (asset id when the city has one) */
  homeStation: z.object({
    name: z.string().min(1).max(200),
    assetId: z.string().max(64).nullable(),
    /** where an available unit stands by */
    location: LatLon.optional(),
  }),
  position: LatLon,
  status: UnitStatus,
  statusSince: z.string(),
  incidentId: z.string().nullable(),
  /** who committed it to its incident, "Name (Position)", for the refusal a second dispatcher gets */
  assignedBy: z.string().max(420).nullable(),
});
export type Unit = z.infer<typeof Unit>;

/** The unit as the boards show it: hub state with this console's open actions on top. */
export const UnitView = Unit.extend({
  /** a dispatch, release or status change made here and not yet confirmed by the hub */
  pending: z.boolean(),
});
export type UnitView = z.infer<typeof UnitView>;
