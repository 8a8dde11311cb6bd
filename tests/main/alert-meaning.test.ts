import fc from 'fast-check';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lifecycleOfSet, type ChainMessage } from '../../shared/alerts/lifecycle';
import { ManualClock } from '../../shared/clock';
import type { CapAlert } from '../../shared/domain/cap';
import type { HubEvent } from '../../shared/domain/events';
import type { LatLon } from '../../shared/domain/geo';
import { squareAround } from '../support/geo';
import { distanceKm } from '../../shared/geo/geo';
import { candidatePlan } from '../../main/replica/affected';
import { FIRST_WALK } from '../../main/replica/groups';
import { Replica } from '../../main/replica/replica';
import { buildDemoCity } from '../../hub/simulator/city';
import { ackEvent, tempDir } from './fixtures';

let dir: string;
let cleanup: () => void;
let clock: ManualClock;
let replica: Replica;
let n = 0;
const open = () => new Replica({ file: path.join(dir, `replica-${n++}.sqlite`), clock, consoleId: 'console-a' });

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));
  replica = open();
});
afterEach(() => {
  replica.close();
  cleanup();
});

const AT = '2026-11-28T10:00:00.000Z';
const SENDER = 'eoc@porthalden.example';

interface Msg {
  identifier: string;
  msgType?: CapAlert['msgType'];
  references?: string[];
  sentMinute?: number;
  event?: string;
  polygons?: LatLon[][];
  circles?: { center: LatLon; radiusKm: number }[];
  parameter?: { valueName: string; value: string }[];
  languages?: string[];
}

function capOf(m: Msg): CapAlert {
  const sent = (min: number) => `2026-11-28T10:${String(min).padStart(2, '0')}:00-00:00`;
  return {
    version: '1.2',
    identifier: m.identifier,
    sender: SENDER,
    sent: sent(m.sentMinute ?? 0),
    status: 'Actual',
    msgType: m.msgType ?? 'Alert',
    scope: 'Public',
    code: [],
    references: (m.references ?? []).map((id) => ({ sender: SENDER, identifier: id, sent: sent(0) })),
    infos: (m.languages ?? ['en-GB']).map((language) => ({
      language,
      category: ['Met'],
      event: m.event ?? 'Flood',
      responseType: [],
      urgency: 'Expected',
      severity: 'Severe',
      certainty: 'Likely',
      eventCode: [],
      parameter: m.parameter ?? [],
      resources: [],
      areas: [{ areaDesc: 'area', polygons: m.polygons ?? [], circles: m.circles ?? [], geocodes: [] }],
    })),
  };
}

function alertAt(seq: number, m: Msg): HubEvent {
  const cap = capOf(m);
  return {
    seq,
    at: AT,
    mutationId: null,
    type: 'alert.received',
    payload: { alertId: `${SENDER},${m.identifier}`, cap, source: { kind: 'cap-post', name: 'test' } },
  };
}
const id = (identifier: string) => `${SENDER},${identifier}`;

/** Applies messages in the given order with consecutive seqs after the cursor. */
function apply(r: Replica, msgs: Msg[]): void {
  let seq = r.cursor();
  const res = r.applyEvents(msgs.map((m) => alertAt(++seq, m)));
  expect(res.rejected).toBeNull();
}

const city = buildDemoCity();
const assetEvents = (): HubEvent[] =>
  city.assets.map((a, i) => ({ seq: i + 1, at: AT, mutationId: null, type: 'asset.upserted', payload: a.asset }));

