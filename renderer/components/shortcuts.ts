import { useEffect } from 'react';
import { acknowledgeAlert, selectCanAcknowledge } from '../state/alerts';
import { useAppDispatch, useAppStore } from '../state/hooks';
import { ackArgs } from '../state/ui';

/** DOM id of the queue's filter box, the target of the `/` key. */
export const FILTER_INPUT_ID = 'wf-queue-filter';
/** DOM id of the queue list, where Escape in the filter box returns. */
export const QUEUE_LIST_ID = 'wf-queue-list';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

/**
 * Keys that work anywhere in the window (outside text fields):
 * `/` focuses the queue filter, `a` acknowledges the open alert.
 * Arrow keys and Enter belong to the queue list itself.
 */
export function useGlobalShortcuts(): void {
  const dispatch = useAppDispatch();
  const store = useAppStore();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        document.getElementById(FILTER_INPUT_ID)?.focus();
      } else if (e.key === 'a') {
        const state = store.getState();
        const id = state.ui.selectedAlertId;
        if (id && selectCanAcknowledge(state, id)) {
          e.preventDefault();
          void dispatch(acknowledgeAlert(ackArgs(id, state.ui.ackDraft)));
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dispatch, store]);
}
