import { z } from 'zod';
import { AssetKind } from '../../domain/asset';
import { SensorKind } from '../sensors';

/**
 * Rules are data (decision 0030): one JSON file per asset kind in
 * assets/telemetry-rules/, parsed with these schemas on load. A file that does
 * not parse is refused whole; the console keeps the rules it had.
 */
const Level = z.object({
  /** the level is entered when the (filtered) value reaches this */
  enter: z.number().finite(),
  /** and left only when it falls back past this: the gap is the hysteresis */
  clear: z.number().finite(),
});

export const SensorRule = z
  .object({
    sensor: SensorKind,
    /** which way is dangerous: rising strain, falling pressure */
    direction: z.enum(['rising', 'falling']),
    warning: Level,
    alarm: Level,
    /** thresholds compare the median of the last N readings, so one spike never crosses a level */
    confirmSamples: z.number().int().min(1).max(15),
    trend: z.object({
      /** the sliding window the Theil–Sen slope is fitted over */
      windowMinutes: z
        .number()
        .positive()
        .max(24 * 60),
      /** fewer readings than this in the window: no trend, no prediction */
      minSamples: z.number().int().min(3).max(500),
      /** a trend counts only if its rise over the window exceeds this many robust noise sigmas */
      significanceSigmas: z.number().positive(),
    }),
    /** rate of change, per minute, in the dangerous direction; omitted = no rate rule */
    rate: z.object({ perMinute: z.number().positive() }).optional(),
    /** time-to-threshold: warn when the next level is predicted within the horizon */
    prediction: z
      .object({
        horizonMinutes: z
          .number()
          .positive()
          .max(24 * 60),
      })
      .optional(),
    health: z.object({
      /** the smallest change this sensor really resolves; sigmas are never taken below it */
      noiseFloor: z.number().positive(),
      /** frozen: this many readings in a row with no change; omitted for sensors that legitimately repeat (rain gauges read 0) */
      frozenSamples: z.number().int().min(3).max(1000).optional(),
      /** spiking: at least `count` out-and-back jumps larger than madK robust sigmas within the window */
      spike: z.object({ madK: z.number().positive(), count: z.number().int().min(1) }),
      /** missing: no reading for this long */
      missingAfterMinutes: z.number().positive(),
    }),
  })
  .superRefine((r, ctx) => {
    const up = r.direction === 'rising';
    const before = (a: number, b: number) => (up ? a < b : a > b);
    if (!before(r.warning.clear, r.warning.enter))
      ctx.addIssue({ code: 'custom', path: ['warning'], message: 'clear must lie on the safe side of enter' });
    if (!before(r.alarm.clear, r.alarm.enter))
      ctx.addIssue({ code: 'custom', path: ['alarm'], message: 'clear must lie on the safe side of enter' });
    if (!before(r.warning.enter, r.alarm.enter))
      ctx.addIssue({ code: 'custom', path: ['alarm'], message: 'the alarm level must lie beyond the warning level' });
  });
export type SensorRule = z.infer<typeof SensorRule>;

export const RuleSet = z.object({
  assetKind: AssetKind,
  /** narrows the set to assets whose name starts with this (gas mains vs water mains); the longest match wins */
  namePrefix: z.string().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
  sensors: z.array(SensorRule).min(1).max(32),
});
export type RuleSet = z.infer<typeof RuleSet>;

/** Parse one rules file's JSON; the error names the path of the first problem. */
export function parseRuleSet(json: unknown): { ok: true; value: RuleSet } | { ok: false; message: string } {
  const parsed = RuleSet.safeParse(json);
  if (parsed.success) {
    const seen = new Set<string>();
    for (const s of parsed.data.sensors) {
      if (seen.has(s.sensor)) return { ok: false, message: `sensor ${s.sensor} has two rules` };
      seen.add(s.sensor);
    }
    return { ok: true, value: parsed.data };
  }
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid rules'}` };
}
