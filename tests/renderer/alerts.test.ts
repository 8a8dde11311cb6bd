import { describe, expect, it } from 'vitest';
import type { ConsoleApi } from '../../shared/api';
import { changesReceived, snapshotLoaded } from '../../renderer/state/actions';
import {
  acknowledgeAlert,
  isClosed,
  selectAckRequest,
  selectAlertById,
  selectCanAcknowledge,
  selectSortedAlertIds,
  selectVisibleAlertIds,
} from '../../renderer/state/alerts';
import { createStore } from '../../renderer/state/store';
import {
  ackArgs,
  ackDraftChanged,
  actualToggled,
  alertSelected,
  filterTextChanged,
  nonActualToggled,
  severityToggled,
} from '../../renderer/state/ui';
import { alertRow, assetRow, statusRow } from './rows';

const load = (store: ReturnType<typeof createStore>, alerts = [alertRow('a')]) =>
  store.dispatch(snapshotLoaded({ alerts, assets: [assetRow('x')], status: statusRow() }));

describe('alert queue order', () => {
  it('sorts by severity, then urgency, then newest sent, then newest arrival', () => {
    const store = createStore({ api: null });
    load(store, [
      alertRow('minor', { severity: 'Minor', urgency: 'Immediate' }),
      alertRow('severe-expected', { severity: 'Severe', urgency: 'Expected' }),
      alertRow('severe-immediate-old', { severity: 'Severe', urgency: 'Immediate', sent: '2026-11-28T09:00:00+00:00' }),
      // 10:30 at +08:00 is 02:30 UTC: older than 09:00 UTC despite the larger wall-clock digits.
      alertRow('severe-immediate-zone', {
        severity: 'Severe',
        urgency: 'Immediate',
        sent: '2026-11-28T10:30:00+08:00',
      }),
      alertRow('severe-immediate-new', {
        severity: 'Severe',
        urgency: 'Immediate',
        sent: '2026-11-28T11:00:00+00:00',
        receivedSeq: 3,
      }),
      alertRow('severe-immediate-new-later', {
        severity: 'Severe',
        urgency: 'Immediate',
        sent: '2026-11-28T11:00:00+00:00',
        receivedSeq: 9,
      }),
      alertRow('extreme', { severity: 'Extreme', urgency: 'Past' }),
      alertRow('unknown', { severity: 'Unknown', urgency: 'Immediate' }),
    ]);
    expect(selectSortedAlertIds(store.getState())).toEqual([
      'extreme',
      'severe-immediate-new-later',
      'severe-immediate-new',
      'severe-immediate-old',
      'severe-immediate-zone',
      'severe-expected',
      'minor',
      'unknown',
    ]);
  });

  it('re-sorts when a pushed row changes its severity', () => {
    const store = createStore({ api: null });
    load(store, [alertRow('a', { severity: 'Minor' }), alertRow('b', { severity: 'Moderate' })]);
    store.dispatch(changesReceived({ alerts: [alertRow('a', { severity: 'Extreme' })], assets: [] }));
    expect(selectSortedAlertIds(store.getState())).toEqual(['a', 'b']);
  });
});

describe('merging pushes', () => {
  it('leaves the whole state identical when every pushed row equals what is stored', () => {
    const store = createStore({ api: null });
    load(store, [alertRow('a', { ack: { by: 'X', at: '2026-11-28T10:05:00+00:00' } }), alertRow('b')]);
    const before = store.getState();
    store.dispatch(
      changesReceived({
        // fresh objects, equal content
        alerts: [alertRow('a', { ack: { by: 'X', at: '2026-11-28T10:05:00+00:00' } }), alertRow('b')],
        assets: [assetRow('x')],
        status: statusRow(),
      }),
    );
    const after = store.getState();
    expect(after.alerts).toBe(before.alerts);
    expect(after.assets).toBe(before.assets);
    expect(after.connection).toBe(before.connection);
    expect(after).toBe(before);
  });

  it('replaces only the rows that changed; the others keep their references', () => {
    const store = createStore({ api: null });
    load(store, [alertRow('a'), alertRow('b')]);
    const a = selectAlertById(store.getState(), 'a');
    store.dispatch(changesReceived({ alerts: [alertRow('a'), alertRow('b', { pendingAck: true })], assets: [] }));
    expect(selectAlertById(store.getState(), 'a')).toBe(a);
    expect(selectAlertById(store.getState(), 'b')?.pendingAck).toBe(true);
  });

  it('adds alerts it has not seen', () => {
    const store = createStore({ api: null });
    load(store, [alertRow('a')]);
    store.dispatch(changesReceived({ alerts: [alertRow('c', { severity: 'Extreme' })], assets: [] }));
    expect(selectSortedAlertIds(store.getState())).toEqual(['c', 'a']);
  });

  it('keeps the visible-ids selector result when nothing changed', () => {
    const store = createStore({ api: null });
    load(store, [alertRow('a'), alertRow('b')]);
    store.dispatch(filterTextChanged('headline a'));
    const first = selectVisibleAlertIds(store.getState());
    store.dispatch(changesReceived({ alerts: [alertRow('a')], assets: [] }));
    expect(selectVisibleAlertIds(store.getState())).toBe(first);
  });
});

