import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCapDocument, usgsFeedToAlerts } from '../../shared/cap/index';
import type { CapAlert } from '../../shared/domain/cap';
import { HubEvent } from '../../shared/domain/events';
import { checkHot, safeParseHubEvent } from '../../shared/domain/hubEventCheck';
import { systemClock } from '../../shared/clock';
import { DemoCitySimulator } from '../../hub/simulator/simulator';
import { validAlert } from '../cap/arbitraries';

/**
 * The replica's check in front of HubEvent (decision 0039) must accept exactly what zod accepts
 * and return exactly what zod returns. Every sample and every mutation of it goes through both:
 * the check accepts ⇔ zod accepts, and then the two results are equal (deeply, `undefined`-valued
 * keys included, and as JSON, key order included).
 */

const DATA = join(__dirname, '../../../shared/data');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every CAP alert the corpus yields (XML documents and the USGS feeds), as the hub maps them. */
function corpusAlerts(): CapAlert[] {
  const out: CapAlert[] = [];
  for (const file of files(DATA)) {
    if (file.endsWith('.geojson')) {
      const verdict = usgsFeedToAlerts(JSON.parse(readFileSync(file, 'utf8')));
      for (const e of verdict.entries) if (e.alert) out.push(e.alert);
    } else if (!file.endsWith('.md') && !file.endsWith('.json')) {
      const { verdict } = parseCapDocument(new Uint8Array(readFileSync(file)));
      for (const e of verdict.entries) if (e.alert) out.push(e.alert);
    }
  }
  return out;
}

const at = '2026-11-29T03:00:00.000Z';
const alertEntry = (cap: unknown, seq = 7): Record<string, unknown> => ({
  seq,
  type: 'alert.received',
  at,
  mutationId: null,
  payload: { alertId: 'a-1', cap, source: { kind: 'cap-feed', name: 'corpus' } },
});

function simulatorEntries(count: number): Record<string, unknown>[] {
  const sim = DemoCitySimulator.start({ seed: 3, clock: systemClock });
  const drafts = [...sim.takeCity(), ...sim.take(count)];
  return drafts.map((d, i) => ({ seq: i + 1, at, mutationId: i % 5 === 0 ? `m-${i}` : null, ...d }));
}

/** Both parsers agree on `raw`; returns whether it was accepted. */
function agree(raw: unknown): boolean {
  const z = HubEvent.safeParse(raw);
  const fast = checkHot(raw);
  const label = () => JSON.stringify(raw)?.slice(0, 300);
  if (!z.success) {
    if (fast !== undefined) expect.fail(`check accepted what zod rejects: ${label()}`);
    return false;
  }
  const type = (z.data as { type: string }).type;
  if (type === 'alert.received' || type === 'asset.upserted') {
    if (fast === undefined) expect.fail(`check rejected what zod accepts: ${label()}`);
    expect(fast).toStrictEqual(z.data);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data));
  } else {
    expect(fast).toBeUndefined();
  }
  return true;
}

const LENGTHS = [0, 1, 35, 36, 40, 41, 64, 65, 100, 101, 200, 201, 500, 501, 1_000, 1_001, 2_000, 2_001, 4_000, 4_001];
const NUMBERS = [
  0, -0, 1, -1, 0.5, 1.5, 5, 6, 89.9, 90, 90.0001, -90, -90.0001, 180, 180.0001, -180, -180.0001, 20_000, 20_000.5,
  2 ** 53, -(2 ** 53), NaN, Infinity, -Infinity,
];
const OTHERS: unknown[] = [undefined, null, true, false, '', 'x', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00Z', [], {}];

/** Values to put in place of `value`: wrong types, bounds either side, emptied and shortened arrays. */
function replacements(value: unknown): unknown[] {
  const out: unknown[] = [...OTHERS, ...NUMBERS];
  if (typeof value === 'string') for (const n of LENGTHS) out.push('é'.repeat(n));
  if (Array.isArray(value)) {
    // A hole (a sparse array) reads as undefined in both parsers.
    const holey: unknown[] = [value[0]];
    holey[2] = value[0];
    out.push(value.slice(0, 3), value.slice(1), [...value, value[0]], holey);
    if (value.length > 0) out.push(Array.from({ length: 1_001 }, () => value[0]));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push({ ...value, unknownKey: 1 });
  return out;
}

/** Every mutation of `entry`: each value (long arrays: their ends) replaced, each key deleted or added. */
function* mutations(entry: unknown): Generator<unknown> {
  const clone = () => structuredClone(entry) as Record<string, unknown>;
  function* walk(value: unknown, path: (string | number)[]): Generator<(string | number)[]> {
    yield path;
    if (Array.isArray(value)) {
      const idx = value.length > 4 ? [0, value.length - 1] : value.map((_, i) => i);
      for (const i of idx) yield* walk(value[i], [...path, i]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) yield* walk(v, [...path, k]);
    }
  }
  const at = (root: unknown, path: (string | number)[]) =>
    path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
  for (const path of walk(entry, [])) {
    if (path.length === 0) continue;
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1]!;
    for (const r of replacements(at(entry, path))) {
      const c = clone();
      (at(c, parentPath) as Record<string | number, unknown>)[key] = r;
      yield c;
    }
    if (typeof key === 'string') {
      const c = clone();
      delete (at(c, parentPath) as Record<string, unknown>)[key];
      yield c;
    }
  }
  // Optional and defaulted keys absent in the samples, given values.
  const optional = ['altitude', 'size', 'uri', 'hasDerefUri', 'digest', 'audience', 'effective', 'onset', 'expires',
    'senderName', 'headline', 'web', 'contact', 'source', 'restriction', 'addresses', 'note', 'incidents', 'path',
    'language', 'responseType', 'eventCode', 'polygons', 'circles', 'geocodes', 'code', 'references'];
  for (const path of walk(entry, []))
    if (path.length > 0 && typeof path[path.length - 1] === 'string') {
      const parent = at(entry, path.slice(0, -1));
      if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) continue;
      for (const k of optional)
        if (!(k in parent))
          for (const r of [undefined, 'x', 'é'.repeat(36), 3, 1.5, -1, true, [], [{ lat: 1, lon: 2 }], null]) {
            const c = clone();
            (at(c, path.slice(0, -1)) as Record<string, unknown>)[k] = r;
            yield c;
          }
    }
}

