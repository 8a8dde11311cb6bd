import { describe, expect, it, vi } from 'vitest';
import type { ChangeSet, ConsoleApi, Snapshot } from '../../shared/api';
import type { Result } from '../../shared/errors';
import { startAlerting } from '../../renderer/alerting/controller';
import type { SoundName } from '../../renderer/alerting/decide';
import { setMuted } from '../../renderer/alerting/status';
import { createI18n } from '../../renderer/i18n';
import { selectAlertById, selectAlertCount } from '../../renderer/state/alerts';
import { createStore } from '../../renderer/state/store';
import { startSync } from '../../renderer/state/sync';
import { alertRow, statusRow } from './rows';

/**
 * `ChangeSet.resync` (decision 0040): after a catch-up that pushed progress only, the renderer
 * reads its snapshot again, holding pushes meanwhile; a snapshot asked for before the resync is
 * asked again; the rows the resync brings make no sound.
 */
function bridge() {
  let listener: ((c: ChangeSet) => void) | null = null;
  const waiting: Array<(s: Result<Snapshot>) => void> = [];
  const api = {
    getSnapshot: () => new Promise<Result<Snapshot>>((resolve) => waiting.push(resolve)),
    onChanges: (l: (c: ChangeSet) => void) => {
      listener = l;
      return () => (listener = null);
    },
    notify: async () => ({ ok: true, value: { shown: true } }),
    setDesktopStatus: async () => ({ ok: true, value: {} }),
    onDesktop: () => () => {},
    onTelemetryStatus: () => () => {},
  } as unknown as ConsoleApi;
  const answer = (snapshot: Snapshot) => waiting.shift()!({ ok: true, value: snapshot });
  return { api, push: (c: ChangeSet) => listener?.(c), answer, asked: () => waiting.length };
}

const extreme = (id: string, receivedSeq: number) => alertRow(id, { severity: 'Extreme', receivedSeq });

describe('resync', () => {
  it('reads the snapshot again, holds pushes until it is in, and stays silent', async () => {
    setMuted(false);
    const b = bridge();
    const store = createStore({ api: b.api });
    const played: SoundName[] = [];
    const stopAlerting = startAlerting({
      store,
      api: b.api,
      i18n: createI18n('en'),
      player: { play: (s) => played.push(s) },
      now: () => Date.parse('2026-11-28T10:00:05+00:00'),
      trayEveryMs: 0,
    });
    startSync(b.api, store.dispatch);
    b.answer({ alerts: [extreme('a', 1)], assets: [], status: statusRow({ cursor: 1, head: 900 }) });
    await vi.waitFor(() => expect(selectAlertCount(store.getState())).toBe(1));

    // the catch-up ends: a resync (its status online), then a status push before the snapshot is in
    b.push({ alerts: [], assets: [], status: statusRow({ cursor: 900, head: 900 }), resync: true });
    expect(b.asked()).toBe(1);
    b.push({ alerts: [], assets: [], status: statusRow({ cursor: 900, head: 901 }) });
    b.answer({
      alerts: [extreme('a', 1), ...Array.from({ length: 50 }, (_, i) => extreme(`c${i}`, 2 + i))],
      assets: [],
      status: statusRow({ cursor: 900, head: 900 }),
    });
    await vi.waitFor(() => expect(selectAlertCount(store.getState())).toBe(51));
    // the held push came after the snapshot, not before
    expect(store.getState().connection.status?.head).toBe(901);
    // the 50 rows the catch-up brought are not news
    expect(played).toEqual([]);
    // a live alert after it is
    b.push({ alerts: [extreme('b', 901)], assets: [] });
    await vi.waitFor(() => expect(played).toHaveLength(1));
    stopAlerting();
  });

  it('asks again when a resync comes while the snapshot travels', async () => {
    const b = bridge();
    const store = createStore({ api: b.api });
    startSync(b.api, store.dispatch);
    expect(b.asked()).toBe(1);
    b.push({ alerts: [], assets: [], resync: true });
    // the first answer may be older than the resync: dropped, asked again
    b.answer({ alerts: [alertRow('old')], assets: [], status: statusRow() });
    await vi.waitFor(() => expect(b.asked()).toBe(1));
    b.answer({ alerts: [alertRow('new')], assets: [], status: statusRow() });
    await vi.waitFor(() => expect(selectAlertById(store.getState(), 'new')).toBeDefined());
    expect(selectAlertById(store.getState(), 'old')).toBeUndefined();
  });
});
