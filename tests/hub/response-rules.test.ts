import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ManualClock } from '../../shared/clock';
import { ActivityLogEntry } from '../../shared/domain/activityLog';
import { type HubEvent } from '../../shared/domain/events';
import { IncidentStatuses, type IncidentStatus } from '../../shared/domain/incident';
import type { MutationPayload, MutationType } from '../../shared/domain/mutations';
import { INCIDENT_TRANSITIONS, UNIT_TRANSITIONS } from '../../shared/domain/statusMachines';
import { UnitStatuses, type UnitStatus } from '../../shared/domain/unit';
import { newId } from '../../shared/ids';
import { MutateAck, PullAck } from '../../shared/protocol';
import { startHub, type Hub } from '../../hub/server';
import { buildDemoCity } from '../../hub/simulator/city';
import { demoRoster } from '../../hub/simulator/units';
import { ask, consoleFor, hlc, tempDir } from './helpers';

/**
 * Incident, unit, activity-log and checklist rules on a real hub (demo city with its
 * roster, no live stream). Transition tests are generated from the shared tables AND
 * checked against hand-written expectations, so the table is not only checking itself.
 */

const START = Date.parse('2026-03-14T09:00:00Z');
let hub: Hub;
let dir: ReturnType<typeof tempDir>;
let ada: Socket; // Ada Okafor, Duty Officer
let ben: Socket; // Ben Ito, Duty Officer
const roster = demoRoster(buildDemoCity(), '');
const unitIds = roster.map((u) => u.id);
let nextUnit = 0;
/** a unit nobody has touched yet in this file */
const freshUnit = (): string => unitIds[nextUnit++] as string;

async function mutate<T extends MutationType>(s: Socket, type: T, payload: MutationPayload<T>, id = newId()) {
  return MutateAck.parse(await ask(s, 'mutate', { id, type, payload, hlc: hlc() }));
}

async function events(after = 0): Promise<HubEvent[]> {
  const out: HubEvent[] = [];
  for (;;) {
    const page = PullAck.parse(await ask(ada, 'pull', { after, limit: 5_000 }));
    out.push(...page.events);
    if (page.events.length === 0 || (page.events.at(-1)?.seq ?? 0) >= page.head) return out;
    after = page.events.at(-1)!.seq;
  }
}

async function openIncident(title = 'Bridge alarm', s = ada, extra: Partial<MutationPayload<'incident.open'>> = {}) {
  const incidentId = newId();
  const ack = await mutate(s, 'incident.open', {
    incidentId,
    title,
    incidentType: 'bridge-structural',
    priority: 2,
    ...extra,
  });
  expect(ack).toMatchObject({ ok: true });
  return incidentId;
}

const INCIDENT_PATH: Record<IncidentStatus, IncidentStatus[]> = {
  open: [],
  active: ['active'],
  contained: ['active', 'contained'],
  closed: ['closed'],
};
async function incidentIn(status: IncidentStatus): Promise<string> {
  const id = await openIncident(`Incident to be ${status}`);
  for (const step of INCIDENT_PATH[status])
    expect(await mutate(ada, 'incident.setStatus', { incidentId: id, status: step })).toMatchObject({ ok: true });
  return id;
}

let workIncident = '';
async function unitIn(status: UnitStatus): Promise<string> {
  const unitId = freshUnit();
  const path: Record<UnitStatus, Array<UnitStatus | 'dispatch'>> = {
    available: [],
    dispatched: ['dispatch'],
    'en-route': ['dispatch', 'en-route'],
    'on-scene': ['dispatch', 'en-route', 'on-scene'],
    clearing: ['dispatch', 'en-route', 'on-scene', 'clearing'],
    'out-of-service': ['out-of-service'],
  };
  for (const step of path[status]) {
    const ack =
      step === 'dispatch'
        ? await mutate(ada, 'unit.dispatch', { incidentId: workIncident, unitIds: [unitId] })
        : await mutate(ada, 'unit.setStatus', { unitId, status: step });
    expect(ack).toMatchObject({ ok: true });
  }
  return unitId;
}

