import extremeUrl from '../../assets/sounds/extreme.wav';
import minorUrl from '../../assets/sounds/minor.wav';
import moderateUrl from '../../assets/sounds/moderate.wav';
import severeUrl from '../../assets/sounds/severe.wav';
import type { SoundName } from './decide';

/**
 * Plays the generated severity sounds (assets/sounds, decision 0027) from the app's own
 * origin with HTMLAudioElement: CSP `media-src 'self'` allows exactly that, and no fetch
 * (connect-src stays 'none'). One element per sound, loaded at start so the first alert
 * is not late; a new sound stops the one playing.
 */
export const SOUND_URLS: Readonly<Record<SoundName, string>> = {
  extreme: extremeUrl,
  severe: severeUrl,
  moderate: moderateUrl,
  minor: minorUrl,
};

export interface SoundPlayer {
  play(sound: SoundName): void;
}

export function createAudioPlayer(onPlayed: (s: SoundName) => void, onFailed: (s: SoundName) => void): SoundPlayer {
  const elements = new Map<SoundName, HTMLAudioElement>();
  for (const [name, url] of Object.entries(SOUND_URLS) as [SoundName, string][]) {
    const audio = new Audio(url);
    audio.preload = 'auto';
    elements.set(name, audio);
  }
  let current: HTMLAudioElement | null = null;
  return {
    play(sound) {
      const audio = elements.get(sound);
      if (!audio) return;
      if (current && current !== audio) current.pause();
      current = audio;
      audio.currentTime = 0;
      audio.play().then(
        () => onPlayed(sound),
        () => onFailed(sound),
      );
    },
  };
}