describe('lifecycle in the replica (references as a set)', () => {
  it('an Update that arrives first supersedes both messages it names when they arrive; a Cancel closes', () => {
    apply(replica, [{ identifier: 'U1', msgType: 'Update', references: ['A', 'B'], sentMinute: 5 }]);
    expect(replica.alertSummaries([id('U1')])[0]).toMatchObject({ lifecycle: 'current', supersededBy: null });
    apply(replica, [{ identifier: 'A' }, { identifier: 'B', sentMinute: 1 }]);
    expect(replica.alertSummaries([id('A'), id('B')]).map((s) => [s.lifecycle, s.supersededBy])).toEqual([
      ['superseded', id('U1')],
      ['superseded', id('U1')],
    ]);
    expect(replica.alertDetail(id('U1'))!.history.map((h) => h.id)).toEqual([id('A'), id('B')]);
    apply(replica, [{ identifier: 'C', msgType: 'Cancel', references: ['U1'], sentMinute: 9 }]);
    expect(replica.alertSummaries([id('U1')])[0]).toMatchObject({ lifecycle: 'cancelled', supersededBy: id('C') });
    expect(replica.alertDetail(id('C'))!.history.map((h) => h.id)).toEqual([id('A'), id('B'), id('U1')]);
    expect(replica.alertSummaries([id('A')])[0]!.languages).toEqual(['en-GB']);
  });

  it('any arrival order gives the same lifecycle in SQLite as the pure function (property)', () => {
    const chainMsgs: Msg[] = [
      { identifier: 'A' },
      { identifier: 'B', sentMinute: 1 },
      { identifier: 'U1', msgType: 'Update', references: ['A'], sentMinute: 2 },
      { identifier: 'U2', msgType: 'Update', references: ['U1', 'B'], sentMinute: 3 },
      { identifier: 'U3', msgType: 'Update', references: ['A', 'missing'], sentMinute: 3 },
      { identifier: 'C', msgType: 'Cancel', references: ['U2'], sentMinute: 4 },
    ];
    const expected = lifecycleOfSet(
      chainMsgs.map((m): ChainMessage => ({
        id: id(m.identifier),
        msgType: m.msgType ?? 'Alert',
        sentMs: Date.parse(capOf(m).sent),
        references: (m.references ?? []).map(id),
      })),
    );
    fc.assert(
      fc.property(fc.shuffledSubarray(chainMsgs, { minLength: chainMsgs.length }), (order) => {
        const r = open();
        try {
          apply(r, order);
          for (const s of r.alertSummaries(chainMsgs.map((m) => id(m.identifier)))) {
            expect({ lifecycle: s.lifecycle, supersededBy: s.supersededBy }).toEqual(expected.get(s.id));
          }
        } finally {
          r.close();
        }
      }),
      { seed: 11, numRuns: 40 },
    );
  });
});

describe('affected assets over the demo city', () => {
  const hospital = city.assets.find((a) => a.asset.kind === 'hospital')!.asset;

  it('a polygon around a known asset lists it (and only assets inside), ordered by criticality', () => {
    replica.applyEvents(assetEvents());
    const ring = squareAround(hospital.location, 0.4);
    apply(replica, [{ identifier: 'P', polygons: [ring] }]);
    const detail = replica.alertDetail(id('P'))!;
    expect(detail.affectedAssets.map((a) => a.assetId)).toContain(hospital.id);
    expect(detail.summary.affectedCount).toBe(detail.affectedAssets.length);
    const crit = detail.affectedAssets.map((a) => a.criticality);
    expect(crit).toEqual([...crit].sort((a, b) => b - a));
    // exact test: every listed point asset is inside the box of the ring
    const lats = ring.map((p) => p.lat);
    for (const a of detail.affectedAssets) {
      const asset = city.assets.find((c) => c.asset.id === a.assetId)!.asset;
      if (!asset.path) {
        expect(asset.location.lat).toBeGreaterThanOrEqual(Math.min(...lats));
        expect(asset.location.lat).toBeLessThanOrEqual(Math.max(...lats));
      }
    }
  });

  it('a circle lists exactly the point assets within its radius (haversine)', () => {
    replica.applyEvents(assetEvents());
    const circle = { center: hospital.location, radiusKm: 1.5 };
    apply(replica, [{ identifier: 'R', circles: [circle] }]);
    const listed = new Set(replica.alertDetail(id('R'))!.affectedAssets.map((a) => a.assetId));
    const points = city.assets.map((c) => c.asset).filter((a) => !a.path);
    const inside = points.filter((a) => distanceKm(circle.center, a.location) <= circle.radiusKm).map((a) => a.id);
    expect(inside.length).toBeGreaterThan(0);
    for (const a of inside) expect(listed.has(a)).toBe(true);
    for (const a of points) if (!inside.includes(a.id)) expect(listed.has(a.id)).toBe(false);
  });

  it('an asset announced after the alert is added to it', () => {
    apply(replica, [{ identifier: 'Early', polygons: [squareAround(hospital.location, 0.2)] }]);
    expect(replica.alertSummaries([id('Early')])[0]!.affectedCount).toBe(0);
    const res = replica.applyEvents(assetEvents().map((e) => ({ ...e, seq: e.seq + 1 })));
    expect(res.changedAlerts).toContain(id('Early'));
    expect(replica.alertDetail(id('Early'))!.affectedAssets.map((a) => a.assetId)).toContain(hospital.id);
  });

  it('the candidate query uses the R*Tree (EXPLAIN QUERY PLAN)', () => {
    const plan = candidatePlan(replica.readDb).join('\n');
    // The R*Tree answers the box (a constraint on each of its 4 columns) and carries the rest
    // (auxiliary columns, migration 0008): nothing else is read.
    expect(plan).toMatch(/^SCAN asset_rtree VIRTUAL TABLE INDEX \d+:D1B0D3B2$/);
  });
});

