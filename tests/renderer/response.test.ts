import { describe, expect, it } from 'vitest';
import type { ActivityLogEntryView } from '../../shared/domain/activityLog';
import type { IncidentView } from '../../shared/domain/incident';
import type { UnitView } from '../../shared/domain/unit';
import { changesReceived, snapshotLoaded } from '../../renderer/state/actions';
import { makeSelectIncidentLog } from '../../renderer/state/activityLog';
import {
  incidentSelected,
  makeSelectChecklist,
  overdueCount,
  selectIncidentByNumber,
  selectOpenIncidentIds,
} from '../../renderer/state/incidents';
import { refusalDismissed, selectRefusals } from '../../renderer/state/responseActions';
import { createStore } from '../../renderer/state/store';
import { makeSelectUnitsOfIncident } from '../../renderer/state/units';
import { statusRow } from './rows';

const at = '2026-11-28T10:00:00.000Z';
const incident = (id: string, over: Partial<IncidentView> = {}): IncidentView => ({
  id,
  number: `INC-000${id}`,
  title: `Incident ${id}`,
  type: 'flooding',
  priority: 3,
  location: null,
  commanderName: 'Chief',
  status: 'open',
  statusSince: at,
  alertIds: [],
  operationalPeriods: [{ number: 1, start: at, end: null }],
  openedAt: at,
  openedBy: { name: 'Officer a', role: 'officer', position: 'Duty Officer', consoleId: 'c1' },
  unitIds: [],
  openStepsDue: [],
  pending: false,
  ...over,
});
const unit = (id: string, over: Partial<UnitView> = {}): UnitView => ({
  id,
  callSign: id,
  type: 'fire-engine',
  homeStation: { name: 'Station 1', assetId: null },
  position: { lat: 45, lon: 10 },
  status: 'available',
  statusSince: at,
  incidentId: null,
  assignedBy: null,
  pending: false,
  ...over,
});
const entry = (id: string, seq: number | null, over: Partial<ActivityLogEntryView> = {}): ActivityLogEntryView => ({
  id,
  seq,
  incidentId: '1',
  operationalPeriod: 1,
  at,
  author: 'Officer a',
  position: 'Duty Officer',
  text: `entry ${id}`,
  kind: 'auto',
  corrects: null,
  action: null,
  pending: seq === null,
  ...over,
});

function loaded() {
  const store = createStore({ api: null });
  store.dispatch(
    snapshotLoaded({
      alerts: [],
      assets: [],
      status: statusRow(),
      incidents: [incident('1', { priority: 2 }), incident('2', { priority: 1 }), incident('3', { status: 'closed' })],
      units: [unit('E12'), unit('E2', { status: 'dispatched', incidentId: '1' }), unit('A1')],
    }),
  );
  return store;
}

describe('incident and unit slices', () => {
  it('put the worst open incident first, leave closed ones off the board, find them by number', () => {
    const store = loaded();
    expect(selectOpenIncidentIds(store.getState())).toEqual(['2', '1']);
    expect(selectIncidentByNumber(store.getState()).get('INC-0001')?.id).toBe('1');
  });

  it('sort units by call sign letters, then number', () => {
    expect(loaded().getState().units.ids).toEqual(['A1', 'E2', 'E12']);
  });

  it('leave the state untouched when a push repeats what they hold', () => {
    const store = loaded();
    const before = store.getState();
    store.dispatch(
      changesReceived({ alerts: [], assets: [], incidents: [incident('1', { priority: 2 })], units: [unit('A1')] }),
    );
    expect(store.getState().incidents).toBe(before.incidents);
    expect(store.getState().units).toBe(before.units);
  });

  it('drop an incident the hub refused, and its selection', () => {
    const store = loaded();
    store.dispatch(incidentSelected('2'));
    store.dispatch(changesReceived({ alerts: [], assets: [], removed: { incidents: ['2'], logEntries: [] } }));
    expect(store.getState().incidents.entities['2']).toBeUndefined();
    expect(store.getState().incidents.selectedId).toBeNull();
  });

  it('keep units of an incident and its checklist in order', () => {
    const store = loaded();
    store.dispatch(
      changesReceived({
        alerts: [],
        assets: [],
        units: [unit('A1', { status: 'dispatched', incidentId: '1', pending: true })],
        checklistSteps: [2, 1].map((ord) => ({
          incidentId: '1',
          stepId: `s${ord}`,
          ord,
          title: `Step ${ord}`,
          dueOffsetMin: 5,
          dueAt: at,
          state: 'open' as const,
          remark: '',
          by: null,
          at: null,
          pending: false,
        })),
      }),
    );
    expect(makeSelectUnitsOfIncident()(store.getState(), '1').map((u) => u.id)).toEqual(['A1', 'E2']);
    expect(makeSelectChecklist()(store.getState(), '1').map((s) => s.stepId)).toEqual(['s1', 's2']);
    expect(overdueCount([at, '2999-01-01T00:00:00Z'], Date.parse('2026-11-28T11:00:00Z'))).toBe(1);
  });

  it('list the log in the hub order, entries not yet confirmed last, a refused one removed', () => {
    const store = loaded();
    store.dispatch(
      changesReceived({
        alerts: [],
        assets: [],
        logEntries: [
          entry('p', null, { kind: 'manual' }),
          entry('b', 2),
          entry('a', 1),
          entry('x', 3, { incidentId: '2' }),
        ],
      }),
    );
    const log = makeSelectIncidentLog();
    expect(log(store.getState(), '1').map((e) => e.id)).toEqual(['a', 'b', 'p']);
    store.dispatch(changesReceived({ alerts: [], assets: [], removed: { incidents: [], logEntries: ['p'] } }));
    expect(log(store.getState(), '1').map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('show what the hub refused until the officer dismisses it', () => {
    const store = loaded();
    store.dispatch(
      changesReceived({
        alerts: [],
        assets: [],
        needsAttention: [
          {
            mutationId: 'm1',
            type: 'unit.dispatch',
            payload: { incidentId: '1', unitIds: ['E2'] },
            target: 'unit:E2',
            error: { code: 'CONFLICT', message: 'E2 is committed to INC-0002; reassign it explicitly.' },
            createdAt: at,
            refusedAt: at,
          },
        ],
      }),
    );
    expect(selectRefusals(store.getState()).map((r) => [r.source, r.error.code])).toEqual([['hub', 'CONFLICT']]);
    store.dispatch(refusalDismissed('m1'));
    expect(selectRefusals(store.getState())).toEqual([]);
  });
});
