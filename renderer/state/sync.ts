import type { ChangeSet, ConsoleApi } from '../../shared/api';
import { telemetryApiOf } from '../telemetry/api';
import { startTelemetrySync } from '../telemetry/sync';
import { changesReceived, snapshotFailed, snapshotLoaded } from './actions';
import { loadSnapshotRest, markSnapshot } from './snapshotPages';
import type { AppDispatch } from './store';

const RETRY_MS = [1_000, 2_000, 5_000, 10_000] as const;

/**
 * Load the snapshot, then merge pushes. We subscribe first and hold pushes until the
 * snapshot is in, so nothing that changes while the snapshot travels is lost; a held
 * push that repeats what the snapshot says is a no-op in the slices. A failed snapshot
 * is shown to the officer (snapshotFailed) and tried again with growing pauses.
 * Returns a function that stops everything.
 */
export function startSync(api: ConsoleApi | null, dispatch: AppDispatch): () => void {
  if (!api) {
    dispatch(snapshotFailed({ code: 'INTERNAL', message: 'This window is not connected to the console host.' }));
    return () => {};
  }
  let held: ChangeSet[] | null = [];
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = api.onChanges((changes) => {
    if (held) held.push(changes);
    else dispatch(changesReceived(changes));
  });
  // Sensor states stand on their own (keyed by asset id), so they need not wait for the snapshot.
  const stopTelemetry = startTelemetrySync(telemetryApiOf(api), dispatch);

  const load = async (attempt: number): Promise<void> => {
    let error;
    try {
      const result = await api.getSnapshot();
      if (stopped) return;
      if (result.ok) {
        dispatch(snapshotLoaded(result.value));
        const pending = held ?? [];
        held = null;
        for (const changes of pending) dispatch(changesReceived(changes));
        // City scale: the first snapshot was a window; the rest comes after the first frame (decision 0038).
        if (result.value.rest) void loadSnapshotRest(api, dispatch, result.value.rest, () => stopped);
        else markSnapshot('complete');
        return;
      }
      error = result.error;
    } catch (err) {
      error = { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) };
    }
    if (stopped) return;
    dispatch(snapshotFailed(error));
    timer = setTimeout(() => void load(attempt + 1), RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
  };
  void load(0);

  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
    stopTelemetry();
  };
}
