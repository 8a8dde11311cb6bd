import { describe, expect, it } from 'vitest';
import { newIncidentFromSelection } from '../../renderer/command/execute';
import { snapshotLoaded } from '../../renderer/state/actions';
import { createStore } from '../../renderer/state/store';
import { alertMarksCleared, alertMarkToggled, alertSelected } from '../../renderer/state/ui';
import { alertRow, assetRow, statusRow } from './rows';

const setup = () => {
  const store = createStore({ api: null });
  store.dispatch(
    snapshotLoaded({
      alerts: [alertRow('a', { headline: 'First' }), alertRow('b', { headline: 'Second' }), alertRow('c')],
      assets: [assetRow('x')],
      status: statusRow(),
    }),
  );
  return store;
};

describe('marked alerts for one incident', () => {
  it('Space toggles a mark; clearing removes all', () => {
    const store = setup();
    store.dispatch(alertMarkToggled('a'));
    store.dispatch(alertMarkToggled('b'));
    store.dispatch(alertMarkToggled('a'));
    expect(store.getState().ui.markedAlertIds).toEqual(['b']);
    store.dispatch(alertMarksCleared());
    expect(store.getState().ui.markedAlertIds).toEqual([]);
  });

  it('opens from the marked alerts, else from the open one', () => {
    const store = setup();
    store.dispatch(alertSelected({ id: 'c', origin: 'queue' }));
    expect(newIncidentFromSelection(store.getState()).payload.alertIds).toEqual(['c']);
    store.dispatch(alertMarkToggled('b'));
    store.dispatch(alertMarkToggled('a'));
    store.dispatch(alertMarkToggled('gone'));
    const draft = newIncidentFromSelection(store.getState()).payload;
    expect(draft.alertIds).toEqual(['b', 'a']);
    expect(draft.title).toBe('Second');
  });
});
