import type { ChangeSet, ConsoleApi } from '../../shared/api';
import { telemetryApiOf } from '../telemetry/api';
import { startTelemetrySync } from '../telemetry/sync';
import { changesReceived, snapshotFailed, snapshotLoaded } from './actions';
import { loadSnapshotRest, markSnapshot } from './snapshotPages';
import type { EarlySnapshot } from './earlySnapshot';
import type { AppDispatch } from './store';

const RETRY_MS = [1_000, 2_000, 5_000, 10_000] as const;

/**
 * A held push without its alert and asset rows, once a resync stands behind it: the snapshot
 * asked after the resync is newer than it, and the quiet catch-up before the resync did not push
 * the rows it changed, so the push's older copies would come back after that snapshot and stay
 * (a thread superseded in the catch-up, back in the queue). Its other fields still apply.
 */
const withoutRows = (changes: ChangeSet): ChangeSet => ({ ...changes, alerts: [], assets: [] });

/**
 * Load the snapshot, then merge pushes. We subscribe first and hold pushes until the
 * snapshot is in, so nothing that changes while the snapshot travels is lost; a held
 * push that repeats what the snapshot says is a no-op in the slices. A failed snapshot
 * is shown to the officer (snapshotFailed) and tried again with growing pauses.
 * Returns a function that stops everything.
 */
export function startSync(api: ConsoleApi | null, dispatch: AppDispatch, early?: EarlySnapshot): () => void {
  if (!api) {
    dispatch(snapshotFailed({ code: 'INTERNAL', message: 'This window is not connected to the console host.' }));
    return () => {};
  }
  let held: ChangeSet[] | null = [];
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bumped by a resync: a snapshot asked for before it may be older than the rows it stands for.
  let generation = 0;
  const unsubscribe = api.onChanges((changes) => {
    if (held) held.push(changes);
    else dispatch(changesReceived(changes));
    if (changes.resync) resync();
  });
  // A snapshot main.tsx asked for at the page's start (earlySnapshot.ts): its held pushes come
  // first (taken in the same turn as the subscription above, so none falls between).
  const handed = early?.take() ?? null;
  if (handed) held.push(...(handed.snapshot ? handed.pushes : handed.pushes.map(withoutRows)));
  let firstSnapshot = handed?.snapshot ?? null;
  // Sensor states stand on their own (keyed by asset id), so they need not wait for the snapshot.
  const stopTelemetry = startTelemetrySync(telemetryApiOf(api), dispatch);

  const load = async (attempt: number, asked = generation): Promise<void> => {
    let error;
    try {
      const fromEarly = firstSnapshot !== null;
      const asking = firstSnapshot ?? api.getSnapshot();
      firstSnapshot = null;
      const result = await asking;
      // Asked before anyone was signed in, answered after: not a failure, ask now.
      if (fromEarly && !result.ok && !stopped) return void load(attempt, asked);
      if (stopped) return;
      // A resync came while this snapshot travelled: ask again, pushes still held.
      if (asked !== generation) return void load(0);
      if (result.ok) {
        dispatch(snapshotLoaded(result.value));
        const pending = held ?? [];
        held = null;
        for (const changes of pending) dispatch(changesReceived(changes));
        // City scale: the first snapshot was a window; the rest comes after the first frame (decision 0038).
        if (result.value.rest)
          void loadSnapshotRest(api, dispatch, result.value.rest, () => stopped || asked !== generation);
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
  /**
   * The console caught up far behind without pushing the rows it changed (decision 0040): read
   * the snapshot again, holding pushes until it is in, as at the start. The pages of an earlier
   * windowed snapshot stop; a load on its way (or waiting to retry) asks again.
   */
  const resync = (): void => {
    generation++;
    if (held) {
      held = held.map(withoutRows);
      return;
    }
    held = [];
    void load(0);
  };
  void load(0);

  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
    stopTelemetry();
  };
}
