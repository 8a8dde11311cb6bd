import type { ConsoleApi, Snapshot, SnapshotPage } from '../../shared/api';
import { snapshotPageLoaded } from './actions';
import type { AppDispatch } from './store';
import { startMark } from '../startMarks';

/**
 * The rest of a windowed first snapshot (decision 0038), read page by page after the first
 * frame: alerts first (the queue and the map's alert layer), then assets. The officer can
 * already scroll, select and act while it loads. Pages are rows that were there before this
 * window opened, not news (the alerting controller stays silent for them; see `snapshotSeq`).
 *
 * At city scale (decision 0041): the next page is asked for as soon as one arrives, so the
 * host reads it while the renderer stores the last; and rows are stored a few pages at a
 * time, because each store copies the slice's entities object (tens of thousands of keys,
 * renderer/state/pageRows.ts). Holding rows is safe: a push that changes a row meanwhile is
 * stored first, and the held copy, older, is then skipped; alerts and assets are never removed.
 */
const PAGE = { alerts: 2_000, assets: 5_000 } as const;
/** rows held before they are stored: five pages */
const STORE_ROWS = { alerts: 10_000, assets: 25_000 } as const;
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

type PageResult = Awaited<ReturnType<ConsoleApi['getSnapshotPage']>>;

export async function loadSnapshotRest(
  api: ConsoleApi,
  dispatch: AppDispatch,
  rest: NonNullable<Snapshot['rest']>,
  stopped: () => boolean,
): Promise<void> {
  markSnapshot('window');
  const ask = (kind: 'alerts' | 'assets', after: number): Promise<PageResult> =>
    api.getSnapshotPage({ kind, after, limit: PAGE[kind] }).catch((err: unknown) => ({
      ok: false as const,
      error: { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) },
    }));
  for (const kind of ['alerts', 'assets'] as const) {
    if (rest[kind] === 0) continue;
    let held: SnapshotPage[] = [];
    let heldRows = 0;
    const store = async (): Promise<boolean> => {
      await afterFrame();
      if (stopped()) return false;
      const pages = held;
      held = [];
      heldRows = 0;
      const last = pages[pages.length - 1]!;
      dispatch(
        snapshotPageLoaded({
          alerts: pages.length === 1 ? last.alerts : pages.flatMap((p) => p.alerts),
          assets: pages.length === 1 ? last.assets : pages.flatMap((p) => p.assets),
          next: last.next,
        }),
      );
      return true;
    };
    await afterFrame();
    if (stopped()) return;
    let after = 0;
    let next = ask(kind, after);
    for (;;) {
      const page = await next;
      if (stopped()) return;
      if (!page.ok) {
        // The host is busy or restarting: the same page again a little later.
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        next = ask(kind, after);
        continue;
      }
      const more = page.value.next;
      if (more !== null) {
        after = more;
        next = ask(kind, after);
      }
      held.push(page.value);
      heldRows += page.value[kind].length;
      if (more === null || heldRows >= STORE_ROWS[kind]) {
        if (!(await store())) return;
      }
      if (more === null) break;
    }
  }
  markSnapshot('complete');
  startMark('wf:pages-complete');
}
