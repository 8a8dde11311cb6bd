import { useTranslation } from 'react-i18next';
import { newIncidentFromSelection, showIncident } from '../command/execute';
import { useAppDispatch, useAppSelector, useAppStore } from '../state/hooks';
import { incidentLabel, selectAllIncidents } from '../state/incidents';

/** In the alert detail: the incidents this alert is linked to, and "Open incident" from it (n). */
export function OpenIncidentButton({ alertId }: { alertId: string }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const store = useAppStore();
  const markedCount = useAppSelector((s) => s.ui.markedAlertIds.length);
  const linked = useAppSelector(selectAllIncidents).filter((i) => i.alertIds.includes(alertId));
  return (
    <div className="wf-open-incident">
      {linked.map((i) => (
        <button key={i.id} type="button" className="wf-link-button" onClick={() => dispatch(showIncident(i.id))}>
          {t('incidents.linkedTo', { incident: incidentLabel(i), title: i.title })}
        </button>
      ))}
      <button type="button" className="wf-button" onClick={() => dispatch(newIncidentFromSelection(store.getState()))}>
        {t('incidents.openFromAlert')} <kbd className="wf-kbd">n</kbd>
        {markedCount > 0 && <span className="wf-muted"> {t('incidents.fromMarked', { count: markedCount })}</span>}
      </button>
    </div>
  );
}
