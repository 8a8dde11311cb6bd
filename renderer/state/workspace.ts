import { createSlice, type Draft, type PayloadAction } from '@reduxjs/toolkit';
import type { LatLon } from '../../shared/domain/geo';

/** What the left column shows: the alert queue, the incident board or the unit board. */
export type Board = 'alerts' | 'incidents' | 'units';

/** The "open incident" form: from the selected alerts (their ids and place) or from nothing. */
export interface NewIncidentDraft {
  readonly alertIds: readonly string[];
  readonly title: string;
  readonly location: LatLon | null;
}

export interface WorkspaceState {
  readonly board: Board;
  readonly commandOpen: boolean;
  /** text to start the command bar with (a board's action button pre-fills it) */
  readonly commandSeed: string;
  readonly helpOpen: boolean;
  readonly newIncident: NewIncidentDraft | null;
  /** the next map click sets the new incident's location */
  readonly pickingLocation: boolean;
}

const initialState: WorkspaceState = {
  board: 'alerts',
  commandOpen: false,
  commandSeed: '',
  helpOpen: false,
  newIncident: null,
  pickingLocation: false,
};

const workspaceSlice = createSlice({
  name: 'workspace',
  initialState,
  reducers: {
    boardShown(state, action: PayloadAction<Board>) {
      state.board = action.payload;
    },
    commandOpened(state, action: PayloadAction<string | undefined>) {
      state.commandOpen = true;
      state.commandSeed = action.payload ?? '';
      state.helpOpen = false;
    },
    commandClosed(state) {
      state.commandOpen = false;
    },
    helpToggled(state, action: PayloadAction<boolean | undefined>) {
      state.helpOpen = action.payload ?? !state.helpOpen;
    },
    newIncidentStarted(state, action: PayloadAction<NewIncidentDraft>) {
      state.newIncident = action.payload as Draft<NewIncidentDraft>;
      state.commandOpen = false;
    },
    newIncidentClosed(state) {
      state.newIncident = null;
      state.pickingLocation = false;
    },
    locationPicking(state, action: PayloadAction<boolean>) {
      state.pickingLocation = action.payload;
    },
    locationPicked(state, action: PayloadAction<LatLon>) {
      if (state.newIncident) state.newIncident = { ...state.newIncident, location: action.payload };
      state.pickingLocation = false;
    },
  },
});

export const {
  boardShown,
  commandOpened,
  commandClosed,
  helpToggled,
  newIncidentStarted,
  newIncidentClosed,
  locationPicking,
  locationPicked,
} = workspaceSlice.actions;
export const workspaceReducer = workspaceSlice.reducer;

interface WithWorkspace {
  readonly workspace: WorkspaceState;
}
export const selectBoard = (s: WithWorkspace) => s.workspace.board;
export const selectWorkspace = (s: WithWorkspace) => s.workspace;