describe('correlation groups', () => {
  const c = { lat: 52.0, lon: 4.0 };
  it('same event, overlapping areas, within 30 minutes: one group; far apart in time or space: not', () => {
    apply(replica, [
      { identifier: 'G1', polygons: [squareAround(c, 1)] },
      { identifier: 'G2', polygons: [squareAround({ lat: c.lat + 0.01, lon: c.lon }, 1)], sentMinute: 10 },
      { identifier: 'Far', polygons: [squareAround({ lat: c.lat + 1, lon: c.lon }, 1)], sentMinute: 10 },
      { identifier: 'Other', event: 'Fire', polygons: [squareAround(c, 1)], sentMinute: 10 },
    ]);
    const [g1, g2, far, other] = replica.alertSummaries([id('G1'), id('G2'), id('Far'), id('Other')]);
    expect(g1!.groupId).toBe(id('G1'));
    expect(g2!.groupId).toBe(id('G1'));
    expect(far!.groupId).toBeNull();
    expect(other!.groupId).toBeNull();
    expect(replica.alertDetail(id('G1'))!.groupMembers.map((m) => m.id)).toEqual([id('G2')]);
  });

  it('several sensor alarms on the same asset share a group', () => {
    const p = (v: string) => [{ valueName: 'PH-ASSET-ID', value: v }];
    apply(replica, [
      { identifier: 'S1', event: 'Strain', parameter: p('bridge-1') },
      { identifier: 'S2', event: 'Vibration', parameter: p('bridge-1'), sentMinute: 5 },
      { identifier: 'S3', event: 'Strain', parameter: p('bridge-2'), sentMinute: 5 },
    ]);
    const [s1, s2, s3] = replica.alertSummaries([id('S1'), id('S2'), id('S3')]);
    expect(s1!.groupId).toBe(id('S1'));
    expect(s2!.groupId).toBe(id('S1'));
    expect(s3!.groupId).toBeNull();
  });

  it('past the arrival-order walk (migration 0014): the same groups as reading the whole window', () => {
    // More current alerts of the event and of the sensor than the walk reads, all sent before the
    // window of the ones that follow: the walk cannot decide and the window query answers.
    const p = (v: string) => [{ valueName: 'PH-ASSET-ID', value: v }];
    const early = Array.from({ length: FIRST_WALK + 8 }, (_, i) => ({
      identifier: `E${i}`,
      polygons: [squareAround({ lat: c.lat, lon: c.lon + 0.001 * i }, 1)],
      parameter: p('bridge-1'),
    }));
    apply(replica, [
      ...early,
      { identifier: 'W1', polygons: [squareAround(c, 1)], sentMinute: 45 },
      { identifier: 'W2', polygons: [squareAround({ lat: c.lat + 0.01, lon: c.lon }, 1)], sentMinute: 50 },
      { identifier: 'T1', event: 'Strain', parameter: p('bridge-1'), sentMinute: 45 },
      { identifier: 'T2', event: 'Vibration', parameter: p('bridge-1'), sentMinute: 50 },
    ]);
    const ids = ['E0', 'E1', `E${FIRST_WALK + 7}`, 'W1', 'W2', 'T1', 'T2'].map(id);
    expect(replica.alertSummaries(ids).map((s) => s.groupId)).toEqual([
      id('E0'),
      id('E0'),
      id('E0'),
      id('W1'),
      id('W1'),
      id('T1'),
      id('T1'),
    ]);
  });
});

describe('reinstate through the outbox', () => {
  it('only an acknowledged alert can be reinstated; the overlay puts it back until the hub answers', () => {
    apply(replica, [{ identifier: 'A' }]);
    expect(() => replica.reinstateAlert({ alertId: id('A') })).toThrow(/not acknowledged/);
    replica.applyEvents([ackEvent(2, id('A'))]);
    const { mutationId, created } = replica.reinstateAlert({ alertId: id('A'), note: 'wrong disposition' });
    expect(created).toBe(true);
    expect(replica.reinstateAlert({ alertId: id('A') })).toEqual({ mutationId, created: false });
    expect(replica.alertQueue().find((s) => s.id === id('A'))).toMatchObject({ ack: null, pendingAck: false });
    expect(replica.outbox().map((o) => [o.type, o.state])).toEqual([['alert.reinstate', 'pending']]);
    replica.applyEvents([
      {
        seq: 3,
        at: AT,
        mutationId,
        type: 'alert.reinstated',
        payload: { alertId: id('A'), by: { name: 'Ada', role: 'officer' }, hlc: '000001800000000:00000:hub' },
      },
    ]);
    expect(replica.outbox()[0]!.state).toBe('confirmed');
    expect(replica.alertSummaries([id('A')])[0]!.ack).toBeNull();
  });
});
