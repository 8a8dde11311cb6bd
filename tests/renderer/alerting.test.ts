import { describe, expect, it, vi } from 'vitest';
import type { ConsoleApi, DesktopEvent, DesktopStatus, NotifyArgs } from '../../shared/api';
import type { AlertSummary } from '../../shared/domain/alert';
import { startAlerting } from '../../renderer/alerting/controller';
import {
  decideAlerting,
  defaultAlertingSettings,
  emptyMemory,
  soundForSeverity,
  type AlertingMemory,
  type SoundName,
} from '../../renderer/alerting/decide';
import { getAlertingStatus, setMuted } from '../../renderer/alerting/status';
import { createI18n } from '../../renderer/i18n';
import { changesReceived, snapshotLoaded } from '../../renderer/state/actions';
import { createStore } from '../../renderer/state/store';
import { alertRow, statusRow } from './rows';

/**
 * When the console makes a sound or raises a notification (decision 0027): the pure
 * decision, then the main window's controller on a real store.
 */

const NOW = Date.parse('2026-11-28T10:05:00Z');
const SENT = '2026-11-28T10:04:00Z';
/** Pushes are auto-batched by RTK: subscribers hear of them on the next timer tick. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 25));
const row = (id: string, over: Partial<AlertSummary> = {}) => alertRow(id, { sent: SENT, ...over });

const decide = (
  memory: AlertingMemory,
  arrived: AlertSummary[],
  over: { now?: number; catchingUp?: boolean; muted?: boolean } = {},
) =>
  decideAlerting(memory, {
    arrived,
    now: over.now ?? NOW,
    catchingUp: over.catchingUp ?? false,
    muted: over.muted ?? false,
  });

describe('decideAlerting', () => {
  it('gives each CAP severity its own sound', () => {
    const heard = (['Extreme', 'Severe', 'Moderate', 'Minor'] as const).map(
      (severity) => decide(emptyMemory(), [row(severity, { severity })]).sound,
    );
    expect(heard).toEqual(['extreme', 'severe', 'moderate', 'minor']);
    expect(new Set(Object.values(soundForSeverity).slice(0, 4)).size).toBe(4);
  });

  it('is silent for Exercise, Test, System and Draft, and notifies none of them', () => {
    for (const status of ['Exercise', 'Test', 'System', 'Draft'] as const) {
      const d = decide(emptyMemory(), [row(`x-${status}`, { status, severity: 'Extreme' })]);
      expect(d.sound, status).toBeNull();
      expect(d.notifications, status).toEqual([]);
    }
  });

  it('announces Alert and Update messages, never Cancel, Ack or Error', () => {
    expect(decide(emptyMemory(), [row('u', { msgType: 'Update', severity: 'Severe' })]).sound).toBe('severe');
    for (const msgType of ['Cancel', 'Ack', 'Error'] as const)
      expect(decide(emptyMemory(), [row(msgType, { msgType, severity: 'Extreme' })]).sound, msgType).toBeNull();
  });

  it('only announces alerts it has not seen: the snapshot, a repeat and an acknowledged row are silent', () => {
    const memory = emptyMemory(['old']);
    expect(decide(memory, [row('old', { severity: 'Extreme' })]).sound).toBeNull();
    const first = decide(memory, [row('new', { severity: 'Severe' })]);
    expect(first.sound).toBe('severe');
    // The same alert again (its acknowledgement changed, say) is not news, even after the window.
    expect(decide(first.memory, [row('new', { severity: 'Severe' })], { now: NOW + 60_000 }).sound).toBeNull();
    const acked = row('acked', { severity: 'Extreme', ack: { by: 'B', at: SENT } });
    expect(decide(emptyMemory(), [acked]).sound).toBeNull();
    expect(decide(emptyMemory(), [row('pend', { severity: 'Extreme', pendingAck: true })]).sound).toBeNull();
    expect(decide(emptyMemory(), [row('sup', { severity: 'Extreme', lifecycle: 'superseded' })]).sound).toBeNull();
  });

  it('is silent during catch-up and for alerts sent long ago, and remembers them as seen', () => {
    const replay = decide(emptyMemory(), [row('r', { severity: 'Extreme' })], { catchingUp: true });
    expect(replay.sound).toBeNull();
    expect(replay.notifications).toEqual([]);
    expect(decide(replay.memory, [row('r', { severity: 'Extreme' })]).sound).toBeNull();
    const stale = row('stale', { severity: 'Extreme', sent: '2026-11-28T09:00:00Z' });
    expect(decide(emptyMemory(), [stale]).sound).toBeNull();
  });

  it('makes one sound for a storm of 1 000 alerts: the worst severity, and one summary notification', () => {
    const storm = Array.from({ length: 1_000 }, (_, i) =>
      row(`s${i}`, { severity: i === 617 ? 'Extreme' : i % 2 ? 'Severe' : 'Minor' }),
    );
    const d = decide(emptyMemory(), storm);
    expect(d.sound).toBe('extreme');
    expect(d.notifications).toHaveLength(1);
    const summary = d.notifications[0]!;
    expect(summary.kind).toBe('summary');
    if (summary.kind !== 'summary') return;
    expect(summary.count).toBe(500); // the Extreme one and 499 Severe; Minor does not notify
    expect(summary.worst.id).toBe('s617');
    expect(summary.bySeverity).toEqual({ Extreme: 1, Severe: 499 });
  });

  it('plays a severity at most once per window, and nothing milder after a worse one', () => {
    const w = defaultAlertingSettings.soundWindowMs;
    let m = emptyMemory();
    const step = (id: string, severity: AlertSummary['severity'], at: number): SoundName | null => {
      const d = decide(m, [row(id, { severity })], { now: at });
      m = d.memory;
      return d.sound;
    };
    expect(step('a', 'Severe', NOW)).toBe('severe');
    expect(step('b', 'Severe', NOW + 1_000)).toBeNull();
    expect(step('c', 'Minor', NOW + 2_000)).toBeNull();
    expect(step('d', 'Extreme', NOW + 3_000)).toBe('extreme'); // worse: heard at once
    expect(step('e', 'Severe', NOW + 3_000 + w - 1)).toBeNull();
    expect(step('f', 'Severe', NOW + 3_000 + w)).toBe('severe');
  });

  it('mutes the sound but not the notification, and a muted sound does not use up the window', () => {
    const muted = decide(emptyMemory(), [row('m', { severity: 'Extreme' })], { muted: true });
    expect(muted.sound).toBeNull();
    expect(muted.notifications).toEqual([{ kind: 'single', alert: expect.objectContaining({ id: 'm' }) }]);
    expect(decide(muted.memory, [row('n', { severity: 'Extreme' })], { now: NOW + 1 }).sound).toBe('extreme');
  });

  it('notifies Extreme and Severe one by one, and summarises what a busy minute leaves over', () => {
    expect(decide(emptyMemory(), [row('mod', { severity: 'Moderate' })]).notifications).toEqual([]);
    let m = emptyMemory();
    const shown: string[] = [];
    for (let i = 0; i < 9; i++) {
      const d = decide(m, [row(`n${i}`, { severity: 'Severe' })], { now: NOW + i * 1_000 });
      m = d.memory;
      for (const n of d.notifications) shown.push(n.kind === 'single' ? n.alert.id : `summary:${n.count}`);
    }
    // Six a minute: five single ones, the sixth slot a summary; the rest wait for the next.
    expect(shown).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'summary:1']);
    const later = decide(m, [row('late', { severity: 'Severe' })], { now: NOW + 61_000 });
    expect(later.notifications.map((n) => (n.kind === 'summary' ? n.count : n.alert.id))).toEqual([4]);
  });
});

describe('the main window controller', () => {
  function setup() {
    const store = createStore({ api: null });
    const played: SoundName[] = [];
    const notified: NotifyArgs[] = [];
    const tray: DesktopStatus[] = [];
    let desktopListener: ((e: DesktopEvent) => void) | null = null;
    const api = {
      notify: async (args: NotifyArgs) => {
        notified.push(args);
        return { ok: true, value: { shown: true } };
      },
      setDesktopStatus: async (s: DesktopStatus) => {
        tray.push(s);
        return { ok: true, value: {} };
      },
      onDesktop: (l: (e: DesktopEvent) => void) => {
        desktopListener = l;
        return () => (desktopListener = null);
      },
    } as unknown as ConsoleApi;
    const stop = startAlerting({
      store,
      api,
      i18n: createI18n('en'),
      player: { play: (s) => played.push(s) },
      now: () => NOW,
      trayEveryMs: 0,
    });
    store.dispatch(snapshotLoaded({ alerts: [row('old', { severity: 'Extreme' })], assets: [], status: statusRow() }));
    return { store, played, notified, tray, stop, desktop: (e: DesktopEvent) => desktopListener!(e) };
  }

  it('is silent for the snapshot, sounds and notifies a new Extreme alert once, in the officer’s words', async () => {
    setMuted(false);
    const { store, played, notified, stop } = setup();
    expect(played).toEqual([]);
    store.dispatch(
      changesReceived({
        alerts: [row('new', { severity: 'Extreme', event: 'Bridge strain', headline: 'Span 3' })],
        assets: [],
      }),
    );
    await settle();
    expect(played).toEqual(['extreme']);
    expect(notified).toEqual([
      { alertId: 'new', title: 'Extreme: Bridge strain', body: 'Span 3', severity: 'Extreme' },
    ]);
    // Its acknowledgement arrives: the same alert, nothing new.
    store.dispatch(changesReceived({ alerts: [row('new', { severity: 'Extreme', pendingAck: true })], assets: [] }));
    await settle();
    expect(played).toEqual(['extreme']);
    stop();
  });

  it('stays silent for a Test alert and while catching up', async () => {
    setMuted(false);
    const { store, played, notified, stop } = setup();
    store.dispatch(changesReceived({ alerts: [row('t', { severity: 'Extreme', status: 'Test' })], assets: [] }));
    await settle();
    store.dispatch(
      changesReceived({
        alerts: [row('c', { severity: 'Extreme' })],
        assets: [],
        status: statusRow({ state: 'catching-up', cursor: 5, head: 50 }),
      }),
    );
    await settle();
    expect(played).toEqual([]);
    expect(notified).toEqual([]);
    stop();
  });

  it('follows the shell: a notification click selects its alert, the tray mutes', async () => {
    setMuted(false);
    const { store, played, desktop, stop } = setup();
    desktop({ kind: 'focusAlert', alertId: 'old' });
    expect(store.getState().ui.selectedAlertId).toBe('old');
    expect(store.getState().workspace.board).toBe('alerts');
    desktop({ kind: 'setMuted', muted: true });
    expect(getAlertingStatus().muted).toBe(true);
    store.dispatch(changesReceived({ alerts: [row('quiet', { severity: 'Extreme' })], assets: [] }));
    await settle();
    expect(played).toEqual([]);
    setMuted(false);
    stop();
  });

  it('tells the tray the connection state and the count to acknowledge', async () => {
    vi.useFakeTimers();
    try {
      setMuted(false);
      const { store, tray, stop } = setup();
      store.dispatch(changesReceived({ alerts: [row('n1'), row('n2')], assets: [] }));
      await vi.runAllTimersAsync();
      const last = tray.at(-1)!;
      expect(last).toMatchObject({ state: 'online', unacknowledged: 3, muted: false });
      expect(last.labels.tooltip).toBe('Watchfloor: online, 3 to acknowledge');
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
