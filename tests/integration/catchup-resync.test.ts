import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { startHub, type Hub } from '../../hub/server';
import type { ChangeSet, ConnectionStatus } from '../../shared/api';
import { MAX_PULL } from '../../shared/protocol';
import { createConsoleApi } from '../../shared/bridge';
import { selectAlertEntities, selectQueueEntries, selectVisibleAlertIds } from '../../renderer/state/alerts';
import { selectAssetEntities } from '../../renderer/state/assets';
import { createStore } from '../../renderer/state/store';
import { startSync } from '../../renderer/state/sync';
import { tempDir } from '../main/fixtures';
import { eventually } from '../main/stub-hub';

/**
 * A catch-up far behind pushes progress, not rows, and one resync at the end (decision 0040).
 * What the renderer shows must end exactly as on a console that was live all along: the same
 * queue, the same rows, the same assets.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A console host with a renderer store fed through the same bridge the preload builds. */
async function consoleWithRenderer(hub: Hub, dataDir: string, quietBehind?: number) {
  const token = await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
  const host: ConsoleHost = await startConsoleHost({
    dataDir,
    hubUrl: hub.url,
    token,
    reconnect: { delayMs: 20, maxDelayMs: 200, jitter: 0 },
    ...(quietBehind !== undefined ? { quietBehind } : {}),
  });
  cleanups.push(() => host.close());
  const pushes: ChangeSet[] = [];
  host.onPush((channel, payload) => {
    if (channel === 'watchfloor:changes') pushes.push(payload as ChangeSet);
  });
  const api = createConsoleApi({
    invoke: (channel, args) => host.invoke(channel, args),
    subscribe: (channel, listener) => host.onPush((c, payload) => c === channel && listener(payload)),
  });
  const store = createStore({ api });
  cleanups.push(startSync(api, store.dispatch));
  const state = (): ConnectionStatus['state'] | undefined => store.getState().connection.status?.state;
  return { host, store, pushes, state };
}

it('a console that catches up far behind ends showing what a live one shows, from one resync', async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const hub = await startHub({ dataDir: join(t.dir, 'hub'), port: 0, batchMs: 5 });
  cleanups.push(() => hub.close());

  const live = await consoleWithRenderer(hub, join(t.dir, 'live'));
  await eventually(() => live.state() === 'online', 'the live console online');
  // more than a page and quietBehind: every slice of the first page ends far behind, whatever the
  // machine's speed (700 entries fitted in one 100 ms slice on a quiet machine: nothing was quiet)
  await hub.simulate(MAX_PULL + 400);
  const head = hub.head();

  // over a page behind, quiet above 100: the first page pushes progress only
  const late = await consoleWithRenderer(hub, join(t.dir, 'late'), 100);
  const settled = (c: typeof live) => {
    const s = c.store.getState();
    return s.connection.status?.state === 'online' && s.connection.status.cursor === head && s.alerts.loaded;
  };
  await eventually(() => settled(live) && settled(late), 'both consoles at the head');
  // the resync's snapshot is read after the push that asked for it
  await eventually(() => late.pushes.some((p) => p.resync), 'a resync pushed');
  await eventually(async () => {
    const a = live.store.getState();
    const b = late.store.getState();
    const ids = selectVisibleAlertIds(a);
    // affected assets are computed after the apply, at idle (decision 0029): wait for both
    return (
      JSON.stringify(ids) === JSON.stringify(selectVisibleAlertIds(b)) &&
      JSON.stringify(selectQueueEntries(a)) === JSON.stringify(selectQueueEntries(b)) &&
      JSON.stringify(ids.map((id) => selectAlertEntities(a)[id])) ===
        JSON.stringify(ids.map((id) => selectAlertEntities(b)[id]))
    );
  }, 'the same queue, row for row');

  const a = live.store.getState();
  const b = late.store.getState();
  const visible = selectVisibleAlertIds(a);
  expect(visible.length).toBeGreaterThan(50);
  expect(selectQueueEntries(b)).toEqual(selectQueueEntries(a));
  // every row the queue shows, field by field
  for (const id of visible) expect(selectAlertEntities(b)[id]).toEqual(selectAlertEntities(a)[id]);
  expect(selectAssetEntities(b)).toEqual(selectAssetEntities(a));

  // and it got there quietly: one resync, and no row pushed before it (how many come after it
  // depends on how much of the affected-assets drain (decision 0029) falls after the catch-up)
  const rows = (pushes: ChangeSet[]) => pushes.reduce((n, p) => n + p.alerts.length + p.assets.length, 0);
  expect(late.pushes.filter((p) => p.resync)).toHaveLength(1);
  expect(rows(late.pushes.slice(0, late.pushes.findIndex((p) => p.resync)))).toBe(0);
  expect(rows(live.pushes)).toBeGreaterThan(head / 2);
  // the progress was pushed while it was quiet
  expect(late.pushes.some((p) => p.status?.state === 'catching-up' && p.alerts.length === 0)).toBe(true);
}, 120_000);
