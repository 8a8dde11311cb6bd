import { useEffect } from 'react';
import { useAppDispatch, useAppStore } from '../state/hooks';
import { boardShown, commandOpened, helpToggled, type Board } from '../state/workspace';
import { newIncidentFromSelection } from './execute';

/** DOM id of the open incident's manual log entry box, the target of the `l` key. */
export const LOG_ENTRY_ID = 'wf-log-entry';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

const boardKeys: Readonly<Record<string, Board>> = { '1': 'alerts', '2': 'incidents', '3': 'units', '4': 'assets' };

/** One line per shortcut, for the help overlay: keys, then the i18n key of what they do. */
export const shortcutList: ReadonlyArray<readonly [keys: string, what: string]> = [
  ['Ctrl+K', 'help.keys.command'],
  ['? · F1', 'help.keys.help'],
  ['Alt+1 · Alt+2 · Alt+3', 'help.keys.boards'],
  ['Alt+4', 'telemetry.help.board'],
  ['↑ ↓ · Enter', 'help.keys.move'],
  ['/', 'help.keys.filter'],
  ['a', 'help.keys.ack'],
  ['n', 'help.keys.openIncident'],
  ['d', 'help.keys.dispatch'],
  ['s', 'help.keys.status'],
  ['l', 'help.keys.log'],
  ['m', 'desktop2.help.mute'],
  ['Esc', 'help.keys.escape'],
];

/**
 * Keys for incidents, units and the command bar. Ctrl+K and F1 work everywhere, even in
 * a text field; the single letters only outside one (the alert keys live in
 * components/shortcuts.ts and stay as they are).
 */
export function useResponseShortcuts(): void {
  const dispatch = useAppDispatch();
  const store = useAppStore();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const key = e.key;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && key.toLowerCase() === 'k') {
        e.preventDefault();
        dispatch(commandOpened());
        return;
      }
      if (key === 'F1') {
        e.preventDefault();
        dispatch(helpToggled());
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey && boardKeys[key]) {
        e.preventDefault();
        dispatch(boardShown(boardKeys[key]));
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const { workspace } = store.getState();
      if (workspace.commandOpen || workspace.newIncident) return;
      if (key === '?') {
        e.preventDefault();
        dispatch(helpToggled());
      } else if (key === 'Escape' && workspace.helpOpen) {
        e.preventDefault();
        dispatch(helpToggled(false));
      } else if (key === 'n') {
        e.preventDefault();
        dispatch(newIncidentFromSelection(store.getState()));
      } else if (key === 'd') {
        e.preventDefault();
        dispatch(commandOpened('dispatch '));
      } else if (key === 's') {
        e.preventDefault();
        dispatch(commandOpened('status '));
      } else if (key === 'l') {
        const box = document.getElementById(LOG_ENTRY_ID);
        if (box) {
          e.preventDefault();
          box.focus();
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dispatch, store]);
}
