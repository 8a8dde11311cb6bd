import { describe, expect, it } from 'vitest';
import { floodState } from '../../shared/alerts/flood';
import {
  acknowledgeAlert,
  reinstateAlert,
  selectMappableAlerts,
  selectQueueEntries,
  selectUnacknowledgedCount,
  selectVisibleAlertIds,
} from '../../renderer/state/alerts';
import { snapshotLoaded } from '../../renderer/state/actions';
import { floodChecked, groupToggled, layoutChosen, threadViewChanged } from '../../renderer/state/queue';
import {
  floodArrivals,
  groupEntries,
  isActiveThread,
  isClosedThread,
  languageTabs,
  reactToFlood,
  severityBreakdown,
  type FloodEpisode,
} from '../../renderer/state/queueView';
import { createStore } from '../../renderer/state/store';
import { filterTextChanged } from '../../renderer/state/ui';
import type { ConsoleApi } from '../../shared/api';
import { alertRow } from './rows';
import { ConnectionStatus } from '../../shared/api';

const status = ConnectionStatus.parse({
  state: 'online',
  since: '2026-11-28T10:00:00Z',
  hubUrl: 'http://hub',
  cursor: 0,
  head: 0,
  pendingActions: 0,
  officer: null,
  lastError: null,
});

describe('threads', () => {
  it('an open thread is a current message that is not a Cancel; a current Cancel is a closed thread', () => {
    expect(isActiveThread(alertRow('a'))).toBe(true);
    expect(isActiveThread(alertRow('a', { lifecycle: 'superseded' }))).toBe(false);
    expect(isActiveThread(alertRow('a', { lifecycle: 'cancelled' }))).toBe(false);
    expect(isActiveThread(alertRow('c', { msgType: 'Cancel' }))).toBe(false);
    expect(isClosedThread(alertRow('c', { msgType: 'Cancel' }))).toBe(true);
    expect(isClosedThread(alertRow('a', { lifecycle: 'cancelled' }))).toBe(false);
    // An Ack or Error message stays in the queue for the officer to read.
    expect(isActiveThread(alertRow('e', { msgType: 'Error' }))).toBe(true);
  });

  it('the queue shows open threads by default and the Cancels under Closed; the map only open ones and the open alert', () => {
    const store = createStore({ api: null });
    store.dispatch(
      snapshotLoaded({
        assets: [],
        status,
        alerts: [
          alertRow('old', { lifecycle: 'superseded', supersededBy: 'new' }),
          alertRow('new', { msgType: 'Update' }),
          alertRow('gone', { lifecycle: 'cancelled', supersededBy: 'cancel' }),
          alertRow('cancel', { msgType: 'Cancel' }),
        ],
      }),
    );
    expect(selectVisibleAlertIds(store.getState())).toEqual(['new']);
    expect(selectUnacknowledgedCount(store.getState())).toBe(1);
    expect(selectMappableAlerts(store.getState()).map((a) => a.id)).toEqual(['new']);
    store.dispatch(threadViewChanged('closed'));
    expect(selectVisibleAlertIds(store.getState())).toEqual(['cancel']);
  });
});

describe('grouping', () => {
  const rows = [
    alertRow('x1', { severity: 'Extreme', event: 'Flood', groupId: 'g1' }),
    alertRow('s1', { severity: 'Severe', event: 'Fire', groupId: null }),
    alertRow('m1', { severity: 'Moderate', event: 'Flood', groupId: 'g1' }),
    alertRow('m2', { severity: 'Moderate', event: 'Flood', groupId: 'g1', status: 'Exercise' }),
    alertRow('n1', { severity: 'Minor', event: 'Flood', groupId: 'g1' }),
  ];
  const entities = Object.fromEntries(rows.map((r) => [r.id, r]));
  const ids = rows.map((r) => r.id);

  it('a group takes the place of its most severe member; members keep queue order; Actual never groups with an exercise', () => {
    const entries = groupEntries(ids, entities, 'grouped', new Set());
    expect(entries.map((e) => (e.kind === 'group' ? `G[${e.ids.join(',')}]` : e.id))).toEqual([
      'G[x1,m1,n1]',
      's1',
      'm2',
    ]);
  });

  it('an open group lists its members under it', () => {
    const key = (groupEntries(ids, entities, 'grouped', new Set())[0] as { key: string }).key;
    const entries = groupEntries(ids, entities, 'grouped', new Set([key]));
    expect(entries.map((e) => `${e.kind}:${e.kind === 'group' ? e.ids.length : e.id}`)).toEqual([
      'group:3',
      'member:x1',
      'member:m1',
      'member:n1',
      'alert:s1',
      'alert:m2',
    ]);
  });

  it('flood view groups by event and area even without a correlation group', () => {
    const a = alertRow('a', { event: 'Gas leak', center: { lat: 59.911, lon: 10.751 }, severity: 'Severe' });
    const b = alertRow('b', { event: 'Gas leak', center: { lat: 59.912, lon: 10.752 } });
    const far = alertRow('far', { event: 'Gas leak', center: { lat: 60.5, lon: 11.5 } });
    const other = alertRow('other', { event: 'Fire', center: { lat: 59.911, lon: 10.751 } });
    const e = { a, b, far, other };
    const entries = groupEntries(['a', 'b', 'far', 'other'], e, 'flood', new Set());
    expect(entries.map((x) => (x.kind === 'group' ? x.ids.join('+') : x.id))).toEqual(['a+b', 'far', 'other']);
    expect(groupEntries(['a', 'b'], e, 'list', new Set()).every((x) => x.kind === 'alert')).toBe(true);
  });

  it('counts members by severity, worst first', () => {
    expect(severityBreakdown(['n1', 'x1', 'm1'], entities)).toEqual([
      { severity: 'Extreme', count: 1 },
      { severity: 'Moderate', count: 1 },
      { severity: 'Minor', count: 1 },
    ]);
  });

  it('a text search lists alerts one by one even in a grouped layout', () => {
    const store = createStore({ api: null });
    store.dispatch(snapshotLoaded({ assets: [], status, alerts: rows }));
    store.dispatch(layoutChosen('grouped'));
    expect(selectQueueEntries(store.getState()).some((e) => e.kind === 'group')).toBe(true);
    store.dispatch(filterTextChanged('flood'));
    expect(selectQueueEntries(store.getState()).every((e) => e.kind === 'alert')).toBe(true);
    store.dispatch(filterTextChanged(''));
    const key = selectQueueEntries(store.getState()).find((e) => e.kind === 'group');
    store.dispatch(groupToggled((key as { key: string }).key));
    expect(selectQueueEntries(store.getState()).filter((e) => e.kind === 'member')).toHaveLength(3);
  });
});

