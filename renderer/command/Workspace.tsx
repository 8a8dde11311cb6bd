import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertDetailPanel } from '../components/AlertDetailPanel';
import { IncidentBoard } from '../incidents/IncidentBoard';
import { IncidentDetailPanel } from '../incidents/IncidentDetailPanel';
import { NewIncidentDialog } from '../incidents/NewIncidentDialog';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { selectOpenIncidentIds } from '../state/incidents';
import { boardShown, commandOpened, selectBoard, type Board } from '../state/workspace';
import { NeedsAttention } from '../units/NeedsAttention';
import { PopoutButton } from '../popout/PopoutButton';
import { UnitBoard } from '../units/UnitBoard';
import { CommandBar } from './CommandBar';
import { HelpOverlay } from './HelpOverlay';
import { useResponseShortcuts } from './shortcuts';
import { AssetPanel } from '../telemetry/AssetPanel';
import { MonitoredAssets } from '../telemetry/MonitoredAssets';
import { selectPanelAssetId } from '../state/telemetry';

const boards: ReadonlyArray<readonly [Board, string]> = [
  ['alerts', 'Alt+1'],
  ['incidents', 'Alt+2'],
  ['units', 'Alt+3'],
  ['assets', 'Alt+4'],
];

/** The left column: alert queue, incident board or unit board (Alt+1/2/3), and what needs attention. */
export function LeftColumn({ alertQueue }: { alertQueue: ReactNode }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const board = useAppSelector(selectBoard);
  const openIncidents = useAppSelector(selectOpenIncidentIds).length;
  return (
    <div className="wf-leftcol">
      <div className="wf-tabs" role="tablist" aria-label={t('boards.label')}>
        {boards.map(([b, keys]) => (
          <button
            key={b}
            type="button"
            role="tab"
            id={`wf-tab-${b}`}
            aria-selected={board === b}
            aria-controls="wf-board-panel"
            title={keys}
            className={`wf-tab ${board === b ? 'wf-tab--on' : ''}`}
            onClick={() => dispatch(boardShown(b))}
          >
            {b === 'assets' ? t('telemetry.board') : t(`boards.${b}`)}
            {b === 'incidents' && openIncidents > 0 && <span className="wf-tab__count">{openIncidents}</span>}
            <kbd className="wf-kbd wf-tab__keys">{keys}</kbd>
          </button>
        ))}
        <button
          type="button"
          className="wf-tab wf-tab--command"
          aria-label={t('command.open')}
          onClick={() => dispatch(commandOpened())}
        >
          <kbd className="wf-kbd">Ctrl+K</kbd>
        </button>
        {board !== 'assets' && <PopoutButton panel={board === 'alerts' ? 'queue' : board} className="wf-tab" />}
      </div>
      <div id="wf-board-panel" role="tabpanel" aria-labelledby={`wf-tab-${board}`} className="wf-leftcol__board">
        {board === 'alerts' ? (
          alertQueue
        ) : board === 'incidents' ? (
          <IncidentBoard />
        ) : board === 'assets' ? (
          <MonitoredAssets />
        ) : (
          <UnitBoard />
        )}
      </div>
      <NeedsAttention />
    </div>
  );
}

/**
 * The right column follows the board: an asset's telemetry while one is open (issue 9), an
 * incident's detail once one is open there, else the alert's.
 */
export function RightColumn() {
  const board = useAppSelector(selectBoard);
  const incidentId = useAppSelector((s) => s.incidents.selectedId);
  const assetId = useAppSelector(selectPanelAssetId);
  if (assetId) return <AssetPanel />;
  return board !== 'alerts' && incidentId ? <IncidentDetailPanel /> : <AlertDetailPanel />;
}

/** Command bar, help and the new-incident form, over everything; and their keys. */
export function WorkspaceOverlays() {
  useResponseShortcuts();
  return (
    <>
      <CommandBar />
      <HelpOverlay />
      <NewIncidentDialog />
    </>
  );
}