describe('the hot-entry check in front of HubEvent (decision 0039)', () => {
  it('agrees with zod on every alert of the CAP corpus and on every mutation of a few of them', () => {
    const alerts = corpusAlerts();
    expect(alerts.length).toBeGreaterThan(20);
    for (const cap of alerts) expect(agree(alertEntry(cap))).toBe(true);
    // Mutations of the richest alerts of a moderate size (areas, parameters, references; the
    // longest arrays are mutated at their ends only).
    const size = (a: CapAlert) => JSON.stringify(a).length;
    const rich = alerts
      .filter((a) => size(a) < 6_000 && a.infos.some((i) => i.areas.length > 0))
      .sort((a, b) => size(b) - size(a))
      .slice(0, 2);
    let accepted = 0;
    let rejected = 0;
    for (const cap of rich)
      for (const m of mutations(alertEntry(cap))) {
        if (agree(m)) accepted++;
        else rejected++;
      }
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  }, 180_000);

  it('agrees with zod on the simulator (assets and alerts) and on every mutation of an asset and an alert', () => {
    const entries = simulatorEntries(300);
    for (const e of entries) expect(agree(e)).toBe(true);
    const linear = entries.find((e) => e.type === 'asset.upserted' && (e.payload as { path?: unknown }).path);
    const alert = entries.find(
      (e) => e.type === 'alert.received' && JSON.stringify(e).includes('"polygons":[['),
    );
    expect(linear && alert).toBeTruthy();
    for (const sample of [linear, { ...alert!, mutationId: 'm-1' }]) for (const m of mutations(sample)) agree(m);
  }, 120_000);

  it('agrees with zod on generated alerts', () => {
    fc.assert(
      fc.property(validAlert, fc.integer({ min: 1, max: 2 ** 40 }), (cap, seq) => {
        agree(alertEntry(cap, seq));
      }),
      { numRuns: 300 },
    );
  });

  it('measures string bounds as zod does, in code points (astral characters, lone surrogates)', () => {
    // zod 4.6 counts .max/.min in code points: '😀'.repeat(max) is 2 × max UTF-16 units and passes
    const alert = simulatorEntries(5).find((e) => e.type === 'alert.received')!;
    const asset = simulatorEntries(0).find((e) => e.type === 'asset.upserted')!;
    const set = (entry: Record<string, unknown>, path: (string | number)[], value: unknown) => {
      const c = structuredClone(entry);
      const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], c);
      (parent as Record<string | number, unknown>)[path.at(-1)!] = value;
      return c;
    };
    const fields: [Record<string, unknown>, (string | number)[], number][] = [
      [alert, ['payload', 'cap', 'identifier'], 500],
      [alert, ['payload', 'cap', 'infos', 0, 'language'], 35],
      [alert, ['payload', 'cap', 'infos', 0, 'event'], 500],
      [alert, ['payload', 'cap', 'infos', 0, 'areas', 0, 'areaDesc'], 2_000],
      [alert, ['payload', 'source', 'name'], 500],
      [asset, ['payload', 'id'], 64],
      [asset, ['payload', 'name'], 200],
    ];
    let accepted = 0;
    for (const [entry, path, max] of fields)
      for (const value of [
        '😀'.repeat(max),
        '😀'.repeat(max + 1),
        'x' + '😀'.repeat(max - 1),
        'xx' + '😀'.repeat(max - 1),
        '\uD800'.repeat(max),
        '\uD800'.repeat(max + 1),
        '\uDC00\uD800'.repeat(max / 2) + '\uDC00',
        '😀',
        '\uD800',
      ])
        if (agree(set(entry, path, value))) accepted++;
    expect(accepted).toBeGreaterThan(fields.length * 4);
  });

  it('rejects with zod’s own issues and leaves other entry types to zod', () => {
    const bad = alertEntry({ version: '1.2' });
    const r = safeParseHubEvent(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual(HubEvent.safeParse(bad).error?.issues);
    for (const raw of [null, 3, 'x', [], {}, { type: 'nope' }, { ...alertEntry({}), type: 'alert.acknowledged' }])
      expect(checkHot(raw)).toBeUndefined();
    const ack = {
      seq: 2,
      at,
      mutationId: 'm',
      type: 'alert.acknowledged',
      payload: { alertId: 'a', by: { name: 'Li', role: 'officer' }, hlc: '1:0:n' },
    };
    expect(safeParseHubEvent(ack)).toStrictEqual(HubEvent.safeParse(ack));
  });

  it('is a fresh copy: the input is neither returned nor shared', () => {
    const e = simulatorEntries(5).find((x) => x.type === 'alert.received')!;
    const out = checkHot(e) as { payload: { cap: { infos: unknown[] } } };
    expect(out).not.toBe(e);
    expect(out.payload.cap.infos).not.toBe((e.payload as { cap: { infos: unknown[] } }).cap.infos);
  });
});
