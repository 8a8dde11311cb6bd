import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentType } from '../../shared/domain/incident';
import { INCIDENT_TRANSITIONS } from '../../shared/domain/statusMachines';
import type { AppError } from '../../shared/errors';
import { ErrorSentence } from '../components/ErrorSentence';
import { useDuration, useNow } from '../command/useNow';
import { useFormats } from '../format';
import { selectAlertEntities } from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import {
  incidentLabel,
  loadIncident,
  selectIncidentById,
  selectIncidentDetail,
  selectSelectedIncidentId,
  type Incident,
} from '../state/incidents';
import { runAction } from '../state/responseActions';
import { alertSelected } from '../state/ui';
import { makeSelectUnitsOfIncident } from '../state/units';
import { boardShown, commandOpened } from '../state/workspace';
import { ReleaseButton, TimeInStatus, UnitStatusSelect } from '../units/UnitActions';
import { ActivityLog } from './ActivityLog';
import { Checklist } from './Checklist';
import { IncidentStatusBadge, PendingMark, PriorityBadge, UnitStatusBadge } from './badges';
import { incidentEditChanges, periodInForce } from './incidentEdit';
import { TypeAndPriority } from './TypeAndPriority';
import { dialogKeys } from '../components/dialogKeys';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function StatusActions({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const next = INCIDENT_TRANSITIONS[incident.status];
  if (next.length === 0) return null;
  return (
    <div className="wf-detail__actions" role="group" aria-label={t('incidents.moveTo')}>
      {next.map((status) => (
        <button
          key={status}
          type="button"
          className={`wf-button ${status === 'closed' ? '' : 'wf-button--primary'}`}
          onClick={() =>
            void dispatch(runAction({ name: 'setIncidentStatus', args: { incidentId: incident.id, status } }))
          }
        >
          {t(`incidents.move.${status}`)}
        </button>
      ))}
    </div>
  );
}

function EditIncidentForm({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const [title, setTitle] = useState(incident.title);
  const [type, setType] = useState<IncidentType>(incident.type);
  const [priority, setPriority] = useState<number>(incident.priority);
  const [commander, setCommander] = useState(incident.commanderName);
  const [error, setError] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  const args = incidentEditChanges(incident, { title, type, priority, commander });
  const submit = async () => {
    if (!args || sending) return;
    setSending(true);
    setError(null);
    const result = await dispatch(runAction({ name: 'updateIncident', args }));
    setSending(false);
    if (runAction.fulfilled.match(result)) onClose();
    else if (runAction.rejected.match(result))
      setError(result.payload ?? { code: 'INTERNAL', message: result.error.message ?? '' });
  };
  return (
    <form
      className="wf-incident__edit"
      aria-labelledby="wf-edit-incident-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={dialogKeys(onClose)}
    >
      <h4 id="wf-edit-incident-title" className="wf-detail__subtitle">
        {t('incidents.edit.title')}
      </h4>
      <label className="wf-form__field">
        <span>{t('newIncident.name')}</span>
        <input
          className="wf-input"
          value={title}
          maxLength={300}
          required
          autoFocus
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <TypeAndPriority type={type} priority={priority} onType={setType} onPriority={setPriority} />
      <label className="wf-form__field">
        <span>{t('newIncident.commander')}</span>
        <input className="wf-input" value={commander} maxLength={200} onChange={(e) => setCommander(e.target.value)} />
      </label>
      {error && (
        <p className="wf-error" role="alert">
          <ErrorSentence error={error} prefix={t('incidents.edit.refused')} />
        </p>
      )}
      <div className="wf-dialog__actions">
        <button type="button" className="wf-button" onClick={onClose}>
          {t('newIncident.cancel')}
        </button>
        <button type="submit" className="wf-button wf-button--primary" disabled={!args || sending}>
          {t('incidents.edit.save')}
        </button>
      </div>
    </form>
  );
}

function NextPeriodButton({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const [error, setError] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  if (incident.status === 'closed') return null;
  const start = async () => {
    setSending(true);
    setError(null);
    const result = await dispatch(
      runAction({ name: 'updateIncident', args: { incidentId: incident.id, startOperationalPeriod: true } }),
    );
    setSending(false);
    if (runAction.rejected.match(result))
      setError(result.payload ?? { code: 'INTERNAL', message: result.error.message ?? '' });
  };
  return (
    <>
      <button type="button" className="wf-button wf-button--small" disabled={sending} onClick={() => void start()}>
        {t('incidents.nextPeriod')}
      </button>
      {error && (
        <p className="wf-error" role="alert">
          <ErrorSentence error={error} prefix={t('incidents.nextPeriodRefused')} />
        </p>
      )}
    </>
  );
}

function LinkedAlerts({ alertIds }: { alertIds: readonly string[] }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const alerts = useAppSelector(selectAlertEntities);
  if (alertIds.length === 0) return null;
  return (
    <section className="wf-detail__section" aria-labelledby="wf-linked-title">
      <h4 id="wf-linked-title" className="wf-detail__subtitle">
        {t('incidents.linkedAlerts')} <span className="wf-muted">{alertIds.length}</span>
      </h4>
      <ul className="wf-linked">
        {alertIds.map((id) => {
          const a = alerts[id];
          return (
            <li key={id}>
              <button
                type="button"
                className="wf-link-button"
                onClick={() => {
                  dispatch(boardShown('alerts'));
                  dispatch(alertSelected({ id, origin: 'queue' }));
                }}
              >
                {a ? `${t(`cap.severity.${a.severity}`)} · ${a.event}: ${a.headline}` : id}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function AssignedUnits({ incident, nowMs }: { incident: Incident; nowMs: number }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const selectUnits = useMemo(() => makeSelectUnitsOfIncident(), []);
  const units = useAppSelector((s) => selectUnits(s, incident.id));
  return (
    <section className="wf-detail__section" aria-labelledby="wf-assigned-title">
      <h4 id="wf-assigned-title" className="wf-detail__subtitle">
        {t('incidents.assignedUnits')} <span className="wf-muted">{units.length}</span>
        <button
          type="button"
          className="wf-button wf-button--small wf-subtitle__action"
          disabled={incident.status === 'closed'}
          onClick={() => dispatch(commandOpened('dispatch '))}
        >
          {t('incidents.dispatchUnits')} <kbd className="wf-kbd">d</kbd>
        </button>
      </h4>
      {units.length === 0 ? (
        <p className="wf-muted">{t('incidents.noUnits')}</p>
      ) : (
        <table className="wf-table" aria-labelledby="wf-assigned-title">
          <thead>
            <tr>
              <th scope="col">{t('units.callSign')}</th>
              <th scope="col">{t('units.status')}</th>
              <th scope="col">{t('units.timeInStatus')}</th>
              <th scope="col">
                <span className="wf-visually-hidden">{t('units.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.id} data-unit-id={u.id}>
                <td>
                  <span className="wf-mono wf-unit-id">{u.id}</span>{' '}
                  <span className="wf-muted">{t(`response.unitType.${u.type}`)}</span>
                </td>
                <td>
                  <UnitStatusBadge status={u.status} />
                  {u.pending && <PendingMark />}
                </td>
                <td>
                  <TimeInStatus unit={u} nowMs={nowMs} />
                </td>
                <td className="wf-table__actions">
                  <UnitStatusSelect unit={u} />
                  <ReleaseButton unit={u} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The selected incident: what it is, where it stands, who is on it, its SOP and its ICS 214 log. */
export function IncidentDetailPanel() {
  const { t } = useTranslation();
  const f = useFormats();
  const duration = useDuration();
  const dispatch = useAppDispatch();
  const nowMs = useNow();
  const id = useAppSelector(selectSelectedIncidentId);
  const [editing, setEditing] = useState<string | null>(null);
  const incident = useAppSelector((s) => (id ? selectIncidentById(s, id) : undefined));
  const detail = useAppSelector(selectIncidentDetail);
  // Re-read once the hub numbers it: the checklist arrives with the confirmed opening.
  const confirmed = incident?.number ?? null;

  useEffect(() => {
    if (id) void dispatch(loadIncident(id));
  }, [dispatch, id, confirmed]);

  let body: ReactNode;
  if (!incident) body = <p className="wf-empty wf-empty--static">{t('incidents.none')}</p>;
  else {
    const current = detail?.id === incident.id ? detail : null;
    const location = incident.location;
    body = (
      <article className="wf-detail wf-incident">
        <header className={`wf-detail__head wf-incident__head wf-incident__head--p${incident.priority}`}>
          <div className="wf-detail__badges">
            <span className="wf-mono wf-incident__number">{incidentLabel(incident)}</span>
            <PriorityBadge priority={incident.priority} />
            <IncidentStatusBadge status={incident.status} />
            <span className="wf-mono wf-incident__period" title={t('incidents.period')}>
              {t('incidents.periodShort', { number: periodInForce(incident) })}
            </span>
            {incident.pending && <PendingMark />}
          </div>
          <h3 className="wf-detail__event">{incident.title}</h3>
          <StatusActions incident={incident} />
          {incident.status !== 'closed' && editing !== incident.id && (
            <button
              type="button"
              className="wf-button wf-button--small"
              aria-label={t('incidents.edit.open')}
              onClick={() => setEditing(incident.id)}
            >
              {t('incidents.edit.button')}
            </button>
          )}
          <NextPeriodButton incident={incident} />
        </header>
        {editing === incident.id && incident.status !== 'closed' && (
          <EditIncidentForm key={incident.id} incident={incident} onClose={() => setEditing(null)} />
        )}
        <dl className="wf-fields wf-fields--compact">
          <Field label={t('incidents.type')}>{t(`response.incidentType.${incident.type}`)}</Field>
          <Field label={t('incidents.commander')}>{incident.commanderName || '—'}</Field>
          <Field label={t('incidents.opened')}>
            {t('incidents.openedBy', {
              time: f.dateTime(incident.openedAt),
              name: incident.openedBy.name,
              age: duration(incident.openedAt, nowMs),
            })}
          </Field>
          <Field label={t('incidents.statusSince')}>{duration(incident.statusSince, nowMs)}</Field>
          <Field label={t('incidents.period')}>{periodInForce(incident)}</Field>
          <Field label={t('incidents.location')}>
            {location?.kind === 'point'
              ? `${location.point.lat.toFixed(5)}, ${location.point.lon.toFixed(5)}`
              : location?.kind === 'area'
                ? t('incidents.area', { count: location.ring.length })
                : '—'}
          </Field>
        </dl>
        {current?.state === 'failed' && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={current.error} prefix={t('incidents.loadFailed')} />
          </p>
        )}
        <LinkedAlerts alertIds={incident.alertIds} />
        <AssignedUnits incident={incident} nowMs={nowMs} />
        <Checklist
          incidentId={incident.id}
          title={current?.state === 'loaded' ? current.checklistTitle : null}
          nowMs={nowMs}
          closed={incident.status === 'closed'}
        />
        <ActivityLog incidentId={incident.id} />
      </article>
    );
  }
  return (
    <section className="wf-panel wf-detail-panel" aria-labelledby="wf-incident-detail-title">
      <h2 id="wf-incident-detail-title" className="wf-panel__title">
        {t('incidents.detail')}
      </h2>
      <div className="wf-detail-panel__scroll">{body}</div>
    </section>
  );
}
