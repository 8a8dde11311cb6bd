import { describe, expect, it, vi } from 'vitest';
import type { ChangeSet, ConsoleApi, Snapshot, SnapshotPage } from '../../shared/api';
import { startAlerting } from '../../renderer/alerting/controller';
import type { SoundName } from '../../renderer/alerting/decide';
import { setMuted } from '../../renderer/alerting/status';
import { createI18n } from '../../renderer/i18n';
import { selectAlertCount } from '../../renderer/state/alerts';
import { selectAssetCount } from '../../renderer/state/assets';
import { changesReceived, snapshotLoaded, snapshotPageLoaded } from '../../renderer/state/actions';
import { createStore } from '../../renderer/state/store';
import { startSync } from '../../renderer/state/sync';
import { alertRow, statusRow } from './rows';

/**
 * The windowed first snapshot (decision 0038) in the renderer: the rest arrives in pages
 * after the first snapshot, lands in the store, and makes no sound (it was there before
 * this window); an alert received after the snapshot still sounds.
 */
const extreme = (id: string, receivedSeq: number) => alertRow(id, { severity: 'Extreme', receivedSeq });
const asset = (i: number) => ({
  id: `asset-${i}`,
  kind: 'bridge' as const,
  name: `Bridge ${i}`,
  district: 'Harbour',
  criticality: 3,
  location: { lat: 51.5, lon: -0.1 + i / 1000 },
});

describe('the rest of a windowed snapshot', () => {
  it('is read in pages into the store, silently; a later alert still sounds', async () => {
    setMuted(false);
    const pages: Record<'alerts' | 'assets', SnapshotPage[]> = {
      alerts: [
        { alerts: [extreme('a1', 3), extreme('a2', 4)], assets: [], next: 2 },
        { alerts: [extreme('a3', 5)], assets: [], next: null },
      ],
      assets: [{ alerts: [], assets: [asset(1), asset(2), asset(3)], next: null }],
    };
    const asked: string[] = [];
    let listener: ((c: ChangeSet) => void) | null = null;
    const api = {
      getSnapshot: async () => ({
        ok: true,
        value: {
          alerts: [extreme('a0', 2)],
          assets: [],
          status: statusRow({ cursor: 10, head: 10 }),
          rest: { alerts: 3, assets: 3 },
        } satisfies Snapshot,
      }),
      getSnapshotPage: async (args: { kind: 'alerts' | 'assets'; after: number }) => {
        asked.push(`${args.kind}>${args.after}`);
        return { ok: true, value: pages[args.kind].shift()! };
      },
      onChanges: (l: (c: ChangeSet) => void) => {
        listener = l;
        return () => (listener = null);
      },
      notify: async () => ({ ok: true, value: { shown: true } }),
      setDesktopStatus: async () => ({ ok: true, value: {} }),
      onDesktop: () => () => {},
      onTelemetryStatus: () => () => {},
    } as unknown as ConsoleApi;
    const store = createStore({ api });
    const played: SoundName[] = [];
    const stopAlerting = startAlerting({
      store,
      api,
      i18n: createI18n('en'),
      player: { play: (s) => played.push(s) },
      // a few seconds after the rows' sent time: fresh news, as far as alerting can tell
      now: () => Date.parse('2026-11-28T10:00:05+00:00'),
      trayEveryMs: 0,
    });
    const stop = startSync(api, store.dispatch);
    await vi.waitFor(() => expect(selectAssetCount(store.getState())).toBe(3));
    expect(selectAlertCount(store.getState())).toBe(4);
    expect(asked).toEqual(['alerts>0', 'alerts>2', 'assets>0']);
    expect(played).toEqual([]);
    // News after the snapshot's cursor (10) is news.
    listener!({ alerts: [extreme('new', 11)], assets: [] });
    await vi.waitFor(() => expect(played).toEqual(['extreme']));
    stop();
    stopAlerting();
  });
});

describe('a snapshot page answered late', () => {
  it('does not undo a live change that reached the store before it', () => {
    const store = createStore({ api: null });
    store.dispatch(
      snapshotLoaded({
        alerts: [],
        assets: [],
        status: statusRow({ cursor: 10, head: 10 }),
        rest: { alerts: 2, assets: 1 },
      }),
    );
    // the worker read the page, then b1 was acknowledged and pushed; the push overtook the page
    store.dispatch(
      changesReceived({
        alerts: [alertRow('b1', { receivedSeq: 3, ack: { by: 'Ada Okafor', at: '2026-11-28T10:00:00.000Z' } })],
        assets: [asset(7)],
      }),
    );
    store.dispatch(
      snapshotPageLoaded({
        alerts: [alertRow('b1', { receivedSeq: 3 }), alertRow('b2', { receivedSeq: 4 })],
        assets: [{ ...asset(7), name: 'Old name' }, asset(8)],
        next: null,
      }),
    );
    const state = store.getState();
    expect(state.alerts.entities['b1']?.ack).toMatchObject({ by: 'Ada Okafor' });
    expect(state.alerts.entities['b2']).toBeDefined();
    expect(state.assets.entities['asset-7']?.name).toBe('Bridge 7');
    expect(state.assets.entities['asset-8']).toBeDefined();
  });
});

describe('pages at city scale (decision 0041)', () => {
  it('asks for the next page before storing the last, and a push that changes a held row wins', async () => {
    let listener: ((c: ChangeSet) => void) | null = null;
    const storedWhenAsked: number[] = [];
    let store: ReturnType<typeof createStore> | null = null;
    const pages: SnapshotPage[] = [
      { alerts: [extreme('p1', 3), extreme('p2', 4)], assets: [], next: 2 },
      { alerts: [extreme('p3', 5)], assets: [], next: null },
    ];
    const api = {
      getSnapshot: async () => ({
        ok: true,
        value: {
          alerts: [extreme('a0', 2)],
          assets: [],
          status: statusRow({ cursor: 10, head: 10 }),
          rest: { alerts: 3, assets: 0 },
        } satisfies Snapshot,
      }),
      getSnapshotPage: async (args: { after: number }) => {
        storedWhenAsked.push(selectAlertCount(store!.getState()));
        // p1 was answered and is held; it is acknowledged meanwhile, and the push arrives first
        if (args.after === 2)
          listener!({
            alerts: [{ ...extreme('p1', 3), ack: { by: 'Ada Okafor', at: '2026-11-28T10:00:03.000Z' } }],
            assets: [],
          });
        return { ok: true, value: pages.shift()! };
      },
      onChanges: (l: (c: ChangeSet) => void) => {
        listener = l;
        return () => (listener = null);
      },
      onTelemetryStatus: () => () => {},
    } as unknown as ConsoleApi;
    store = createStore({ api });
    const stop = startSync(api, store.dispatch);
    await vi.waitFor(() => expect(selectAlertCount(store!.getState())).toBe(4));
    // both pages were asked for while only the first snapshot's row was stored
    expect(storedWhenAsked).toEqual([1, 1]);
    const state = store.getState();
    expect(selectAlertCount(state)).toBe(4);
    expect(state.alerts.entities['p1']?.ack).toMatchObject({ by: 'Ada Okafor' });
    stop();
  });
});
