import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { AlertReceived, AssetUpserted } from '../../shared/domain/events';
import { type CapAlert } from '../../shared/domain/cap';
import { cityBasemap } from '../../hub/simulator/basemap';
import { buildDemoCity } from '../../hub/simulator/city';
import { pointInRing, toXy } from '../../hub/simulator/geometry';
import { DemoCitySimulator, type SimulatorState } from '../../hub/simulator/simulator';
import { demoRoster } from '../../hub/simulator/units';
import { startHub } from '../../hub/server';
import { ask, consoleFor, eventually, tempDir } from './helpers';
import { HelloAck, PullAck } from '../../shared/protocol';

const START = Date.parse('2026-11-28T06:00:00Z');
const run = (seed: number, count: number) =>
  DemoCitySimulator.start({ seed, clock: new ManualClock(START) }).take(count);

describe('demo city', () => {
  const city = buildDemoCity();

  it('is a coherent city: a few hundred valid assets, each inside its district, bridges on the river', () => {
    expect(city.assets.length).toBeGreaterThanOrEqual(200);
    const ids = new Set(city.assets.map((a) => a.asset.id));
    expect(ids.size).toBe(city.assets.length);
    const kinds = new Set(city.assets.map((a) => a.asset.kind));
    for (const k of [
      'bridge',
      'tunnel',
      'pipeline',
      'pumping_station',
      'river_gauge',
      'substation',
      'hospital',
      'shelter',
    ]) {
      expect(kinds.has(k as never)).toBe(true);
    }
    for (const { asset } of city.assets) {
      expect(AssetUpserted.shape.payload.safeParse(asset).success).toBe(true);
      const district = city.districts.find((d) => d.name === asset.district);
      expect(district, `${asset.id} in ${asset.district}`).toBeDefined();
      expect(pointInRing(toXy(asset.location), district!.ring)).toBe(true);
      expect(Math.abs(asset.location.lat - 45)).toBeLessThan(0.08);
      expect(Math.abs(asset.location.lon - 10)).toBeLessThan(0.1);
    }
    for (const a of city.assets.filter((x) => x.asset.kind === 'pipeline' || x.asset.kind === 'bridge')) {
      expect(a.asset.path?.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('is the city drawn in the committed basemap', () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '../../assets/basemap/demo-city.geojson'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(cityBasemap(city))));
    const layers = new Set(committed.features.map((f: { properties: { layer: string } }) => f.properties.layer));
    expect([...layers].sort()).toEqual(['district', 'park', 'river', 'road', 'water']);
    for (const f of committed.features) expect(f.properties.name).toEqual(expect.any(String));
  });
});

describe('demo city simulator', () => {
  it('is deterministic: the same seed gives the same stream, another seed another', () => {
    const a = run(42, 3_000);
    const b = run(42, 3_000);
    expect(b).toEqual(a);
    const c = run(43, 3_000);
    expect(c.slice(0, 231)).toEqual(a.slice(0, 231)); // the city itself does not depend on the seed
    expect(c).not.toEqual(a);
  });

  it('resumes from its saved state exactly where it stopped', () => {
    const clock = new ManualClock(START);
    const whole = DemoCitySimulator.start({ seed: 9, clock }).take(2_000);
    const first = DemoCitySimulator.start({ seed: 9, clock });
    const head = first.take(1_200);
    const saved = JSON.parse(first.saveState()) as SimulatorState;
    const rest = DemoCitySimulator.start({ seed: 9, clock }, saved).take(800);
    expect([...head, ...rest]).toEqual(whole);
  });

  it('resumes state saved by an older simulator version without reading missing fields, ids still counting', () => {
    const clock = new ManualClock(START);
    const first = DemoCitySimulator.start({ seed: 9, clock });
    const head = first.take(1_200);
    const saved = JSON.parse(first.saveState()) as Record<string, unknown>;
    // what a data dir written before `lastReadings` existed holds
    delete saved.lastReadings;
    saved.version = 1;
    const resumed = DemoCitySimulator.start({ seed: 9, clock }, saved as unknown as SimulatorState);
    const rest = resumed.take(800);
    expect(rest).toHaveLength(800);
    const ids = (drafts: typeof head) =>
      drafts.flatMap((d) => (d.type === 'alert.received' ? [(d.payload as { alertId: string }).alertId] : []));
    const before = new Set(ids(head));
    expect(ids(rest).filter((id) => before.has(id))).toEqual([]);
  });

  it('emits only valid CAP: schema, unique ids, offsets without fractions, closed polygons, resolvable references', () => {
    const stream = run(7, 6_000);
    const alerts = stream.filter((e) => e.type === 'alert.received');
    expect(alerts.length).toBe(6_000 - 231);
    const seen = new Map<string, CapAlert>();
    const counts = { update: 0, exercise: 0, test: 0, severities: new Set<string>(), events: new Set<string>() };
    for (const e of alerts) {
      const parsed = AlertReceived.shape.payload.parse(e.payload);
      expect(parsed).toEqual(e.payload); // nothing left for defaults to fill in
      const cap = parsed.cap;
      expect(parsed.alertId).toBe(`${cap.sender},${cap.identifier}`);
      expect(seen.has(parsed.alertId)).toBe(false);
      expect(cap.sent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+01:00$/);
      expect(cap.infos.length).toBeGreaterThan(0);
      for (const info of cap.infos) {
        expect(info.headline && info.description && info.instruction).toBeTruthy();
        expect(info.areas.length).toBeGreaterThan(0);
        if (info.expires) expect(Date.parse(info.expires)).toBeGreaterThan(Date.parse(cap.sent));
        counts.severities.add(info.severity);
        counts.events.add(info.event);
        for (const area of info.areas) {
          expect(area.polygons.length + area.circles.length).toBeGreaterThan(0);
          for (const ring of area.polygons) expect(ring[0]).toEqual(ring[ring.length - 1]);
        }
      }
      for (const ref of cap.references) {
        const earlier = seen.get(`${ref.sender},${ref.identifier}`);
        expect(earlier, `reference ${ref.identifier} from ${cap.identifier}`).toBeDefined();
        expect(ref.sent).toBe(earlier!.sent);
      }
      if (cap.msgType !== 'Alert') {
        expect(cap.references.length).toBeGreaterThan(0);
        counts.update++;
      }
      if (cap.status === 'Exercise') counts.exercise++;
      if (cap.status === 'Test') counts.test++;
      seen.set(parsed.alertId, cap);
    }
    expect(counts.update).toBeGreaterThan(100);
    expect(counts.exercise).toBeGreaterThan(0);
    expect(counts.test).toBeGreaterThan(0);
    expect([...counts.severities].sort()).toEqual(['Extreme', 'Minor', 'Moderate', 'Severe']);
    for (const e of [
      'River flood warning',
      'Bridge structural alarm',
      'Suspected gas leak',
      'Earthquake',
      'Heavy rain warning',
    ]) {
      expect(counts.events.has(e), e).toBe(true);
    }
  });

  it('grades what it reads: alarms are Severe or worse and Immediate, all-clears Minor and Past', () => {
    for (const e of run(11, 4_000)) {
      if (e.type !== 'alert.received') continue;
      const info = e.payload.cap.infos[0]!;
      const level = info.parameter.find((p) => p.valueName === 'PH-LEVEL')?.value;
      if (level === 'alarm')
        expect([info.severity, info.urgency]).toEqual([expect.stringMatching(/Severe|Extreme/), 'Immediate']);
      if (level === 'warning') expect([info.severity, info.urgency]).toEqual(['Moderate', 'Expected']);
      if (level === 'normal')
        expect([info.severity, info.urgency, info.responseType]).toEqual(['Minor', 'Past', ['AllClear']]);
    }
  });

  it('on a hub with a rate: alerts arrive live as batches that continue the log', async () => {
    const t = tempDir();
    const hub = await startHub({ dataDir: t.dir, port: 0, simulate: { seed: 8, rate: 200 } });
    try {
      const s = await consoleFor(hub);
      const seqs: number[] = [];
      s.on('events', (b: { events: { seq: number; type: string }[] }) => seqs.push(...b.events.map((e) => e.seq)));
      const hello = HelloAck.parse(await ask(s, 'hello', { consoleId: 'live', cursor: 0, schema: 1 }));
      await eventually(() => seqs.length >= 20);
      // Live batches start after the head at hello and never skip or repeat.
      expect(seqs[0]).toBeGreaterThan(hello.head);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
      s.close();
    } finally {
      await hub.close();
      t.remove();
    }
  });

  it('on a hub: the city first, then alerts; a restart continues the stream without repeating ids', async () => {
    const t = tempDir();
    try {
      const clock = new ManualClock(START);
      let hub = await startHub({ dataDir: t.dir, port: 0, clock, simulate: { seed: 5, rate: 0 } });
      // the city's 231 assets, then its unit roster (issue 4), once
      const roster = demoRoster(buildDemoCity(), '').length;
      expect(hub.head()).toBe(231 + roster);
      await hub.simulate(500);
      await hub.close();
      hub = await startHub({ dataDir: t.dir, port: 0, clock, simulate: { seed: 5, rate: 0 } });
      expect(hub.head()).toBe(731 + roster); // the city is not announced twice
      await hub.simulate(500);
      const s = await consoleFor(hub);
      const log = [...PullAck.parse(await ask(s, 'pull', { after: 0, limit: 5_000 })).events].filter(
        (e) => e.type !== 'unit.upserted',
      );
      s.close();
      await hub.close();
      const ids = log
        .filter((e) => e.type === 'alert.received')
        .map((e) => (e.type === 'alert.received' ? e.payload.alertId : ''));
      expect(new Set(ids).size).toBe(1_000);
      // Same as one uninterrupted run of the same seed.
      const uninterrupted = DemoCitySimulator.start({ seed: 5, clock }).take(1_231);
      expect(log.map(({ type, payload }) => ({ type, payload }))).toEqual(uninterrupted);
    } finally {
      t.remove();
    }
  });
});
