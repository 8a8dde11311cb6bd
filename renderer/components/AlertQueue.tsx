import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { selectAlertCount, selectAlertsLoaded, selectQueueEntries } from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { groupToggled, selectThreadView } from '../state/queue';
import type { QueueEntry } from '../state/queueView';
import { alertMarkToggled, alertSelected, selectSelection } from '../state/ui';
import { AlertRow, alertRowDomId } from './AlertRow';
import { FloodBanner, useFloodWatch } from './FloodBanner';
import { GroupRow, groupRowDomId } from './GroupRow';
import { QueueToolbar } from './QueueToolbar';
import { QUEUE_LIST_ID } from './shortcuts';
import { listMoveTarget } from './listKeys';

/** A stable key per entry: an alert's id, or its group's key. */
const entryKey = (e: QueueEntry): string => (e.kind === 'group' ? `group:${e.key}` : e.id);
const entryDomId = (e: QueueEntry): string => (e.kind === 'group' ? groupRowDomId(e.key) : alertRowDomId(e.id));

const ROW_HEIGHT = 76;
const PAGE = 8;

/**
 * The alert queue: a virtualised listbox (only the rows on screen exist in the DOM).
 * Arrow keys move the cursor, Enter opens the alert under it (detail + map), a click does both.
 * In grouped and flood views a group is one entry (its most severe member first); opening it
 * shows its members under it.
 */
export function AlertQueue() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const entries = useAppSelector(selectQueueEntries);
  const total = useAppSelector(selectAlertCount);
  const loaded = useAppSelector(selectAlertsLoaded);
  const threadView = useAppSelector(selectThreadView);
  const { selectedAlertId, selectionOrigin, selectionSerial } = useAppSelector(selectSelection);
  const marked = useAppSelector((s) => s.ui.markedAlertIds);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  useFloodWatch();
  const keys = entries.map(entryKey);

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this build; the virtualizer re-renders the queue itself
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (index) => keys[index] ?? index,
  });

  const open = useCallback(
    (id: string) => {
      setCursorId(id);
      dispatch(alertSelected({ id, origin: 'queue' }));
    },
    [dispatch],
  );
  /** A group entry: open (or close) it, and show its most severe member. */
  const openGroup = useCallback(
    (key: string, topId: string | undefined, expanded: boolean) => {
      setCursorId(`group:${key}`);
      dispatch(groupToggled(key));
      if (topId !== undefined && !expanded) dispatch(alertSelected({ id: topId, origin: 'queue' }));
    },
    [dispatch],
  );
  const activate = (entry: QueueEntry | undefined) => {
    if (!entry) return;
    if (entry.kind === 'group') openGroup(entry.key, entry.ids[0], entry.expanded);
    else open(entry.id);
  };
  /** Where an alert is in the list: its own row, or the entry of the (closed) group it is in. */
  const indexOfAlert = (id: string): number =>
    entries.findIndex((e) => (e.kind === 'group' ? !e.expanded && e.ids.includes(id) : e.id === id));

  // An alert picked on the map: bring its row into view and put the cursor on it.
  useEffect(() => {
    if (selectionOrigin !== 'map' || !selectedAlertId) return;
    const index = indexOfAlert(selectedAlertId);
    const entry = entries[index];
    setCursorId(entry ? entryKey(entry) : selectedAlertId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // Only a new selection scrolls; the queue re-sorting under the officer must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectionSerial]);

  const cursorIndex = cursorId === null ? -1 : keys.indexOf(cursorId);

  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(entries.length - 1, index));
    const key = keys[clamped];
    if (key === undefined) return;
    setCursorId(key);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const from = cursorIndex >= 0 ? cursorIndex : Math.max(0, selectedAlertId ? indexOfAlert(selectedAlertId) : -1);
    const target = listMoveTarget(e.key, from, cursorIndex >= 0, entries.length, PAGE);
    if (target !== undefined) {
      moveTo(target);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'Enter':
        activate(entries[from]);
        break;
      case ' ': {
        // Space marks the alert for "Open incident" (n); on a group it opens the group.
        const entry = entries[from];
        if (entry && entry.kind !== 'group') {
          setCursorId(entryKey(entry));
          dispatch(alertMarkToggled(entry.id));
        } else activate(entry);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  const cursorEntry = cursorIndex >= 0 ? entries[cursorIndex] : undefined;
  const activeDescendant = cursorEntry ? entryDomId(cursorEntry) : undefined;

  return (
    <section className="wf-panel wf-queue" aria-labelledby="wf-queue-title">
      <h2 id="wf-queue-title" className="wf-panel__title">
        {t('queue.label')}
      </h2>
      <FloodBanner />
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
            const entry = entries[item.index];
            if (entry === undefined) return null;
            const key = entryKey(entry);
            if (entry.kind === 'group') {
              return (
                <GroupRow
                  key={key}
                  groupKey={entry.key}
                  ids={entry.ids}
                  expanded={entry.expanded}
                  index={item.index}
                  setSize={entries.length}
                  selected={selectedAlertId !== null && !entry.expanded && entry.ids.includes(selectedAlertId)}
                  active={key === cursorId}
                  onOpen={openGroup}
                  top={item.start}
                  height={item.size}
                />
              );
            }
            return (
              <AlertRow
                key={key}
                id={entry.id}
                index={item.index}
                setSize={entries.length}
                selected={entry.id === selectedAlertId}
                marked={marked.includes(entry.id)}
                active={key === cursorId}
                member={entry.kind === 'member'}
                onOpen={open}
                top={item.start}
                height={item.size}
              />
            );
          })}
        </div>
      </div>
      {loaded && entries.length === 0 && (
        <p className="wf-empty">
          {threadView === 'closed' ? t('queue.emptyClosed') : total === 0 ? t('queue.emptyAll') : t('queue.empty')}
        </p>
      )}
      <p className="wf-keys" aria-hidden="true">
        {t('app.shortcuts')}
      </p>
    </section>
  );
}
