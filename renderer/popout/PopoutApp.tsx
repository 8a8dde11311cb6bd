import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopoutPanel } from '../../shared/api';
import { AlertDetailPanel } from '../components/AlertDetailPanel';
import { AlertQueue } from '../components/AlertQueue';
import { ErrorSentence } from '../components/ErrorSentence';
import { MapView } from '../components/MapView';
import { useGlobalShortcuts } from '../components/shortcuts';
import { StatusBar } from '../components/StatusBar';
import { WorkspaceOverlays } from '../command/Workspace';
import { IncidentBoard } from '../incidents/IncidentBoard';
import { IncidentDetailPanel } from '../incidents/IncidentDetailPanel';
import { selectLoadError } from '../state/connection';
import { useAppSelector } from '../state/hooks';
import { UnitBoard } from '../units/UnitBoard';
import type { WindowRole } from './route';
import './popout.css';

/**
 * A pop-out window: the status bar and one panel, full-window (decision 0028). It has its
 * own store, fed by the same console host as the main window (snapshot, then the same
 * pushes), so an acknowledgement made in either shows in both; there is no second replica.
 */
export function PopoutApp({ role }: { role: Exclude<WindowRole, { kind: 'console' }> }) {
  const { t } = useTranslation();
  const loadError = useAppSelector(selectLoadError);
  useGlobalShortcuts();
  const panelName = role.kind === 'popout' ? t(`desktop2.popout.panel.${role.panel}`) : '';
  const title = role.kind === 'popout' ? t('desktop2.popout.windowTitle', { panel: panelName }) : t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <div className="wf-app wf-popout" data-popout-panel={role.kind === 'popout' ? role.panel : ''}>
      <StatusBar />
      {loadError && (
        <div className="wf-banner wf-banner--error" role="alert">
          <ErrorSentence error={loadError} prefix={t('app.loadFailed')} />
        </div>
      )}
      {role.kind === 'popout' ? (
        <main className={`wf-popout__main wf-popout__main--${role.panel}`}>
          <Panel panel={role.panel} />
        </main>
      ) : (
        <p className="wf-banner wf-banner--error" role="alert">
          {t('desktop2.popout.unknown')}
        </p>
      )}
      <WorkspaceOverlays />
    </div>
  );
}

function Panel({ panel }: { panel: PopoutPanel }) {
  switch (panel) {
    case 'map':
      return <MapView />;
    case 'queue':
      return (
        <>
          <AlertQueue />
          <AlertDetailPanel />
        </>
      );
    case 'incidents':
      return (
        <>
          <div className="wf-popout__board">
            <IncidentBoard />
          </div>
          <IncidentDetailPanel />
        </>
      );
    case 'units':
      return (
        <div className="wf-popout__board">
          <UnitBoard />
        </div>
      );
  }
}