beforeAll(async () => {
  dir = tempDir();
  hub = await startHub({ dataDir: dir.dir, port: 0, clock: new ManualClock(START), simulate: { seed: 3, rate: 0 } });
  await hub.simulate(40);
  ada = await consoleFor(hub, 'officer', 'Ada Okafor');
  ben = await consoleFor(hub, 'officer', 'Ben Ito');
  workIncident = await openIncident('Work incident for unit transitions');
});

afterAll(async () => {
  ada?.close();
  ben?.close();
  await hub?.close();
  dir?.remove();
});

describe('incident status machine (from the shared table)', () => {
  const pairs = IncidentStatuses.flatMap((from) => IncidentStatuses.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', async (from, to) => {
    const id = await incidentIn(from);
    const head = hub.head();
    const ack = await mutate(ada, 'incident.setStatus', { incidentId: id, status: to });
    if (INCIDENT_TRANSITIONS[from].includes(to)) {
      expect(ack).toMatchObject({ ok: true });
      const appended = await events(head);
      expect(appended.map((e) => e.type)).toEqual(['incident.statusChanged', 'log.appended']);
    } else {
      expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(hub.head()).toBe(head);
    }
  });

  it('agrees with hand-written expectations', () => {
    // What an EOC expects, written out independently of the table.
    const allowed = (from: IncidentStatus, to: IncidentStatus) => INCIDENT_TRANSITIONS[from].includes(to);
    expect(allowed('open', 'active')).toBe(true);
    expect(allowed('active', 'contained')).toBe(true);
    expect(allowed('contained', 'closed')).toBe(true);
    expect(allowed('contained', 'active')).toBe(true); // flare-up
    expect(allowed('open', 'closed')).toBe(true); // stood down
    expect(allowed('open', 'contained')).toBe(false);
    expect(allowed('active', 'closed')).toBe(false); // contain first
    expect(allowed('closed', 'open')).toBe(false);
    expect(allowed('closed', 'active')).toBe(false);
    expect(allowed('active', 'open')).toBe(false);
  });

  it('refuses closing while units are committed, naming them; an unknown incident is NOT_FOUND', async () => {
    const id = await incidentIn('contained');
    const unit = freshUnit();
    expect(await mutate(ada, 'unit.dispatch', { incidentId: id, unitIds: [unit] })).toMatchObject({ ok: true });
    const head = hub.head();
    const ack = await mutate(ada, 'incident.setStatus', { incidentId: id, status: 'closed' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(ack.ok || ack.error.message).toContain(unit);
    expect(hub.head()).toBe(head);
    expect(await mutate(ada, 'incident.setStatus', { incidentId: newId(), status: 'active' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('unit status machine (from the shared table)', () => {
  const pairs = UnitStatuses.flatMap((from) => UnitStatuses.map((to) => [from, to] as const));
  it.each(pairs)('%s → %s', async (from, to) => {
    const unitId = await unitIn(from);
    const head = hub.head();
    const ack = await mutate(ada, 'unit.setStatus', { unitId, status: to });
    if (UNIT_TRANSITIONS[from].includes(to)) {
      expect(ack).toMatchObject({ ok: true });
      const [changed, logged] = await events(head);
      expect(changed).toMatchObject({ type: 'unit.statusChanged', payload: { unitId, from, to } });
      expect(logged).toMatchObject({
        type: 'log.appended',
        payload: { author: 'Ada Okafor', position: 'Duty Officer' },
      });
    } else {
      expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(hub.head()).toBe(head);
    }
  });

  it('agrees with hand-written expectations', () => {
    const allowed = (from: UnitStatus, to: UnitStatus) => UNIT_TRANSITIONS[from].includes(to);
    expect(allowed('dispatched', 'en-route')).toBe(true);
    expect(allowed('en-route', 'on-scene')).toBe(true);
    expect(allowed('on-scene', 'clearing')).toBe(true);
    expect(allowed('clearing', 'available')).toBe(true);
    expect(allowed('out-of-service', 'available')).toBe(true);
    expect(allowed('en-route', 'out-of-service')).toBe(true); // breakdown on the way
    expect(allowed('available', 'dispatched')).toBe(false); // only by dispatching to an incident
    expect(allowed('available', 'on-scene')).toBe(false);
    expect(allowed('dispatched', 'on-scene')).toBe(false); // en route first
    expect(allowed('on-scene', 'available')).toBe(false); // clear first
    expect(allowed('out-of-service', 'dispatched')).toBe(false);
  });

  it('on scene the hub places a unit at its incident; available, back at its home station', async () => {
    const point = { lat: 45.01, lon: 10.02 };
    const id = await openIncident('Burst main, Tanners Lane', ada, { location: { kind: 'point', point } });
    const unitId = freshUnit();
    const home = roster.find((u) => u.id === unitId)!.homeStation.location;
    expect(await mutate(ada, 'unit.dispatch', { incidentId: id, unitIds: [unitId] })).toMatchObject({ ok: true });
    expect(await mutate(ada, 'unit.setStatus', { unitId, status: 'en-route' })).toMatchObject({ ok: true });
    let head = hub.head();
    expect(await mutate(ada, 'unit.setStatus', { unitId, status: 'on-scene' })).toMatchObject({ ok: true });
    expect((await events(head))[0]).toMatchObject({ type: 'unit.statusChanged', payload: { position: point } });
    expect(await mutate(ada, 'unit.setStatus', { unitId, status: 'clearing' })).toMatchObject({ ok: true });
    head = hub.head();
    expect(await mutate(ada, 'unit.setStatus', { unitId, status: 'available' })).toMatchObject({ ok: true });
    expect((await events(head))[0]).toMatchObject({ payload: { to: 'available', position: home } });
  });

  it('a unit that leaves service or clears is freed from its incident', async () => {
    const unitId = await unitIn('on-scene');
    expect(await mutate(ada, 'unit.setStatus', { unitId, status: 'out-of-service' })).toMatchObject({ ok: true });
    // free again: can be dispatched without reassign once back in service
    expect(await mutate(ada, 'unit.setStatus', { unitId, status: 'available' })).toMatchObject({ ok: true });
    expect(await mutate(ada, 'unit.dispatch', { incidentId: workIncident, unitIds: [unitId] })).toMatchObject({
      ok: true,
    });
  });
});

describe('dispatch', () => {
  it('two consoles dispatch the same unit at once: exactly one wins, the other is told who holds it, nothing else changes', async () => {
    const a = await openIncident('Gas main pressure loss, Millbrook', ada, { incidentType: 'gas-pressure-loss' });
    const b = await openIncident('Flooding at Riverside Drive', ben, { incidentType: 'flooding' });
    const unit = freshUnit();
    const head = hub.head();
    const [fromAda, fromBen] = await Promise.all([
      mutate(ada, 'unit.dispatch', { incidentId: a, unitIds: [unit] }),
      mutate(ben, 'unit.dispatch', { incidentId: b, unitIds: [unit] }),
    ]);
    const answers = [fromAda, fromBen];
    const winners = answers.filter((x) => x.ok);
    const losers = answers.filter((x) => !x.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const loser = losers[0]!;
    const winnerName = fromAda.ok ? 'Ada Okafor' : 'Ben Ito';
    if (loser.ok) throw new Error('unreachable');
    expect(loser.error.code).toBe('CONFLICT');
    expect(loser.error.message).toContain(unit);
    expect(loser.error.message).toContain(winnerName);
    expect(loser.error.message).toMatch(/INC-\d{4}/);
    expect(loser.error.message).toContain('reassign');
    // Only the winner's entries were appended: the dispatch and its log entry.
    const appended = await events(head);
    expect(appended.map((e) => e.type)).toEqual(['unit.dispatched', 'log.appended']);
    expect(appended[0]).toMatchObject({ payload: { incidentId: fromAda.ok ? a : b, units: [{ unitId: unit }] } });
  });

  it('reassign takes a committed unit and logs it on both incidents', async () => {
    const first = await openIncident('Earthquake M4.6', ada, { incidentType: 'earthquake' });
    const second = await openIncident('Bridge strain alarm, Kingsgate', ben);
    const unit = freshUnit();
    expect(await mutate(ada, 'unit.dispatch', { incidentId: first, unitIds: [unit] })).toMatchObject({ ok: true });
    expect(await mutate(ben, 'unit.dispatch', { incidentId: second, unitIds: [unit] })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const head = hub.head();
    expect(await mutate(ben, 'unit.dispatch', { incidentId: second, unitIds: [unit], reassign: true })).toMatchObject({
      ok: true,
    });
    const appended = await events(head);
    expect(appended[0]).toMatchObject({
      type: 'unit.dispatched',
      payload: { incidentId: second, reassign: true, units: [{ unitId: unit, previousIncidentId: first }] },
    });
    const logged = appended.filter((e) => e.type === 'log.appended').map((e) => ActivityLogEntry.parse(e.payload));
    expect(logged.map((l) => l.incidentId).sort()).toEqual([first, second].sort());
    // Releasing from the old incident is now refused: it moved on.
    expect(await mutate(ada, 'unit.release', { unitId: unit, incidentId: first })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await mutate(ben, 'unit.release', { unitId: unit, incidentId: second })).toMatchObject({ ok: true });
  });

  it('several units go all together or not at all', async () => {
    const id = await openIncident('Multi-unit');
    const [u1, u2, busy] = [freshUnit(), freshUnit(), await unitIn('en-route')];
    const head = hub.head();
    const ack = await mutate(ada, 'unit.dispatch', { incidentId: id, unitIds: [u1, u2, busy] });
    expect(ack).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(hub.head()).toBe(head);
    expect(await mutate(ada, 'unit.dispatch', { incidentId: id, unitIds: [u1, u2] })).toMatchObject({ ok: true });
    const appended = await events(head);
    expect(appended.filter((e) => e.type === 'log.appended')).toHaveLength(2);
  });

  it('refuses unknown units and closed incidents', async () => {
    const id = await incidentIn('closed');
    expect(await mutate(ada, 'unit.dispatch', { incidentId: workIncident, unitIds: ['ZZ999'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const closed = await mutate(ada, 'unit.dispatch', { incidentId: id, unitIds: [freshUnit()] });
    expect(closed).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('incident updates', () => {
  it('changes only what differs, starts the next operational period and logs in it; a closed incident is refused', async () => {
    const id = await openIncident('River Hald rising');
    let head = hub.head();
    expect(
      await mutate(ada, 'incident.update', {
        incidentId: id,
        priority: 1,
        commanderName: 'Chief Mara Quist',
        startOperationalPeriod: true,
      }),
    ).toMatchObject({ ok: true });
    const [updated, logged] = await events(head);
    expect(updated).toMatchObject({
      type: 'incident.updated',
      payload: {
        changes: {
          priority: 1,
          commanderName: 'Chief Mara Quist',
          operationalPeriods: [
            { number: 1, end: expect.any(String) },
            { number: 2, end: null },
          ],
        },
      },
    });
    expect(logged).toMatchObject({ type: 'log.appended', payload: { incidentId: id, operationalPeriod: 2 } });
    head = hub.head();
    expect(
      await mutate(ada, 'log.append', { entryId: newId(), incidentId: id, text: 'Shift B briefed' }),
    ).toMatchObject({ ok: true });
    expect((await events(head))[0]).toMatchObject({ payload: { operationalPeriod: 2 } });
    expect(await mutate(ada, 'incident.update', { incidentId: id, priority: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const closed = await incidentIn('closed');
    expect(await mutate(ada, 'incident.update', { incidentId: closed, title: 'Reopened?' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('a feed token may not dispatch (FORBIDDEN), and nothing changes', async () => {
    const feed = await consoleFor(hub, 'feed', 'River sensor gateway');
    try {
      const head = hub.head();
      expect(await mutate(feed, 'unit.dispatch', { incidentId: workIncident, unitIds: [freshUnit()] })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      // nothing changes but the refusal's audit event (issue 6)
      expect(hub.head()).toBe(head + 1);
      expect((await events(head))[0]).toMatchObject({ type: 'audit.recorded', payload: { audit: { kind: 'refused' } } });
    } finally {
      feed.close();
    }
  });
});

describe('activity log and checklists', () => {
  it('opening an incident numbers it, attaches its SOP checklist and logs it with author, position and period', async () => {
    const head = hub.head();
    const id = await openIncident('Gas main pressure loss', ada, { incidentType: 'gas-pressure-loss' });
    const [opened, logged] = await events(head);
    if (opened?.type !== 'incident.opened') throw new Error(`expected incident.opened, got ${opened?.type}`);
    expect(opened.payload.incident.number).toMatch(/^INC-\d{4}$/);
    expect(opened.payload.checklistTitle).toBe('Gas main pressure loss');
    expect(opened.payload.checklist.length).toBeGreaterThan(3);
    expect(opened.payload.checklist[0]!.dueAt).toBe(
      new Date(START + opened.payload.checklist[0]!.dueOffsetMin * 60_000).toISOString(),
    );
    expect(logged).toMatchObject({
      type: 'log.appended',
      payload: { incidentId: id, operationalPeriod: 1, author: 'Ada Okafor', position: 'Duty Officer', kind: 'auto' },
    });
  });

  it('a correction is a new entry pointing at the one it corrects', async () => {
    const id = await openIncident('Log test');
    const first = newId();
    expect(
      await mutate(ada, 'log.append', {
        entryId: first,
        incidentId: id,
        text: 'Gas crew GC1 reports 2 bar at valve 7',
      }),
    ).toMatchObject({ ok: true });
    const head = hub.head();
    const fix = newId();
    expect(
      await mutate(ben, 'log.append', { entryId: fix, incidentId: id, text: 'Correction: 0.2 bar', corrects: first }),
    ).toMatchObject({ ok: true });
    const [entry] = await events(head);
    expect(entry).toMatchObject({
      type: 'log.appended',
      payload: { id: fix, corrects: first, kind: 'manual', author: 'Ben Ito', incidentId: id },
    });
    expect(
      await mutate(ada, 'log.append', { entryId: newId(), incidentId: id, text: 'x', corrects: newId() }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await mutate(ada, 'log.append', { entryId: newId(), incidentId: null, text: 'y', corrects: first }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('a checklist step set done is logged; an unknown step is NOT_FOUND', async () => {
    const id = await openIncident('Bridge alarm (checklist)');
    const head = hub.head();
    expect(
      await mutate(ada, 'checklist.setStep', {
        incidentId: id,
        stepId: 'close-traffic',
        state: 'done',
        remark: 'P3 at both ends',
      }),
    ).toMatchObject({ ok: true });
    const [set, logged] = await events(head);
    expect(set).toMatchObject({ type: 'checklist.stepSet', payload: { stepId: 'close-traffic', state: 'done' } });
    expect(logged?.type === 'log.appended' && logged.payload.text).toContain('P3 at both ends');
    expect(
      await mutate(ada, 'checklist.setStep', {
        incidentId: id,
        stepId: 'close-traffic',
        state: 'done',
        remark: 'P3 at both ends',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(
      await mutate(ada, 'checklist.setStep', { incidentId: id, stepId: 'no-such-step', state: 'na' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('triage writes a log entry in the same transaction, in each linked incident', async () => {
    const alertIds = (await events(0))
      .filter((e) => e.type === 'alert.received')
      .map((e) => (e.type === 'alert.received' ? e.payload.alertId : ''));
    const linked = alertIds[0]!;
    const loose = alertIds[1]!;
    const id = await openIncident('From an alert', ada, { alertIds: [linked] });
    let head = hub.head();
    expect(await mutate(ada, 'alert.acknowledge', { alertId: linked })).toMatchObject({ ok: true });
    const [ack, logged] = await events(head);
    expect(ack?.type).toBe('alert.acknowledged');
    expect(logged).toMatchObject({ type: 'log.appended', payload: { incidentId: id, action: 'alert.acknowledge' } });
    head = hub.head();
    expect(await mutate(ben, 'alert.acknowledge', { alertId: loose })).toMatchObject({ ok: true });
    expect((await events(head))[1]).toMatchObject({
      type: 'log.appended',
      payload: { incidentId: null, author: 'Ben Ito' },
    });
    head = hub.head();
    expect(await mutate(ben, 'alert.reinstate', { alertId: loose })).toMatchObject({ ok: true });
    expect((await events(head)).map((e) => e.type)).toEqual(['alert.reinstated', 'log.appended']);
  });

  it('log seqs are gap-free across the whole activity log', async () => {
    // audit events (issue 6) are entries of the same log and chain
    const seqs = (await events(0))
      .filter((e) => e.type === 'log.appended' || e.type === 'audit.recorded')
      .map((e) => (e.type === 'log.appended' || e.type === 'audit.recorded' ? e.payload.seq : 0));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
