import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { selectAlertCount, selectAlertsLoaded, selectVisibleAlertIds } from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { alertSelected, selectSelection } from '../state/ui';
import { AlertRow, alertRowDomId } from './AlertRow';
import { QueueToolbar } from './QueueToolbar';
import { QUEUE_LIST_ID } from './shortcuts';

const ROW_HEIGHT = 76;
const PAGE = 8;

/**
 * The alert queue: a virtualised listbox (only the rows on screen exist in the DOM).
 * Arrow keys move the cursor, Enter opens the alert under it (detail + map), a click does both.
 */
export function AlertQueue() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const ids = useAppSelector(selectVisibleAlertIds);
  const total = useAppSelector(selectAlertCount);
  const loaded = useAppSelector(selectAlertsLoaded);
  const { selectedAlertId, selectionOrigin, selectionSerial } = useAppSelector(selectSelection);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this build; the virtualizer re-renders the queue itself
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => ids[index] ?? index,
  });

  const open = useCallback(
    (id: string) => {
      setCursorId(id);
      dispatch(alertSelected({ id, origin: 'queue' }));
    },
    [dispatch],
  );

  // An alert picked on the map: bring its row into view and put the cursor on it.
  useEffect(() => {
    if (selectionOrigin !== 'map' || !selectedAlertId) return;
    setCursorId(selectedAlertId);
    const index = ids.indexOf(selectedAlertId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // Only a new selection scrolls; the queue re-sorting under the officer must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectionSerial]);

  const cursorIndex = cursorId === null ? -1 : ids.indexOf(cursorId);

  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(ids.length - 1, index));
    const id = ids[clamped];
    if (id === undefined) return;
    setCursorId(id);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const from = cursorIndex >= 0 ? cursorIndex : Math.max(0, selectedAlertId ? ids.indexOf(selectedAlertId) : -1);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(cursorIndex < 0 ? from : from + 1);
        break;
      case 'ArrowUp':
        moveTo(cursorIndex < 0 ? from : from - 1);
        break;
      case 'PageDown':
        moveTo(from + PAGE);
        break;
      case 'PageUp':
        moveTo(from - PAGE);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(ids.length - 1);
        break;
      case 'Enter':
      case ' ': {
        const id = ids[from];
        if (id !== undefined) open(id);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  const activeDescendant = cursorIndex >= 0 && cursorId ? alertRowDomId(cursorId) : undefined;

  return (
    <section className="wf-panel wf-queue" aria-labelledby="wf-queue-title">
      <h2 id="wf-queue-title" className="wf-panel__title">
        {t('queue.label')}
      </h2>
      <QueueToolbar />
      <div
        id={QUEUE_LIST_ID}
        ref={scrollRef}
        className="wf-queue__list"
        role="listbox"
        aria-label={t('queue.label')}
        aria-activedescendant={activeDescendant}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div className="wf-queue__sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const id = ids[item.index];
            if (id === undefined) return null;
            return (
              <AlertRow
                key={id}
                id={id}
                index={item.index}
                setSize={ids.length}
                selected={id === selectedAlertId}
                active={id === cursorId}
                onOpen={open}
                top={item.start}
                height={item.size}
              />
            );
          })}
        </div>
      </div>
      {loaded && ids.length === 0 && <p className="wf-empty">{total === 0 ? t('queue.emptyAll') : t('queue.empty')}</p>}
      <p className="wf-keys" aria-hidden="true">
        {t('app.shortcuts')}
      </p>
    </section>
  );
}
