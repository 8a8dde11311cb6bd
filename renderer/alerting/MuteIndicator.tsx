import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { toggleMuted, useAlertingStatus } from './status';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

/** The mute key: `m` outside a text field, in every window of the console. */
export function useMuteKey(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === 'm') {
        e.preventDefault();
        toggleMuted();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * The status bar's sound switch. Muted is loud on purpose (the attention tone and a
 * crossed speaker): a room that forgot it muted the console must see it at a glance.
 * data-sound-plays / data-last-sound tell the e2e tests what the player did.
 */
export function MuteIndicator() {
  const { t } = useTranslation();
  const { muted, plays, failures, lastSound } = useAlertingStatus();
  useMuteKey();
  return (
    <button
      type="button"
      className={`wf-chip wf-sound ${muted ? 'wf-chip--attention wf-sound--muted' : ''}`}
      aria-pressed={muted}
      title={t(muted ? 'desktop2.sound.unmuteHint' : 'desktop2.sound.muteHint')}
      data-testid="sound-indicator"
      data-muted={muted ? 'true' : 'false'}
      data-sound-plays={plays}
      data-sound-failures={failures}
      data-last-sound={lastSound ?? ''}
      onClick={() => toggleMuted()}
    >
      {t(muted ? 'desktop2.sound.muted' : 'desktop2.sound.on')}
      <kbd className="wf-kbd">m</kbd>
    </button>
  );
}
