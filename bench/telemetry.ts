import { buildDemoCity, type CityAsset } from '../hub/simulator/city';
import { citySensors, telemetryReading, type SimSensor } from '../hub/simulator/telemetry';
import { TelemetryRuleEngine } from '../shared/telemetry/rules/engine';
import { parseRuleSet, type RuleSet } from '../shared/telemetry/rules/schema';
import { TelemetryBatch, type Reading } from '../shared/telemetry/schema';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './harness';
import type { Figure } from './report';

/**
 * Telemetry at the edge (issue 9, decision 0030): the console's rule engine over
 * 1 000 sensors (the demo city's 159, repeated on copies of its assets), each
 * reading one a minute. Readings are generated beforehand; what is timed is
 * parsing the batches with zod (the boundary) and evaluating every rule on every
 * reading (threshold, rate, Theil–Sen time-to-threshold, health), after a
 * 30-minute warm-up so every window is full.
 */
const MINUTE = 60_000;
const SENSORS = 1_000;
const here = dirname(fileURLToPath(import.meta.url));

function ruleSets(): RuleSet[] {
  const dir = join(here, '..', 'assets', 'telemetry-rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const parsed = parseRuleSet(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      if (!parsed.ok) throw new Error(`${f}: ${parsed.message}`);
      return parsed.value;
    });
}

export async function telemetry(ctx: BenchContext): Promise<Figure[]> {
  const base = citySensors(buildDemoCity());
  const sensors: SimSensor[] = [];
  for (let copy = 0; sensors.length < SENSORS; copy++)
    for (const s of base) {
      if (sensors.length >= SENSORS) break;
      const asset: CityAsset =
        copy === 0 ? s.asset : { ...s.asset, asset: { ...s.asset.asset, id: `${s.asset.asset.id}-x${copy}` } };
      sensors.push({ asset, sensor: s.sensor });
    }
  const engine = new TelemetryRuleEngine(ruleSets(), [
    ...new Map(sensors.map((s) => [s.asset.asset.id, s.asset.asset])).values(),
  ]);
  const minutes = ctx.quick ? 30 : 120;
  const start = Date.UTC(2026, 10, 23, 6);
  const warmup = 30;
  const rounds: Reading[][] = [];
  for (let m = 0; m < warmup + minutes; m++)
    rounds.push(
      sensors
        .map((s) => telemetryReading(s.asset, s.sensor, start + m * MINUTE))
        .filter((r): r is Reading => r !== null),
    );
  for (const round of rounds.slice(0, warmup)) for (const r of round) engine.ingest(r);

  const timed = rounds.slice(warmup);
  const wire = timed.map((readings, seq) =>
    JSON.stringify({ type: 'telemetry.batch', v: 1, source: 'hub', seq, readings }),
  );
  let parsed = 0;
  const p0 = performance.now();
  const batches = wire.map((text) => {
    const b = TelemetryBatch.parse(JSON.parse(text));
    parsed += b.readings.length;
    return b;
  });
  const parseMs = performance.now() - p0;

  let evaluated = 0;
  let drafts = 0;
  const e0 = performance.now();
  for (const b of batches) {
    for (const r of b.readings) drafts += engine.ingest(r).length;
    evaluated += b.readings.length;
  }
  const evalMs = performance.now() - e0;
  ctx.note(
    `telemetry: ${sensors.length} sensors × ${minutes} one-minute rounds; ${drafts} drafts raised (the demo city at rest: expected 0).`,
  );
  return [
    {
      name: 'telemetry readings evaluated per second',
      value: Math.round(evaluated / (evalMs / 1000)),
      unit: 'readings/s',
    },
    {
      name: 'telemetry rule evaluation per 1 000 sensors (one reading each)',
      value: +((evalMs / minutes) * (1000 / sensors.length)).toFixed(2),
      unit: 'ms',
    },
    {
      name: 'telemetry batches parsed (zod) per second',
      value: Math.round(parsed / (parseMs / 1000)),
      unit: 'readings/s',
    },
    {
      name: 'telemetry ingest end to end (parse + rules) per second',
      value: Math.round(evaluated / ((parseMs + evalMs) / 1000)),
      unit: 'readings/s',
    },
  ];
}
