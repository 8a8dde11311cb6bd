import type { i18n as I18n } from 'i18next';
import type { ConsoleApi, DesktopStatus } from '../../shared/api';
import { selectUnacknowledgedCount, type Alert } from '../state/alerts';
import type { AppStore } from '../state/store';
import { alertSelected } from '../state/ui';
import { boardShown } from '../state/workspace';
import {
  decideAlerting,
  defaultAlertingSettings,
  emptyMemory,
  type AlertingMemory,
  type AlertingSettings,
} from './decide';
import type { SoundPlayer } from './player';
import { getAlertingStatus, setMuted, subscribeAlertingStatus } from './status';
import { notificationText } from './text';

export interface AlertingDeps {
  store: Pick<AppStore, 'getState' | 'subscribe' | 'dispatch'>;
  api: ConsoleApi | null;
  i18n: Pick<I18n, 't'>;
  player: SoundPlayer;
  now?: () => number;
  settings?: AlertingSettings;
  /** how often the tray hears of the count at most (a storm changes it every frame) */
  trayEveryMs?: number;
}

/**
 * The main window's ears and the shell's eyes: watches the store for alerts this window
 * has not seen, plays the sound and asks for the notifications decideAlerting chooses,
 * tells the shell what the tray should show, and follows the shell's clicks (a
 * notification selects its alert; the tray's mute item mutes). Pop-out windows do not
 * run it: one console, one sound. Returns a stop function.
 */
export function startAlerting(deps: AlertingDeps): () => void {
  const { store, api, i18n, player } = deps;
  const now = deps.now ?? Date.now;
  const settings = deps.settings ?? defaultAlertingSettings;
  let memory: AlertingMemory | null = null;
  let lastEntities: unknown = null;

  const onStore = (): void => {
    const state = store.getState();
    if (!state.alerts.loaded || state.alerts.entities === lastEntities) return;
    lastEntities = state.alerts.entities;
    if (memory === null) {
      // Everything in the first snapshot was there before this window: seen, silent.
      memory = emptyMemory(state.alerts.ids as readonly string[]);
      return;
    }
    const arrived: Alert[] = [];
    // Rows the first snapshot's pages bring (decision 0038) were there before this window: seen, silent.
    const before = state.alerts.snapshotSeq ?? -1;
    for (const id of state.alerts.ids) {
      if (!memory.seen.has(id)) {
        const row = state.alerts.entities[id];
        if (row && row.receivedSeq <= before) memory.seen.add(id);
        else if (row) arrived.push(row);
      }
    }
    if (arrived.length === 0) return;
    const decision = decideAlerting(
      memory,
      {
        arrived,
        now: now(),
        catchingUp: state.connection.status?.state === 'catching-up',
        muted: getAlertingStatus().muted,
      },
      settings,
    );
    memory = decision.memory;
    if (decision.sound) player.play(decision.sound);
    for (const plan of decision.notifications) void api?.notify(notificationText(plan, i18n.t));
  };

  // ---- the tray: state, count and mute, in the officer's words, at most once per trayEveryMs
  const trayEveryMs = deps.trayEveryMs ?? 1_000;
  let sentKey = '';
  let trayTimer: ReturnType<typeof setTimeout> | undefined;
  let lastTrayAt = -Infinity;
  const sendTray = (): void => {
    trayTimer = undefined;
    const status = trayStatus(store.getState(), i18n);
    const key = JSON.stringify(status);
    if (key === sentKey) return;
    sentKey = key;
    lastTrayAt = now();
    void api?.setDesktopStatus(status);
  };
  const onTrayInput = (): void => {
    if (trayTimer !== undefined) return;
    trayTimer = setTimeout(sendTray, Math.max(0, lastTrayAt + trayEveryMs - now()));
  };

  const unsubscribeStore = store.subscribe(() => {
    onStore();
    onTrayInput();
  });
  const unsubscribeStatus = subscribeAlertingStatus(onTrayInput);
  const unsubscribeDesktop =
    api?.onDesktop((event) => {
      if (event.kind === 'focusAlert') {
        store.dispatch(boardShown('alerts'));
        store.dispatch(alertSelected({ id: event.alertId, origin: 'queue' }));
      } else if (event.kind === 'setMuted') {
        setMuted(event.muted);
      }
    }) ?? (() => {});
  onStore();
  onTrayInput();

  return () => {
    clearTimeout(trayTimer);
    unsubscribeStore();
    unsubscribeStatus();
    unsubscribeDesktop();
  };
}

type TrayState = ReturnType<AppStore['getState']>;

/** What the tray shows, in the officer's language (the shell has no i18n of its own). */
export function trayStatus(state: TrayState, i18n: Pick<I18n, 't'>): DesktopStatus {
  const t = i18n.t;
  const connection = state.connection.status?.state ?? null;
  const unacknowledged = selectUnacknowledgedCount(state);
  const muted = getAlertingStatus().muted;
  const stateWord = t(`desktop2.tray.state.${connection ?? 'unknown'}`, {
    defaultValue: t('desktop2.tray.state.connecting'),
  });
  return {
    state: connection,
    unacknowledged,
    muted,
    labels: {
      tooltip: t(muted ? 'desktop2.tray.tooltipMuted' : 'desktop2.tray.tooltip', {
        state: stateWord,
        count: unacknowledged,
      }).slice(0, 300),
      show: t('desktop2.tray.show'),
      mute: t('desktop2.tray.mute'),
      quit: t('desktop2.tray.quit'),
    },
  };
}
