import type { Asset } from '../shared/domain/asset';
import { systemClock } from '../shared/clock';
import { DemoCitySimulator } from '../hub/simulator/simulator';
import { HubStore } from '../hub/store/hubStore';

/**
 * Bench data. The demo simulator makes about 3 000–6 000 alert events/s on this machine,
 * far too slow to make a million; so a few thousand simulator alerts are made once and
 * cloned under new identifiers, and the log is written straight into the hub's store
 * in bulk (no per-entry HubEvent.parse: the console parses every entry anyway).
 */

/** One alert.received payload as JSON, from the demo simulator (real CAP shape, ~2.3 KB). */
export function simulatorAlertPayloads(count: number, seed = 1): string[] {
  const sim = DemoCitySimulator.start({ seed, clock: systemClock });
  sim.takeCity();
  return sim.take(count).map((d) => JSON.stringify(d.payload));
}

const IDENTIFIER = /PH-(\d{8})/g;

/**
 * The same payload under a new identifier family: every `PH-nnnnnnnn` (alert id,
 * CAP identifier, references) becomes `PH-c<cycle>-nnnnnnnn`, so an Update still
 * references the Alert of its own cycle.
 */
export function cloneAlertPayload(json: string, cycle: number): string {
  return cycle === 0 ? json : json.replace(IDENTIFIER, `PH-c${cycle}-$1`);
}

/** The alert id inside a payload made by cloneAlertPayload (hub alert state rows). */
export function alertIdOf(json: string): string {
  const m = /"alertId":"((?:[^"\\]|\\.)*)"/.exec(json);
  if (!m) throw new Error('bench: an alert payload without alertId');
  return JSON.parse(`"${m[1]}"`) as string;
}

/** `count` assets spread over the demo city's extent, kinds and districts taken from it. */
export function syntheticAssets(count: number, seed = 1): Asset[] {
  const city = DemoCitySimulator.start({ seed, clock: systemClock }).city.assets.map((a) => a.asset);
  const lats = city.map((a) => a.location.lat);
  const lons = city.map((a) => a.location.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  let r = seed >>> 0 || 1;
  const rand = () => (r = (Math.imul(r, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
  const out: Asset[] = [];
  for (let i = 0; i < count; i++) {
    const base = city[i % city.length]!;
    out.push({
      id: `BA-${i.toString().padStart(7, '0')}`,
      kind: base.kind,
      name: `${base.name} ${i}`,
      district: base.district,
      criticality: base.criticality,
      location: { lat: minLat + rand() * (maxLat - minLat), lon: minLon + rand() * (maxLon - minLon) },
    });
  }
  return out;
}

export interface BulkLog {
  assets: number;
  alerts: number;
  seconds: number;
  head: number;
}

/**
 * Appends `assets` asset.upserted entries, then `alerts` alert.received entries (cloned
 * simulator alerts), straight into the hub store at `file`, in transactions of 10 000,
 * with the hub's alert state rows. Run with no hub open on the file.
 */
export function writeHubLog(
  file: string,
  options: { assets: number; alerts: number; templates: readonly string[]; at?: string },
): BulkLog {
  const started = performance.now();
  const store = HubStore.open(file, systemClock);
  const db = store.db;
  try {
    db.pragma('synchronous = OFF');
    const insertEvent = db.prepare(
      'INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (?, ?, ?, NULL, ?)',
    );
    const insertAlert = db.prepare('INSERT INTO alerts (id, received_seq) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
    const at = options.at ?? new Date().toISOString();
    let seq = store.head();
    const assets = syntheticAssets(options.assets);
    const chunk = 10_000;
    const writeAssets = db.transaction((slice: Asset[]) => {
      for (const a of slice) insertEvent.run(++seq, 'asset.upserted', at, JSON.stringify(a));
    });
    for (let i = 0; i < assets.length; i += chunk) writeAssets(assets.slice(i, i + chunk));
    const t = options.templates;
    const writeAlerts = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const json = cloneAlertPayload(t[i % t.length]!, Math.floor(i / t.length));
        insertEvent.run(++seq, 'alert.received', at, json);
        insertAlert.run(alertIdOf(json), seq);
      }
    });
    for (let i = 0; i < options.alerts; i += chunk) writeAlerts(i, Math.min(options.alerts, i + chunk));
    return { assets: options.assets, alerts: options.alerts, seconds: (performance.now() - started) / 1000, head: seq };
  } finally {
    store.close();
  }
}

let templates: string[] | null = null;
/** 5 000 simulator alerts, made once per run (about 1–2 s). */
export function alertTemplates(): string[] {
  templates ??= simulatorAlertPayloads(5_000);
  return templates;
}

/**
 * A log as the hub would serve it: `assets` asset.upserted entries, then alert.received entries
 * cloned from `templates` (default: the simulator's alerts) under new identifiers per cycle,
 * until `n` entries in all. For the apply and parse profiles (bench/apply-*.ts, parse-check.ts).
 */
export function syntheticLog(n: number, assets: number, templates: readonly string[] = alertTemplates()): unknown[] {
  const at = new Date().toISOString();
  const entries: unknown[] = [];
  for (const a of syntheticAssets(assets))
    entries.push({ seq: entries.length + 1, type: 'asset.upserted', at, mutationId: null, payload: a });
  for (let i = 0; entries.length < n; i++)
    entries.push({
      seq: entries.length + 1,
      type: 'alert.received',
      at,
      mutationId: null,
      payload: JSON.parse(
        cloneAlertPayload(templates[i % templates.length]!, Math.floor(i / templates.length)),
      ) as unknown,
    });
  return entries;
}
