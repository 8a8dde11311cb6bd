import type { AppError } from '../../shared/errors';
import { acknowledgeAlert, selectAlertById, selectCanAcknowledge } from '../state/alerts';
import {
  incidentSelected,
  loadIncident,
  selectIncidentByNumber,
  selectIncidentEntities,
  type Incident,
} from '../state/incidents';
import { runAction, type ResponseAction } from '../state/responseActions';
import type { AppDispatch, RootState } from '../state/store';
import { ackArgs } from '../state/ui';
import { auditViewToggled, boardShown, commandClosed, helpToggled, newIncidentStarted } from '../state/workspace';
import { rulesEditorToggled } from '../state/telemetryRules';
import { unitStatusPath, type Command } from './parse';
import { setMuted } from '../alerting/status';
import { openPopout } from '../popout/PopoutButton';

/** Why a command did nothing: an i18n key under `command.error`, or the console's own sentence. */
export type CommandOutcome =
  { ok: true } | { ok: false; key: string; values?: Record<string, string> } | { ok: false; error: AppError };

/** The incident a command means: the one it names, else the one open in the detail. */
function resolveIncident(state: RootState, number: string | null): Incident | CommandOutcome {
  if (number) {
    const incident = selectIncidentByNumber(state).get(number);
    return incident ?? { ok: false, key: 'noSuchIncident', values: { incident: number } };
  }
  const id = state.incidents.selectedId;
  const incident = id ? selectIncidentEntities(state)[id] : undefined;
  return incident ?? { ok: false, key: 'noIncidentSelected' };
}
const isIncident = (v: Incident | CommandOutcome): v is Incident => 'id' in v;

async function send(dispatch: AppDispatch, action: ResponseAction): Promise<CommandOutcome> {
  const result = await dispatch(runAction(action));
  if (runAction.fulfilled.match(result)) return { ok: true };
  return {
    ok: false,
    error: result.payload ?? { code: 'INTERNAL', message: result.error.message ?? '' },
  };
}

/**
 * The alert(s) an incident opened now would come from: those marked in the queue (Space),
 * or else the one open in the alert detail.
 */
export function newIncidentFromSelection(state: RootState) {
  const markedIds = state.ui.markedAlertIds.filter((id) => selectAlertById(state, id) !== undefined);
  const alertId = markedIds[0] ?? state.ui.selectedAlertId;
  const alert = alertId ? selectAlertById(state, alertId) : undefined;
  return newIncidentStarted({
    alertIds: markedIds.length ? markedIds : alert ? [alert.id] : [],
    title: alert ? alert.headline || alert.event : '',
    location: alert?.center ? { lat: alert.center.lat, lon: alert.center.lon } : null,
  });
}

/**
 * Carry out a parsed command. Every action goes through the same thunks the buttons use,
 * so a command is logged, pending and refused exactly like a click.
 */
export function executeCommand(command: Command) {
  return async (dispatch: AppDispatch, getState: () => RootState): Promise<CommandOutcome> => {
    const state = getState();
    switch (command.kind) {
      case 'dispatch': {
        const incident = resolveIncident(state, command.incident);
        if (!isIncident(incident)) return incident;
        return send(dispatch, {
          name: 'dispatchUnits',
          args: {
            incidentId: incident.id,
            unitIds: command.unitIds,
            ...(command.reassign ? { reassign: true } : {}),
          },
        });
      }
      case 'release': {
        const unit = state.units.entities[command.unitId];
        if (!unit?.incidentId) return { ok: false, key: 'notCommitted', values: { unit: command.unitId } };
        return send(dispatch, { name: 'releaseUnit', args: { unitId: unit.id, incidentId: unit.incidentId } });
      }
      case 'unitStatus': {
        const unit = state.units.entities[command.unitId];
        const path = unit ? unitStatusPath(unit.status, command.status) : [];
        // No way along the machine: send the one move and let the console say why it cannot be.
        for (const status of path.length ? path : [command.status]) {
          const outcome = await send(dispatch, { name: 'setUnitStatus', args: { unitId: command.unitId, status } });
          if (!outcome.ok) return outcome;
        }
        return { ok: true };
      }
      case 'incidentStatus': {
        const incident = resolveIncident(state, command.incident);
        if (!isIncident(incident)) return incident;
        return send(dispatch, {
          name: 'setIncidentStatus',
          args: { incidentId: incident.id, status: command.status },
        });
      }
      case 'ack': {
        const id = state.ui.selectedAlertId;
        if (!id || !selectCanAcknowledge(state, id)) return { ok: false, key: 'nothingToAck' };
        const result = await dispatch(acknowledgeAlert(ackArgs(id, state.ui.ackDraft)));
        if (acknowledgeAlert.fulfilled.match(result)) return { ok: true };
        return { ok: false, error: result.payload ?? { code: 'INTERNAL', message: result.error.message ?? '' } };
      }
      case 'log':
        return send(dispatch, {
          name: 'appendLog',
          args: { incidentId: state.incidents.selectedId, text: command.text },
        });
      case 'openIncident': {
        const start = newIncidentFromSelection(state);
        dispatch(command.title ? { ...start, payload: { ...start.payload, title: command.title } } : start);
        return { ok: true };
      }
      case 'step': {
        const incident = resolveIncident(state, null);
        if (!isIncident(incident)) return incident;
        return send(dispatch, {
          name: 'setChecklistStep',
          args: {
            incidentId: incident.id,
            stepId: command.step,
            state: command.state,
            ...(command.remark ? { remark: command.remark } : {}),
          },
        });
      }
      case 'show': {
        const incident = resolveIncident(state, command.incident);
        if (!isIncident(incident)) return incident;
        dispatch(showIncident(incident.id));
        return { ok: true };
      }
      case 'board':
        dispatch(boardShown(command.board));
        return { ok: true };
      case 'help':
        dispatch(helpToggled(true));
        return { ok: true };
      case 'mute':
        setMuted(command.muted);
        return { ok: true };
      case 'popout': {
        const error = await openPopout(command.panel);
        return error ? { ok: false, error } : { ok: true };
      }
      case 'audit':
        // supervisors only, like the hub's GET /audit (the view reads this console's copy of the log)
        if (state.connection.status?.officer?.role !== 'supervisor')
          return { ok: false, error: { code: 'FORBIDDEN', message: '' } };
        dispatch(auditViewToggled(true));
        return { ok: true };
      case 'rules':
        // supervisors only, like the hub's telemetry.rules.set (decision 0034)
        if (state.connection.status?.officer?.role !== 'supervisor')
          return { ok: false, error: { code: 'FORBIDDEN', message: '' } };
        dispatch(commandClosed());
        dispatch(rulesEditorToggled(true));
        return { ok: true };
    }
  };
}

/** Open an incident in the detail (and its board), reading its log and checklist. */
export function showIncident(incidentId: string) {
  return (dispatch: AppDispatch, getState: () => RootState): void => {
    if (getState().workspace.board === 'alerts') dispatch(boardShown('incidents'));
    dispatch(incidentSelected(incidentId));
    void dispatch(loadIncident(incidentId));
  };
}
