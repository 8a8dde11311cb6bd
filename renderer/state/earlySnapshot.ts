import type { ChangeSet, ConsoleApi, Snapshot } from '../../shared/api';
import type { Result } from '../../shared/errors';

/**
 * The first snapshot, asked for while the page still starts (issue 8, decision 0041): main.tsx
 * asks for it beside the session, before React has rendered anything, instead of after the
 * session's answer and the console's first render (0.3–0.9 s later on a loaded machine). Pushes
 * are held from that moment, as startSync holds them, and handed over with the snapshot.
 * If nobody is signed in the host refuses it, and startSync asks again after sign-in.
 */
export interface EarlySnapshot {
  /**
   * The held pushes and the snapshot, for startSync, once; null after the first call or if the
   * snapshot failed. `snapshot` is null when a held push asked for a resync (it is older).
   */
  take(): { pushes: ChangeSet[]; snapshot: Promise<Result<Snapshot>> | null } | null;
}

export function askSnapshotEarly(api: ConsoleApi): EarlySnapshot {
  let held: ChangeSet[] | null = [];
  let unsubscribe: (() => void) | null = api.onChanges((changes) => held?.push(changes));
  const stop = (): void => {
    unsubscribe?.();
    unsubscribe = null;
    held = null;
  };
  const snapshot = api.getSnapshot().catch((err: unknown): Result<Snapshot> => ({
    ok: false,
    error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
  }));
  // Refused (nobody signed in yet) or failed: nothing to hand over; pushes are not held for nobody.
  void snapshot.then((r) => {
    if (!r.ok) stop();
  });
  return {
    take() {
      const pushes = held;
      stop();
      if (!pushes) return null;
      return { pushes, snapshot: pushes.some((c) => c.resync) ? null : snapshot };
    },
  };
}
