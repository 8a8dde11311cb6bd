import { useSyncExternalStore } from 'react';
import type { SoundName } from './decide';

/**
 * The workstation's alert-sound state, outside Redux because it is not console data:
 * whether sounds are muted (remembered on this workstation, shared by every window of
 * the console through localStorage and its `storage` event), and what the player did
 * (the status bar shows it, and the e2e tests read it from the indicator's data-*).
 */
export interface AlertingStatus {
  readonly muted: boolean;
  /** sounds that started playing in this window */
  readonly plays: number;
  /** sounds the page could not play (no audio device, autoplay refused) */
  readonly failures: number;
  readonly lastSound: SoundName | null;
}

export const MUTE_STORAGE_KEY = 'watchfloor.soundMuted';

function readStoredMute(): boolean {
  try {
    return window.localStorage.getItem(MUTE_STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

let status: AlertingStatus = { muted: false, plays: 0, failures: 0, lastSound: null };
let loaded = false;
const listeners = new Set<() => void>();

function ensureLoaded(): void {
  if (loaded || typeof window === 'undefined') return;
  loaded = true;
  status = { ...status, muted: readStoredMute() };
  // Another window of this console (a pop-out) changed the mute: follow it.
  window.addEventListener('storage', (e) => {
    if (e.key === MUTE_STORAGE_KEY) update({ muted: e.newValue === '1' });
  });
}

function update(patch: Partial<AlertingStatus>): void {
  status = { ...status, ...patch };
  for (const l of [...listeners]) l();
}

export function getAlertingStatus(): AlertingStatus {
  ensureLoaded();
  return status;
}

export function subscribeAlertingStatus(listener: () => void): () => void {
  ensureLoaded();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function setMuted(muted: boolean): void {
  ensureLoaded();
  if (status.muted === muted) return;
  try {
    window.localStorage.setItem(MUTE_STORAGE_KEY, muted ? '1' : '0');
  } catch {
    // Storage unavailable: the mute lasts for this window only.
  }
  update({ muted });
}

export const toggleMuted = (): void => setMuted(!getAlertingStatus().muted);

export function soundPlayed(sound: SoundName): void {
  update({ plays: status.plays + 1, lastSound: sound });
}

export function soundFailed(sound: SoundName): void {
  update({ failures: status.failures + 1, lastSound: sound });
}

export function useAlertingStatus(): AlertingStatus {
  return useSyncExternalStore(subscribeAlertingStatus, getAlertingStatus);
}