describe('alarm floods', () => {
  const t0 = Date.parse('2026-11-28T10:00:00Z');
  const arrivals = (n: number, msgType: 'Alert' | 'Update' | 'Cancel' = 'Alert') =>
    Array.from({ length: n }, (_, i) =>
      alertRow(`a${i}`, { msgType, receivedAt: new Date(t0 + i * 1_000).toISOString() }),
    );

  it('counts new alerts and updates, not cancels, towards the ISA-18.2 threshold', () => {
    expect(floodState(floodArrivals(arrivals(11)), t0 + 60_000).flood).toBe(true);
    expect(floodState(floodArrivals(arrivals(10)), t0 + 60_000).flood).toBe(false);
    expect(floodArrivals(arrivals(11, 'Cancel'))).toEqual([]);
    expect(floodArrivals(arrivals(3, 'Update'))).toHaveLength(3);
  });

  it('a flood that starts switches to flood view; the officer may leave it; it comes back only with the next flood', () => {
    let layout: 'list' | 'grouped' | 'flood' = 'grouped';
    let episode: FloodEpisode = { active: false, layoutBefore: null };
    const step = (flood: boolean) => ({ layout, episode } = reactToFlood(flood, layout, episode));
    step(true);
    expect(layout).toBe('flood');
    layout = 'list'; // the officer leaves flood view
    step(true);
    step(true);
    expect(layout).toBe('list');
    step(false);
    expect(layout).toBe('list');
    step(true); // the next flood
    expect(layout).toBe('flood');
    step(false); // over: back to what the officer had
    expect(layout).toBe('list');
  });

  it('the queue slice keeps the rate and restores the layout from before the flood', () => {
    const store = createStore({ api: null });
    store.dispatch(layoutChosen('grouped'));
    store.dispatch(floodChecked({ flood: true, ratePer10Min: 42 }));
    expect(store.getState().queue.layout).toBe('flood');
    expect(store.getState().queue.flood.ratePer10Min).toBe(42);
    const before = store.getState();
    store.dispatch(floodChecked({ flood: true, ratePer10Min: 42 }));
    expect(store.getState()).toBe(before); // no-op check, no new state
    store.dispatch(floodChecked({ flood: false, ratePer10Min: 3 }));
    expect(store.getState().queue.layout).toBe('grouped');
  });
});

describe('languages', () => {
  const infos = [
    { language: 'fr-CA', n: 1 },
    { language: 'en-CA', n: 2 },
    { language: 'zh-Hans', n: 3 },
    { language: 'en-CA', n: 4 },
  ];
  it('puts the officer language first (by base language), groups blocks of one language, keeps message order otherwise', () => {
    expect(languageTabs(infos, 'en').map((t) => [t.language, t.infos.map((i) => i.n)])).toEqual([
      ['en-CA', [2, 4]],
      ['fr-CA', [1]],
      ['zh-Hans', [3]],
    ]);
    expect(languageTabs(infos, 'zh-CN')[0]?.language).toBe('zh-Hans');
    expect(languageTabs([{ language: 'zh-CN' }, { language: 'zh' }], 'zh-CN')[0]?.language).toBe('zh-CN');
  });
});

describe('reinstating', () => {
  const api = (result: Awaited<ReturnType<ConsoleApi['reinstateAlert']>>) =>
    ({
      reinstateAlert: async () => result,
      acknowledgeAlert: async () => ({ ok: true, value: { mutationId: 'm0' } }),
    }) as unknown as ConsoleApi;

  it('keeps the mutation id once written, and the refusal sentence when the console refuses', async () => {
    const ok = createStore({ api: api({ ok: true, value: { mutationId: 'm1' } }) });
    await ok.dispatch(reinstateAlert({ alertId: 'a' }));
    expect(ok.getState().alerts.reinstateRequests['a']).toEqual({ state: 'queued', mutationId: 'm1' });

    const refused = createStore({
      api: api({
        ok: false,
        error: { code: 'CONFLICT', message: 'This alert is not acknowledged, so it is already in the queue.' },
      }),
    });
    await refused.dispatch(reinstateAlert({ alertId: 'a' }));
    expect(refused.getState().alerts.reinstateRequests['a']).toEqual({
      state: 'failed',
      error: { code: 'CONFLICT', message: 'This alert is not acknowledged, so it is already in the queue.' },
    });
    await refused.dispatch(acknowledgeAlert({ alertId: 'a' }));
  });
});
