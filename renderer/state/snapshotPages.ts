import type { ConsoleApi, Snapshot } from '../../shared/api';
import { snapshotPageLoaded } from './actions';
import type { AppDispatch } from './store';
import { startMark } from '../startMarks';

/**
 * The rest of a windowed first snapshot (decision 0038), read page by page after the first
 * frame: alerts first (the queue and the map's alert layer), then assets. One page per
 * macrotask after a frame, so the officer can already scroll, select and act while it loads.
 * Pages are rows that were there before this window opened, not news (the alerting
 * controller stays silent for them; see `snapshotSeq`).
 */
const PAGE = { alerts: 2_000, assets: 5_000 } as const;
const RETRY_MS = 1_000;

/** When the store holds everything: `window` while pages are being read, then `complete` (bench and e2e read it). */
export function markSnapshot(state: 'window' | 'complete'): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.snapshot = state;
}

/** After the next frame is painted (a timer where there are no frames, e.g. under Node). */
const afterFrame = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });

export async function loadSnapshotRest(
  api: ConsoleApi,
  dispatch: AppDispatch,
  rest: NonNullable<Snapshot['rest']>,
  stopped: () => boolean,
): Promise<void> {
  markSnapshot('window');
  for (const kind of ['alerts', 'assets'] as const) {
    if (rest[kind] === 0) continue;
    let after = 0;
    for (;;) {
      await afterFrame();
      if (stopped()) return;
      const page = await api.getSnapshotPage({ kind, after, limit: PAGE[kind] }).catch((err: unknown) => ({
        ok: false as const,
        error: { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) },
      }));
      if (stopped()) return;
      if (!page.ok) {
        // The host is busy or restarting: the same page again a little later.
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      dispatch(snapshotPageLoaded(page.value));
      if (page.value.next === null) break;
      after = page.value.next;
    }
  }
  markSnapshot('complete');
  startMark('wf:pages-complete');
}
