import { describe, expect, it, vi } from 'vitest';
import type { ChangeSet, ConsoleApi, Snapshot } from '../../shared/api';
import type { Result } from '../../shared/errors';
import { selectAlertById, selectAlertsLoaded } from '../../renderer/state/alerts';
import { selectLoadError } from '../../renderer/state/connection';
import { createStore } from '../../renderer/state/store';
import { askSnapshotEarly } from '../../renderer/state/earlySnapshot';
import { startSync } from '../../renderer/state/sync';
import { alertRow, statusRow } from './rows';

function bridge(answers: Array<Result<Snapshot>>) {
  // every subscriber, as the bridge has (an early snapshot's and startSync's overlap for a moment)
  const listeners = new Set<(c: ChangeSet) => void>();
  let release: (() => void) | null = null;
  const api = {
    getSnapshot: () =>
      new Promise<Result<Snapshot>>((resolve) => {
        const answer = answers.shift()!;
        release = () => resolve(answer);
      }),
    onChanges: (l: (c: ChangeSet) => void) => {
      const entry = (c: ChangeSet): void => l(c);
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  } as unknown as ConsoleApi;
  return { api, push: (c: ChangeSet) => [...listeners].forEach((l) => l(c)), answer: () => release?.() };
}

describe('startSync', () => {
  it('applies pushes that arrive while the snapshot travels, after the snapshot', async () => {
    const snapshot: Snapshot = { alerts: [alertRow('a')], assets: [], status: statusRow() };
    const b = bridge([{ ok: true, value: snapshot }]);
    const store = createStore({ api: b.api });
    startSync(b.api, store.dispatch);
    b.push({ alerts: [alertRow('a', { pendingAck: true })], assets: [] });
    b.answer();
    await vi.waitFor(() => expect(selectAlertsLoaded(store.getState())).toBe(true));
    expect(selectAlertById(store.getState(), 'a')?.pendingAck).toBe(true);
  });

  it('shows a failed snapshot and tries again', async () => {
    vi.useFakeTimers();
    try {
      const b = bridge([
        { ok: false, error: { code: 'TIMEOUT', message: 'The replica did not answer.' } },
        { ok: true, value: { alerts: [], assets: [], status: statusRow() } },
      ]);
      const store = createStore({ api: b.api });
      startSync(b.api, store.dispatch);
      b.answer();
      await vi.waitFor(() => expect(selectLoadError(store.getState())?.code).toBe('TIMEOUT'));
      await vi.advanceTimersByTimeAsync(1_000);
      b.answer();
      await vi.waitFor(() => expect(selectAlertsLoaded(store.getState())).toBe(true));
      expect(selectLoadError(store.getState())).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes the snapshot asked at the page start, with the pushes held since, and asks for no other', async () => {
    const snapshot: Snapshot = { alerts: [alertRow('a')], assets: [], status: statusRow() };
    const b = bridge([{ ok: true, value: snapshot }]);
    let asked = 0;
    const getSnapshot = b.api.getSnapshot;
    const api = { ...b.api, getSnapshot: () => (asked++, getSnapshot()) } as ConsoleApi;
    const store = createStore({ api });
    const early = askSnapshotEarly(api);
    // pushed before startSync (while React rendered the console): held, merged after the snapshot
    b.push({ alerts: [alertRow('a', { pendingAck: true })], assets: [] });
    startSync(api, store.dispatch, early);
    b.push({ alerts: [alertRow('b')], assets: [] });
    b.answer();
    await vi.waitFor(() => expect(selectAlertsLoaded(store.getState())).toBe(true));
    expect(asked).toBe(1);
    expect(selectAlertById(store.getState(), 'a')?.pendingAck).toBe(true);
    expect(selectAlertById(store.getState(), 'b')).toBeDefined();
  });

  it('asks again when the early snapshot was refused (nobody signed in yet)', async () => {
    const b = bridge([
      { ok: false, error: { code: 'UNAUTHORIZED', message: 'Nobody is signed in at this console; sign in first.' } },
      { ok: true, value: { alerts: [alertRow('c')], assets: [], status: statusRow() } },
    ]);
    const store = createStore({ api: b.api });
    const early = askSnapshotEarly(b.api);
    b.answer();
    await Promise.resolve();
    startSync(b.api, store.dispatch, early);
    await vi.waitFor(() => {
      b.answer();
      expect(selectAlertsLoaded(store.getState())).toBe(true);
    });
    expect(selectLoadError(store.getState())).toBeNull();
    expect(selectAlertById(store.getState(), 'c')).toBeDefined();
  });
});

describe('startSync after a resync (decision 0040)', () => {
  // x was pushed before a quiet catch-up superseded it (no push for that); the snapshot asked
  // after the resync no longer holds it. Held pushes are older than that snapshot: their
  // alert and asset rows must not come back after it.
  const old = { ok: true as const, value: { alerts: [alertRow('x')], assets: [], status: statusRow() } };
  const fresh = { ok: true as const, value: { alerts: [alertRow('y')], assets: [], status: statusRow() } };

  it('does not put back rows pushed before the resync while a snapshot travelled', async () => {
    const b = bridge([old, fresh]);
    const store = createStore({ api: b.api });
    startSync(b.api, store.dispatch);
    b.push({ alerts: [alertRow('x')], assets: [] });
    b.push({ alerts: [alertRow('x', { pendingAck: true })], assets: [], resync: true });
    await vi.waitFor(() => {
      b.answer();
      expect(selectAlertById(store.getState(), 'y')).toBeDefined();
    });
    expect(selectAlertById(store.getState(), 'x')).toBeUndefined();
  });

  it('does not put back rows held by the early snapshot before a resync', async () => {
    const b = bridge([old, fresh]);
    const store = createStore({ api: b.api });
    const early = askSnapshotEarly(b.api);
    b.push({ alerts: [alertRow('x')], assets: [] });
    b.push({ alerts: [], assets: [], resync: true });
    startSync(b.api, store.dispatch, early);
    await vi.waitFor(() => {
      b.answer();
      expect(selectAlertById(store.getState(), 'y')).toBeDefined();
    });
    expect(selectAlertById(store.getState(), 'x')).toBeUndefined();
  });
});
