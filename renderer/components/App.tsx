import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../state/hooks';
import { selectLoadError } from '../state/connection';
import { AlertQueue } from './AlertQueue';
import { LeftColumn, RightColumn, WorkspaceOverlays } from '../command/Workspace';
import { MapView } from './MapView';
import { StatusBar } from './StatusBar';
import { IntegrityBanner } from '../export/IntegrityBanner';
import { useGlobalShortcuts } from './shortcuts';
import { ErrorSentence } from './ErrorSentence';

export function App() {
  const { t } = useTranslation();
  const loadError = useAppSelector(selectLoadError);
  useGlobalShortcuts();
  const title = t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <div className="wf-app">
      <StatusBar />
      <IntegrityBanner />
      {loadError && (
        <div className="wf-banner wf-banner--error" role="alert">
          <ErrorSentence error={loadError} prefix={t('app.loadFailed')} />
        </div>
      )}
      <main className="wf-main">
        <LeftColumn alertQueue={<AlertQueue />} />
        <MapView />
        <RightColumn />
      </main>
      <WorkspaceOverlays />
    </div>
  );
}
