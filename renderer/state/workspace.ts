import { createSlice, type Draft, type PayloadAction } from '@reduxjs/toolkit';
import type { LatLon } from '../../shared/domain/geo';

/** What the left column shows: the alert queue, the incident board, the unit board or the monitored assets (issue 9). */
export type Board = 'alerts' | 'incidents' | 'units' | 'assets';

/** The "open incident" form: from the selected alerts (their ids and place) or from nothing. */
export interface NewIncidentDraft {
  readonly alertIds: readonly string[];
  readonly title: string;
  readonly location: LatLon | null;
  /** an area drawn on the map (3 or more corners); it wins over the point */
  readonly area?: readonly LatLon[] | null;
}

export interface WorkspaceState {
  readonly board: Board;
  readonly commandOpen: boolean;
  /** text to start the command bar with (a board's action button pre-fills it) */
  readonly commandSeed: string;
  readonly helpOpen: boolean;
  /** the supervisors' read-only audit trail (renderer/export/AuditView.tsx) */
  readonly auditViewOpen: boolean;
  readonly newIncident: NewIncidentDraft | null;
  /** the next map click sets the new incident's location */
  readonly pickingLocation: boolean;
  /** corners clicked so far while drawing the new incident's area; null when not drawing */
  readonly drawingArea: readonly LatLon[] | null;
}

const initialState: WorkspaceState = {
  board: 'alerts',
  commandOpen: false,
  commandSeed: '',
  helpOpen: false,
  auditViewOpen: false,
  newIncident: null,
  pickingLocation: false,
  drawingArea: null,
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
    auditViewToggled(state, action: PayloadAction<boolean | undefined>) {
      state.auditViewOpen = action.payload ?? !state.auditViewOpen;
      if (state.auditViewOpen) state.commandOpen = false;
    },
    newIncidentStarted(state, action: PayloadAction<NewIncidentDraft>) {
      state.newIncident = action.payload as Draft<NewIncidentDraft>;
      state.commandOpen = false;
    },
    newIncidentClosed(state) {
      state.newIncident = null;
      state.pickingLocation = false;
      state.drawingArea = null;
    },
    locationPicking(state, action: PayloadAction<boolean>) {
      state.pickingLocation = action.payload;
    },
    locationPicked(state, action: PayloadAction<LatLon>) {
      if (state.newIncident) state.newIncident = { ...state.newIncident, location: action.payload, area: null };
      state.pickingLocation = false;
    },
    areaDrawingStarted(state) {
      state.drawingArea = [];
      state.pickingLocation = false;
    },
    /** A map click while drawing; the second click of a double-click adds nothing. */
    areaVertexAdded(state, action: PayloadAction<LatLon>) {
      const ring = state.drawingArea;
      if (!ring) return;
      const last = ring[ring.length - 1];
      if (last && last.lat === action.payload.lat && last.lon === action.payload.lon) return;
      ring.push(action.payload);
    },
    /** Enter or double-click: three corners or more become the area; fewer keep what was there. */
    areaDrawingFinished(state) {
      const ring = state.drawingArea;
      if (ring && ring.length >= 3 && state.newIncident)
        state.newIncident = { ...state.newIncident, area: ring.map((p) => ({ lat: p.lat, lon: p.lon })) };
      state.drawingArea = null;
    },
    areaDrawingCancelled(state) {
      state.drawingArea = null;
    },
  },
});

export const {
  boardShown,
  commandOpened,
  commandClosed,
  helpToggled,
  auditViewToggled,
  newIncidentStarted,
  newIncidentClosed,
  locationPicking,
  locationPicked,
  areaDrawingStarted,
  areaVertexAdded,
  areaDrawingFinished,
  areaDrawingCancelled,
} = workspaceSlice.actions;
export const workspaceReducer = workspaceSlice.reducer;

interface WithWorkspace {
  readonly workspace: WorkspaceState;
}
export const selectBoard = (s: WithWorkspace) => s.workspace.board;
export const selectWorkspace = (s: WithWorkspace) => s.workspace;
