import type { ChangeSet, ConsoleApi } from '../../shared/api';
import { changesReceived, snapshotFailed, snapshotLoaded } from './actions';
import type { AppDispatch } from './store';

/**
 * Load the snapshot, then merge pushes. We subscribe first and hold pushes until the
 * snapshot is in, so nothing that changes while the snapshot travels is lost; a held
 * push that repeats what the snapshot says is a no-op in the slices.
 * Returns the unsubscribe function.
 */
export function startSync(api: ConsoleApi | null, dispatch: AppDispatch): () => void {
  if (!api) {
    dispatch(snapshotFailed({ code: 'INTERNAL', message: 'This window is not connected to the console host.' }));
    return () => {};
  }
  let held: ChangeSet[] | null = [];
  const unsubscribe = api.onChanges((changes) => {
    if (held) held.push(changes);
    else dispatch(changesReceived(changes));
  });
  void api
    .getSnapshot()
    .then((result) => {
      if (!result.ok) {
        dispatch(snapshotFailed(result.error));
        return;
      }
      dispatch(snapshotLoaded(result.value));
    })
    .catch((err: unknown) => {
      dispatch(snapshotFailed({ code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }));
    })
    .finally(() => {
      const pending = held ?? [];
      held = null;
      for (const changes of pending) dispatch(changesReceived(changes));
    });
  return unsubscribe;
}
