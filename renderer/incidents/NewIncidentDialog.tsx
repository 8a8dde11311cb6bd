import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapSeverity } from '../../shared/domain/cap';
import type { IncidentType } from '../../shared/domain/incident';
import type { AppError } from '../../shared/errors';
import { showIncident } from '../command/execute';
import { ErrorSentence } from '../components/ErrorSentence';
import { selectAlertEntities } from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { runAction } from '../state/responseActions';
import { alertMarksCleared } from '../state/ui';
import {
  areaDrawingCancelled,
  areaDrawingFinished,
  areaDrawingStarted,
  locationPicking,
  newIncidentClosed,
  selectWorkspace,
  type NewIncidentDraft,
} from '../state/workspace';
import { TypeAndPriority } from './TypeAndPriority';
import { dialogKeys } from '../components/dialogKeys';

/** A first guess at the incident type from the alert's event words; the officer corrects it. */
export function guessIncidentType(event: string): IncidentType {
  const e = event.toLowerCase();
  if (/bridge|structur/.test(e)) return 'bridge-structural';
  if (/gas/.test(e)) return 'gas-pressure-loss';
  if (/flood|water level|rain|storm surge/.test(e)) return 'flooding';
  if (/earthquake|seismic|quake/.test(e)) return 'earthquake';
  if (/power|outage|grid|electric/.test(e)) return 'power-outage';
  if (/fire|smoke/.test(e)) return 'fire';
  if (/hazmat|chemical|toxic|spill/.test(e)) return 'hazmat';
  if (/casualt|medical|injur/.test(e)) return 'medical-mass-casualty';
  return 'other';
}

const priorityOfSeverity: Readonly<Record<CapSeverity, number>> = {
  Extreme: 1,
  Severe: 2,
  Moderate: 3,
  Minor: 4,
  Unknown: 3,
};

/** Open an incident from the selected alert(s) or from nothing: title, type, priority, place, commander. */
export function NewIncidentDialog() {
  const draft = useAppSelector((s) => s.workspace.newIncident);
  // Mounted while the form is open, so its fields start from the alert each time.
  return draft ? <NewIncidentForm draft={draft} /> : null;
}

