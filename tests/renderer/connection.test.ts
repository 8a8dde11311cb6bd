import { describe, expect, it } from 'vitest';
import { changesReceived, snapshotLoaded } from '../../renderer/state/actions';
import { selectCatchUpPercent, selectConnectionStatus } from '../../renderer/state/connection';
import { createStore } from '../../renderer/state/store';
import { statusRow } from './rows';

describe('connection status', () => {
  it('takes a changed status and ignores an equal one', () => {
    const store = createStore({ api: null });
    store.dispatch(snapshotLoaded({ alerts: [], assets: [], status: statusRow() }));
    const before = store.getState().connection;
    store.dispatch(changesReceived({ alerts: [], assets: [], status: statusRow() }));
    expect(store.getState().connection).toBe(before);
    store.dispatch(changesReceived({ alerts: [], assets: [], status: statusRow({ state: 'offline' }) }));
    expect(selectConnectionStatus(store.getState())?.state).toBe('offline');
  });

  it('reports catch-up progress as cursor over head', () => {
    const store = createStore({ api: null });
    store.dispatch(
      snapshotLoaded({
        alerts: [],
        assets: [],
        status: statusRow({ state: 'catching-up', cursor: 2_500, head: 10_000 }),
      }),
    );
    expect(selectCatchUpPercent(store.getState())).toBe(25);
  });
});
