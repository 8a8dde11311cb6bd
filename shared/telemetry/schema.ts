import { z } from 'zod';
import { SENSOR_UNITS, SensorKind } from './sensors';

/**
 * One reading: what a sensor on an asset measured at a time. `unit` is redundant
 * with `sensor` on purpose: it must match, so a source that changed its units is
 * caught at the boundary (see SENSOR_UNITS).
 */
export const Reading = z
  .object({
    assetId: z.string().min(1).max(64),
    sensor: SensorKind,
    unit: z.string().min(1).max(16),
    /** measurement time, ms since the epoch (the sensor's clock, not the hub's) */
    t: z.number().int().nonnegative(),
    value: z.number().finite(),
  })
  .refine((r) => SENSOR_UNITS[r.sensor] === r.unit, {
    message: 'unit does not match the sensor kind',
    path: ['unit'],
  });
export type Reading = z.infer<typeof Reading>;

export const TELEMETRY_BATCH_MAX = 10_000;

/**
 * Readings on the wire, sampled and batched. Deliberately outside the event log:
 * a lost batch is a gap in a chart, never a lost alert, so batches carry no
 * cursor and are never replayed. `seq` only lets the receiver count drops.
 */
export const TelemetryBatch = z.object({
  type: z.literal('telemetry.batch'),
  v: z.literal(1),
  /** who sent it: the hub, or a local second source on the control room's network */
  source: z.enum(['hub', 'local']),
  /** per-source sequence number; a jump means batches were dropped */
  seq: z.number().int().nonnegative(),
  readings: z.array(Reading).max(TELEMETRY_BATCH_MAX),
});
export type TelemetryBatch = z.infer<typeof TelemetryBatch>;