describe('queue filter', () => {
  const rows = [
    alertRow('bridge', { event: 'Bridge strain', severity: 'Severe' }),
    alertRow('gas', { event: 'Gas main pressure loss', severity: 'Extreme', headline: 'Pressure drop on Quay Street' }),
    alertRow('drill', { event: 'Flood drill', severity: 'Moderate', status: 'Exercise' }),
    alertRow('test', { event: 'Siren test', severity: 'Minor', status: 'Test' }),
  ];

  it('matches text in event or headline, case-insensitively', () => {
    const store = createStore({ api: null });
    load(store, rows);
    store.dispatch(filterTextChanged('  QUAY '));
    expect(selectVisibleAlertIds(store.getState())).toEqual(['gas']);
    store.dispatch(filterTextChanged('bridge'));
    expect(selectVisibleAlertIds(store.getState())).toEqual(['bridge']);
  });

  it('hides toggled-off severities', () => {
    const store = createStore({ api: null });
    load(store, rows);
    store.dispatch(severityToggled('Extreme'));
    store.dispatch(severityToggled('Minor'));
    expect(selectVisibleAlertIds(store.getState())).toEqual(['bridge', 'drill']);
    store.dispatch(severityToggled('Extreme'));
    expect(selectVisibleAlertIds(store.getState())).toEqual(['gas', 'bridge', 'drill']);
  });

  it('separates Actual from Exercise / Test / System / Draft', () => {
    const store = createStore({ api: null });
    load(store, rows);
    store.dispatch(nonActualToggled());
    expect(selectVisibleAlertIds(store.getState())).toEqual(['gas', 'bridge']);
    store.dispatch(nonActualToggled());
    store.dispatch(actualToggled());
    expect(selectVisibleAlertIds(store.getState())).toEqual(['drill', 'test']);
  });
});

describe('acknowledging', () => {
  const apiAnswering = (answer: Awaited<ReturnType<ConsoleApi['acknowledgeAlert']>>) =>
    ({ acknowledgeAlert: async () => answer }) as unknown as ConsoleApi;

  it('marks the alert pending once the host has written it', async () => {
    const store = createStore({ api: apiAnswering({ ok: true, value: { mutationId: 'm1' } }) });
    load(store, [alertRow('a')]);
    const sent = store.dispatch(acknowledgeAlert({ alertId: 'a' }));
    expect(selectAckRequest(store.getState(), 'a')).toEqual({ state: 'sending' });
    expect(selectCanAcknowledge(store.getState(), 'a')).toBe(false);
    await sent;
    expect(selectAlertById(store.getState(), 'a')?.pendingAck).toBe(true);
    expect(selectAckRequest(store.getState(), 'a')).toBeUndefined();
  });

  it('keeps the host refusal, code and sentence, for the officer to read', async () => {
    const error = { code: 'CONFLICT', message: 'Already acknowledged by B. Officer.' } as const;
    const store = createStore({ api: apiAnswering({ ok: false, error }) });
    load(store, [alertRow('a')]);
    await store.dispatch(acknowledgeAlert({ alertId: 'a' }));
    expect(selectAckRequest(store.getState(), 'a')).toEqual({ state: 'failed', error });
    expect(selectAlertById(store.getState(), 'a')?.pendingAck).toBe(false);
    expect(selectCanAcknowledge(store.getState(), 'a')).toBe(true);
  });

  it('cannot acknowledge an acknowledged alert', () => {
    const store = createStore({ api: null });
    load(store, [alertRow('a', { ack: { by: 'X', at: '2026-11-28T10:05:00+00:00' } })]);
    expect(selectCanAcknowledge(store.getState(), 'a')).toBe(false);
  });
});

describe('triage with the acknowledgement', () => {
  it('sends the chosen disposition and trimmed note, and forgets them when another alert opens', async () => {
    const calls: unknown[] = [];
    const api = {
      acknowledgeAlert: async (args: unknown) => {
        calls.push(args);
        return { ok: true, value: { mutationId: 'm1' } };
      },
    } as unknown as ConsoleApi;
    const store = createStore({ api });
    load(store, [alertRow('a'), alertRow('b')]);
    store.dispatch(alertSelected({ id: 'a', origin: 'queue' }));
    store.dispatch(ackDraftChanged({ disposition: 'relevant-some-impact', note: '  crew on site  ' }));
    await store.dispatch(acknowledgeAlert(ackArgs('a', store.getState().ui.ackDraft)));
    expect(calls).toEqual([{ alertId: 'a', disposition: 'relevant-some-impact', note: 'crew on site' }]);

    store.dispatch(alertSelected({ id: 'b', origin: 'map' }));
    expect(ackArgs('b', store.getState().ui.ackDraft)).toEqual({ alertId: 'b' });
  });
});

describe('lifecycle', () => {
  it('treats superseded and cancelled as closed, and a row without a lifecycle as current', () => {
    expect(isClosed(alertRow('a', { lifecycle: 'superseded' }))).toBe(true);
    expect(isClosed(alertRow('a', { lifecycle: 'cancelled' }))).toBe(true);
    expect(isClosed(alertRow('a'))).toBe(false);
    expect(isClosed({} as Parameters<typeof isClosed>[0])).toBe(false);
  });
});