function NewIncidentForm({ draft }: { draft: NewIncidentDraft }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { pickingLocation, drawingArea } = useAppSelector(selectWorkspace);
  const drawing = drawingArea !== null;
  const alerts = useAppSelector(selectAlertEntities);
  const officer = useAppSelector((s) => s.connection.status?.officer?.name ?? '');
  const first = draft.alertIds[0] ? alerts[draft.alertIds[0]] : undefined;
  const [title, setTitle] = useState(draft.title);
  const [type, setType] = useState<IncidentType>(() =>
    first ? guessIncidentType(`${first.event} ${first.headline}`) : 'other',
  );
  const [priority, setPriority] = useState(() => (first ? priorityOfSeverity[first.severity] : 3));
  const [commander, setCommander] = useState(officer);
  const [error, setError] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!pickingLocation && !drawing) titleRef.current?.focus();
  }, [pickingLocation, drawing]);

  // While drawing, Enter finishes the area and Escape abandons it (the form is hidden).
  useEffect(() => {
    if (!drawing) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      dispatch(e.key === 'Enter' ? areaDrawingFinished() : areaDrawingCancelled());
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [drawing, dispatch]);

  const close = () => dispatch(newIncidentClosed());
  const drawBanner = drawingArea && (
    <div className="wf-pick-banner" role="status">
      {t('newIncident.drawing', { count: drawingArea.length })}
      <button
        type="button"
        className="wf-button wf-button--small wf-button--primary"
        disabled={drawingArea.length < 3}
        onClick={() => dispatch(areaDrawingFinished())}
      >
        {t('newIncident.finishArea')}
      </button>
      <button type="button" className="wf-button wf-button--small" onClick={() => dispatch(areaDrawingCancelled())}>
        {t('newIncident.cancelPick')}
      </button>
    </div>
  );
  const area = draft.area && draft.area.length >= 3 ? draft.area : null;
  const banner = pickingLocation && (
    <div className="wf-pick-banner" role="status">
      {t('newIncident.picking')}
      <button type="button" className="wf-button wf-button--small" onClick={() => dispatch(locationPicking(false))}>
        {t('newIncident.cancelPick')}
      </button>
    </div>
  );
  const submit = async () => {
    if (!title.trim() || sending) return;
    setSending(true);
    const result = await dispatch(
      runAction({
        name: 'openIncident',
        args: {
          title: title.trim(),
          incidentType: type,
          priority,
          location: area
            ? { kind: 'area', ring: area.map((p) => ({ lat: p.lat, lon: p.lon })) }
            : draft.location
              ? { kind: 'point', point: draft.location }
              : null,
          ...(commander.trim() ? { commanderName: commander.trim() } : {}),
          ...(draft.alertIds.length ? { alertIds: [...draft.alertIds] } : {}),
        },
      }),
    );
    setSending(false);
    if (runAction.fulfilled.match(result) && result.payload.incidentId) {
      if (draft.alertIds.length > 0) dispatch(alertMarksCleared());
      close();
      dispatch(showIncident(result.payload.incidentId));
    } else if (runAction.rejected.match(result))
      setError(result.payload ?? { code: 'INTERNAL', message: result.error.message ?? '' });
  };

  return (
    <>
      {banner}
      {drawBanner}
      <div
        className="wf-overlay"
        hidden={pickingLocation || drawing}
        onMouseDown={(e) => e.target === e.currentTarget && close()}
      >
        <form
          className="wf-dialog"
          role="dialog"
          aria-modal="true"
          aria-labelledby="wf-new-incident-title"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          onKeyDown={dialogKeys(close)}
        >
          <h2 id="wf-new-incident-title" className="wf-dialog__title">
            {t('newIncident.title')}
          </h2>
          {draft.alertIds.length > 0 && (
            <p className="wf-muted">
              {t('newIncident.fromAlerts', { count: draft.alertIds.length })}
              {first && (
                <>
                  {': '}
                  <strong>{first.event}</strong> — {first.headline}
                </>
              )}
            </p>
          )}
          <label className="wf-form__field">
            <span>{t('newIncident.name')}</span>
            <input
              ref={titleRef}
              className="wf-input"
              value={title}
              maxLength={300}
              required
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
          <TypeAndPriority type={type} priority={priority} onType={setType} onPriority={setPriority} />
          <label className="wf-form__field">
            <span>{t('newIncident.commander')}</span>
            <input
              className="wf-input"
              value={commander}
              maxLength={200}
              onChange={(e) => setCommander(e.target.value)}
            />
          </label>
          <div className="wf-form__field">
            <span>{t('newIncident.location')}</span>
            <div className="wf-form__location">
              <span className="wf-mono">
                {area
                  ? t('incidents.area', { count: area.length })
                  : draft.location
                    ? `${draft.location.lat.toFixed(5)}, ${draft.location.lon.toFixed(5)}`
                    : t('newIncident.noLocation')}
              </span>
              <button
                type="button"
                className="wf-button wf-button--small"
                onClick={() => dispatch(locationPicking(true))}
              >
                {t('newIncident.pickOnMap')}
              </button>
              <button
                type="button"
                className="wf-button wf-button--small"
                onClick={() => dispatch(areaDrawingStarted())}
              >
                {t('newIncident.drawArea')}
              </button>
            </div>
          </div>
          {error && (
            <p className="wf-error" role="alert">
              <ErrorSentence error={error} prefix={t('newIncident.refused')} />
            </p>
          )}
          <div className="wf-dialog__actions">
            <button type="button" className="wf-button" onClick={close}>
              {t('newIncident.cancel')}
            </button>
            <button type="submit" className="wf-button wf-button--primary" disabled={!title.trim() || sending}>
              {t('newIncident.submit')}
            </button>
          </div>
        </form>
      </div>
    </>
  );
}
