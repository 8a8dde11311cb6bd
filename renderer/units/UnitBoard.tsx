import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UnitStatuses, type UnitStatus } from '../../shared/domain/unit';
import { useNow } from '../command/useNow';
import { showIncident } from '../command/execute';
import { UnitStatusBadge, PendingMark } from '../incidents/badges';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { incidentLabel, selectIncidentEntities } from '../state/incidents';
import { selectAllUnits, selectUnitStatusCounts, unitSelected } from '../state/units';
import { DispatchButton, ReleaseButton, TimeInStatus, UnitStatusSelect } from './UnitActions';

/**
 * The roster: every unit with its status, time in status (overdue past its type's limit)
 * and incident. A few dozen rows in a city roster, so a plain table; the status chips
 * above filter it.
 */
export function UnitBoard() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const units = useAppSelector(selectAllUnits);
  const counts = useAppSelector(selectUnitStatusCounts);
  const incidents = useAppSelector(selectIncidentEntities);
  const selectedId = useAppSelector((s) => s.units.selectedId);
  const nowMs = useNow();
  const [shown, setShown] = useState<UnitStatus | null>(null);
  const rows = shown ? units.filter((u) => u.status === shown) : units;

  return (
    <section className="wf-panel wf-board" aria-labelledby="wf-unit-board-title">
      <h2 id="wf-unit-board-title" className="wf-panel__title">
        {t('units.board')} <span className="wf-muted">{units.length}</span>
      </h2>
      <div className="wf-board__toolbar wf-unit-counts" role="group" aria-label={t('units.filter')}>
        {UnitStatuses.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={shown === s}
            className={`wf-count wf-count--${s} ${shown === s ? 'wf-count--on' : ''}`}
            onClick={() => setShown(shown === s ? null : s)}
          >
            <span className="wf-count__n">{counts[s] ?? 0}</span> {t(`response.unitStatus.${s}`)}
          </button>
        ))}
      </div>
      <div className="wf-board__list wf-board__list--table">
        <table className="wf-table wf-unit-table" aria-label={t('units.board')}>
          <thead>
            <tr>
              <th scope="col">{t('units.callSign')}</th>
              <th scope="col">{t('units.status')}</th>
              <th scope="col">{t('units.incident')}</th>
              <th scope="col">
                <span className="wf-visually-hidden">{t('units.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => {
              const incident = u.incidentId ? incidents[u.incidentId] : undefined;
              return (
                <tr
                  key={u.id}
                  data-unit-id={u.id}
                  className={`wf-unit-row ${selectedId === u.id ? 'wf-unit-row--selected' : ''}`}
                  onClick={() => dispatch(unitSelected(u.id))}
                >
                  <th scope="row" className="wf-unit-row__who">
                    <span className="wf-mono wf-unit-id">{u.id}</span>
                    <span className="wf-unit-row__type">{t(`response.unitType.${u.type}`)}</span>
                    <span className="wf-muted wf-unit-row__home">{u.homeStation.name}</span>
                  </th>
                  <td>
                    <UnitStatusBadge status={u.status} />
                    {u.pending && <PendingMark />}
                    <span className="wf-unit-row__since">
                      <TimeInStatus unit={u} nowMs={nowMs} />
                    </span>
                  </td>
                  <td>
                    {incident ? (
                      <button
                        type="button"
                        className="wf-link-button wf-mono"
                        onClick={() => dispatch(showIncident(incident.id))}
                      >
                        {incidentLabel(incident)}
                      </button>
                    ) : (
                      <span className="wf-muted">—</span>
                    )}
                  </td>
                  <td className="wf-table__actions">
                    <DispatchButton unit={u} />
                    <ReleaseButton unit={u} />
                    <UnitStatusSelect unit={u} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 && <p className="wf-empty wf-empty--static">{t('units.empty')}</p>}
      </div>
    </section>
  );
}
