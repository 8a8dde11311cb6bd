import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { showIncident } from '../command/execute';
import { useDuration, useNow } from '../command/useNow';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import {
  incidentLabel,
  overdueCount,
  selectIncidentById,
  selectIncidentsLoaded,
  selectOpenIncidentIds,
  selectSelectedIncidentId,
} from '../state/incidents';
import { newIncidentStarted } from '../state/workspace';
import { IncidentStatusBadge, PendingMark, PriorityBadge } from './badges';

export const INCIDENT_BOARD_ID = 'wf-incident-board';
const rowDomId = (id: string) => `wf-incident-${id}`;

function IncidentRow({ id, nowMs, selected }: { id: string; nowMs: number; selected: boolean }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const incident = useAppSelector((s) => selectIncidentById(s, id));
  const duration = useDuration();
  if (!incident) return null;
  const overdue = overdueCount(incident.openStepsDue, nowMs);
  return (
    <div
      id={rowDomId(id)}
      role="option"
      aria-selected={selected}
      data-incident-id={id}
      className={`wf-irow ${selected ? 'wf-irow--selected' : ''} wf-irow--p${incident.priority}`}
      onClick={() => dispatch(showIncident(id))}
    >
      <div className="wf-irow__line">
        <span className="wf-irow__number wf-mono">{incidentLabel(incident)}</span>
        <PriorityBadge priority={incident.priority} />
        <IncidentStatusBadge status={incident.status} />
        {incident.pending && <PendingMark />}
        <span className="wf-irow__age" title={t('incidents.openedAge')}>
          {duration(incident.openedAt, nowMs)}
        </span>
      </div>
      <div className="wf-irow__title">{incident.title}</div>
      <div className="wf-irow__meta">
        <span>{t(`response.incidentType.${incident.type}`)}</span>
        <span>{t('incidents.unitCount', { count: incident.unitIds.length })}</span>
        {overdue > 0 ? (
          <span className="wf-overdue">{t('incidents.overdueSteps', { count: overdue })}</span>
        ) : (
          <span className="wf-muted">{t('incidents.openSteps', { count: incident.openStepsDue.length })}</span>
        )}
      </div>
    </div>
  );
}

/** Every incident not closed: the worst first. ↑ ↓ move and open, Enter opens, n starts a new one. */
export function IncidentBoard() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const ids = useAppSelector(selectOpenIncidentIds);
  const loaded = useAppSelector(selectIncidentsLoaded);
  const selectedId = useAppSelector(selectSelectedIncidentId);
  const nowMs = useNow();
  const [cursor, setCursor] = useState<string | null>(selectedId);
  const listRef = useRef<HTMLDivElement>(null);
  const cursorId = cursor && ids.includes(cursor) ? cursor : (selectedId ?? ids[0] ?? null);

  useEffect(() => {
    if (cursorId) document.getElementById(rowDomId(cursorId))?.scrollIntoView({ block: 'nearest' });
  }, [cursorId]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = cursorId ? ids.indexOf(cursorId) : -1;
    let next = i;
    if (e.key === 'ArrowDown') next = Math.min(ids.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = ids.length - 1;
    else if (e.key === 'Enter' && cursorId) {
      e.preventDefault();
      dispatch(showIncident(cursorId));
      return;
    } else return;
    e.preventDefault();
    const id = ids[next];
    if (id) {
      setCursor(id);
      dispatch(showIncident(id));
    }
  };

  return (
    <section className="wf-panel wf-board" aria-labelledby="wf-incident-board-title">
      <h2 id="wf-incident-board-title" className="wf-panel__title">
        {t('incidents.board')} <span className="wf-muted">{ids.length}</span>
      </h2>
      <div className="wf-board__toolbar">
        <button
          type="button"
          className="wf-button wf-button--primary"
          onClick={() => dispatch(newIncidentStarted({ alertIds: [], title: '', location: null }))}
        >
          {t('incidents.new')}
        </button>
        <span className="wf-muted">{t('incidents.boardHint')}</span>
      </div>
      <div
        ref={listRef}
        id={INCIDENT_BOARD_ID}
        className="wf-board__list"
        role="listbox"
        tabIndex={0}
        aria-label={t('incidents.board')}
        aria-activedescendant={cursorId ? rowDomId(cursorId) : undefined}
        onKeyDown={onKeyDown}
      >
        {ids.map((id) => (
          <IncidentRow key={id} id={id} nowMs={nowMs} selected={id === selectedId} />
        ))}
        {ids.length === 0 && (
          <p className="wf-empty wf-empty--static">{loaded ? t('incidents.empty') : t('app.loading')}</p>
        )}
      </div>
    </section>
  );
}
