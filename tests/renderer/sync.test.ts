import { describe, expect, it, vi } from 'vitest';
import type { ChangeSet, ConsoleApi, Snapshot } from '../../shared/api';
import type { Result } from '../../shared/errors';
import { selectAlertById, selectAlertsLoaded } from '../../renderer/state/alerts';
import { selectLoadError } from '../../renderer/state/connection';
import { createStore } from '../../renderer/state/store';
import { startSync } from '../../renderer/state/sync';
import { alertRow, statusRow } from './rows';

function bridge(answers: Array<Result<Snapshot>>) {
  let listener: ((c: ChangeSet) => void) | null = null;
  let release: (() => void) | null = null;
  const api = {
    getSnapshot: () =>
      new Promise<Result<Snapshot>>((resolve) => {
        const answer = answers.shift()!;
        release = () => resolve(answer);
      }),
    onChanges: (l: (c: ChangeSet) => void) => {
      listener = l;
      return () => (listener = null);
    },
  } as unknown as ConsoleApi;
  return { api, push: (c: ChangeSet) => listener?.(c), answer: () => release?.() };
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
});
