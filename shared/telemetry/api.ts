import { z } from 'zod';
import { RuleSet } from './rules/schema';
import { SensorKind } from './sensors';

/**
 * The telemetry part of the ConsoleApi (issue 9): the contract between the replica
 * worker (storage, the edge rule engine) and the renderer (charts, sparklines, the
 * map's colours). The channels themselves are declared in ../api.ts from these
 * schemas; everything here crosses the IPC boundary and is parsed there.
 */

const assetId = z.string().min(1).max(64);

/** Where a sensor stands now, worst first: danger outranks a faulty sensor, which outranks normal. */
export const TelemetryLevel = z.enum(['normal', 'warning', 'alarm']);
export type TelemetryLevel = z.infer<typeof TelemetryLevel>;

export const SensorHealth = z.enum(['ok', 'frozen', 'spiking', 'missing']);
export type SensorHealth = z.infer<typeof SensorHealth>;

/** One sensor's latest state, as the console's own rule engine sees it. */
export const SensorState = z.object({
  assetId,
  sensor: SensorKind,
  unit: z.string().max(16),
  /** time of the latest reading, ms since the epoch; null: nothing received yet */
  t: z.number().int().nonnegative().nullable(),
  value: z.number().finite().nullable(),
  level: TelemetryLevel,
  health: SensorHealth,
  /** robust trend, sensor units per minute; null while the window is too thin */
  slopePerMinute: z.number().finite().nullable(),
  /** the time-to-threshold prediction in force, if any: "alarm in ~14 min" */
  prediction: z
    .object({ level: z.enum(['warning', 'alarm']), minutes: z.number().nonnegative(), atT: z.number().int() })
    .nullable(),
});
export type SensorState = z.infer<typeof SensorState>;

/**
 * Worst current state of an asset, for the map's colours and the asset lists:
 * 'alarm' > 'warning' > 'fault' (a sensor needs maintenance) > 'normal'; 'stale'
 * when none of its sensors has reported within its missing window.
 */
export const AssetTelemetryState = z.enum(['alarm', 'warning', 'fault', 'stale', 'normal']);
export type AssetTelemetryState = z.infer<typeof AssetTelemetryState>;

/** Pushed at most once a second: only the sensors whose state or value changed. */
export const TelemetryStatusPush = z.object({
  sensors: z.array(SensorState).max(100_000),
  /** assets whose worst state changed */
  assets: z.array(z.object({ assetId, state: AssetTelemetryState })).max(100_000),
  /** readings refused at the boundary and batches seen missing, since the console started */
  counters: z
    .object({
      accepted: z.number().int().nonnegative(),
      refused: z.number().int().nonnegative(),
      droppedBatches: z.number().int().nonnegative(),
    })
    .optional(),
});
export type TelemetryStatusPush = z.infer<typeof TelemetryStatusPush>;

/** Resolution of a series: raw readings (kept for the last hour) or 1-minute buckets (kept for 7 days). */
export const SeriesResolution = z.enum(['raw', 'minute']);
export type SeriesResolution = z.infer<typeof SeriesResolution>;

export const TelemetrySeriesArgs = z.object({
  assetId,
  sensor: SensorKind,
  /** ms since the epoch; default: one hour before `to` */
  from: z.number().int().nonnegative().optional(),
  /** default: now */
  to: z.number().int().nonnegative().optional(),
  /** default: raw when the span lies within the raw retention, else minute */
  resolution: SeriesResolution.optional(),
});
export type TelemetrySeriesArgs = z.input<typeof TelemetrySeriesArgs>;

/** Columns, not rows: uPlot takes them as they are. Raw points have min = mean = max. */
export const TelemetrySeries = z.object({
  assetId,
  sensor: SensorKind,
  unit: z.string().max(16),
  resolution: SeriesResolution,
  t: z.array(z.number().int()).max(20_000),
  mean: z.array(z.number()).max(20_000),
  min: z.array(z.number()).max(20_000),
  max: z.array(z.number()).max(20_000),
  /** the rule in force for this sensor, to draw its levels; null when no rule covers it */
  levels: z
    .object({
      direction: z.enum(['rising', 'falling']),
      warning: z.number().finite(),
      alarm: z.number().finite(),
    })
    .nullable(),
  /** the sensor's state now (value, level, prediction) */
  state: SensorState.nullable(),
});
export type TelemetrySeries = z.infer<typeof TelemetrySeries>;

/** Sparklines for an asset list: the last hour of one sensor per asset, in at most 60 points. */
export const SparklinesArgs = z.object({ assetIds: z.array(assetId).min(1).max(500) });
export const Sparklines = z.array(
  z.object({ assetId, sensor: SensorKind, unit: z.string().max(16), values: z.array(z.number()).max(60) }),
);
export type Sparklines = z.infer<typeof Sparklines>;

/** The rules in force: the bundled defaults, overridden per rule set by supervisors' edits on the hub. */
export const TelemetryRules = z.object({
  ruleSets: z.array(
    z.object({
      ruleSet: RuleSet,
      /** 'bundled': assets/telemetry-rules as shipped; 'edited': a supervisor's change on the log */
      source: z.enum(['bundled', 'edited']),
      updatedAt: z.string().nullable(),
      updatedBy: z.string().nullable(),
      /** optional additions (decision 0034): the edit's reason; an edit of this console the hub has not confirmed yet */
      reason: z.string().max(2_000).optional(),
      pending: z.boolean().optional(),
    }),
  ),
  /** bundled rules files refused at start (RULES_FILE_INVALID): left out, the others kept */
  refusedFiles: z
    .array(z.object({ file: z.string(), code: z.literal('RULES_FILE_INVALID'), message: z.string() }))
    .optional(),
});
export type TelemetryRules = z.infer<typeof TelemetryRules>;

/** A supervisor's edit of one rule set; the reason goes on the log with it. */
export const SetTelemetryRuleArgs = z.object({ ruleSet: RuleSet, reason: z.string().min(1).max(2_000) });
export type SetTelemetryRuleArgs = z.input<typeof SetTelemetryRuleArgs>;
