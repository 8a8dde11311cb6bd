import { createAsyncThunk, createEntityAdapter, createSelector, createSlice, original } from '@reduxjs/toolkit';
import type { ConsoleApi } from '../../shared/api';
import type { ChecklistStepView } from '../../shared/domain/checklist';
import type { IncidentView } from '../../shared/domain/incident';
import type { AppError } from '../../shared/errors';
import type { IncidentDetail } from '../../shared/responseApi';
import { changesReceived, snapshotLoaded } from './actions';
import { changedRows, sameData, type DeepReadonly } from './readonly';

export type Incident = DeepReadonly<IncidentView>;
export type ChecklistStep = DeepReadonly<ChecklistStepView>;

const statusRank = { active: 0, open: 1, contained: 2, closed: 3 } as const;

/** Board order: closed last, then most urgent priority, then newest. */
export function compareIncidentsForBoard(a: Incident, b: Incident): number {
  return (
    statusRank[a.status] - statusRank[b.status] ||
    a.priority - b.priority ||
    (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

const adapter = createEntityAdapter<Incident>({ sortComparer: compareIncidentsForBoard });

export const stepKey = (s: { readonly incidentId: string; readonly stepId: string }): string =>
  `${s.incidentId}/${s.stepId}`;

export type IncidentDetailState = DeepReadonly<
  | { id: string; state: 'loading' }
  | { id: string; state: 'loaded'; checklistTitle: string | null }
  | { id: string; state: 'failed'; error: AppError }
>;

export interface IncidentsExtra {
  readonly loaded: boolean;
  readonly selectedId: string | null;
  readonly detail: IncidentDetailState | null;
  /** checklist steps of the incidents the officer has opened (plus any pushed), by `incident/step` */
  readonly steps: Readonly<Record<string, ChecklistStep>>;
}

const initialState = adapter.getInitialState<IncidentsExtra>({
  loaded: false,
  selectedId: null,
  detail: null,
  steps: {},
});
export type IncidentsState = typeof initialState;

type ThunkConfig = { extra: { api: ConsoleApi | null }; rejectValue: AppError };
const NO_BRIDGE: AppError = { code: 'INTERNAL', message: 'This window is not connected to the console host.' };

/** The incident's log, checklist and units, read once when the officer opens it; pushes keep them fresh. */
export const loadIncident = createAsyncThunk<IncidentDetail, string, ThunkConfig>(
  'incidents/load',
  async (incidentId, { extra, rejectWithValue }) => {
    if (!extra.api) return rejectWithValue(NO_BRIDGE);
    const result = await extra.api.getIncident({ incidentId });
    if (!result.ok) return rejectWithValue(result.error);
    return result.value;
  },
);

const incidentsSlice = createSlice({
  name: 'incidents',
  initialState,
  reducers: {
    incidentSelected(state, action: { payload: string | null }) {
      state.selectedId = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(snapshotLoaded, (state, action) => {
        adapter.setAll(state, action.payload.incidents ?? []);
        state.loaded = true;
      })
      .addCase(changesReceived, (state, action) => {
        const { incidents, removed, checklistSteps } = action.payload;
        const before = original(state);
        if (incidents?.length) {
          const changed = changedRows(before?.entities ?? {}, incidents);
          if (changed.length) adapter.setMany(state, changed);
        }
        const gone = removed?.incidents.filter((id) => before?.entities[id] !== undefined) ?? [];
        if (gone.length) {
          adapter.removeMany(state, gone);
          if (state.selectedId && gone.includes(state.selectedId)) state.selectedId = null;
        }
        for (const step of checklistSteps ?? []) {
          const key = stepKey(step);
          if (!sameData(before?.steps[key], step)) state.steps[key] = step;
        }
      })
      .addCase(loadIncident.pending, (state, action) => {
        if (state.detail?.id !== action.meta.arg || state.detail.state === 'failed')
          state.detail = { id: action.meta.arg, state: 'loading' };
      })
      .addCase(loadIncident.fulfilled, (state, action) => {
        const { incident, checklist, checklistTitle } = action.payload;
        if (!sameData(original(state)?.entities[incident.id], incident)) adapter.setOne(state, incident);
        for (const step of checklist) {
          const key = stepKey(step);
          if (!sameData(original(state)?.steps[key], step)) state.steps[key] = step;
        }
        if (state.detail?.id === action.meta.arg)
          state.detail = { id: action.meta.arg, state: 'loaded', checklistTitle };
      })
      .addCase(loadIncident.rejected, (state, action) => {
        if (state.detail?.id !== action.meta.arg) return;
        const error: AppError = action.payload ?? { code: 'INTERNAL', message: action.error.message ?? '' };
        state.detail = { id: action.meta.arg, state: 'failed', error };
      });
  },
});

export const { incidentSelected } = incidentsSlice.actions;
export const incidentsReducer = incidentsSlice.reducer;

// ---- selectors -------------------------------------------------------------------------

interface WithIncidents {
  readonly incidents: IncidentsState;
}
const adapterSelectors = adapter.getSelectors((s: WithIncidents) => s.incidents);
export const selectIncidentById = adapterSelectors.selectById;
export const selectIncidentEntities = adapterSelectors.selectEntities;
export const selectAllIncidents = adapterSelectors.selectAll;
export const selectSelectedIncidentId = (s: WithIncidents) => s.incidents.selectedId;
export const selectIncidentDetail = (s: WithIncidents) => s.incidents.detail;
export const selectIncidentsLoaded = (s: WithIncidents) => s.incidents.loaded;

/** The board: every incident not closed, in board order. */
export const selectOpenIncidentIds = createSelector([adapterSelectors.selectAll], (all): readonly string[] =>
  all.filter((i) => i.status !== 'closed').map((i) => i.id),
);

/** INC-0042 → incident, for the command bar (numbers are given by the hub; unconfirmed ones have none). */
export const selectIncidentByNumber = createSelector([adapterSelectors.selectAll], (all) => {
  const byNumber = new Map<string, Incident>();
  for (const i of all) if (i.number) byNumber.set(i.number, i);
  return byNumber;
});

const selectSteps = (s: WithIncidents) => s.incidents.steps;
/** One incident's checklist in SOP order; memoised per incident id by the factory. */
export const makeSelectChecklist = () =>
  createSelector([selectSteps, (_s: WithIncidents, incidentId: string) => incidentId], (steps, incidentId) =>
    Object.values(steps)
      .filter((s) => s.incidentId === incidentId)
      .sort((a, b) => a.ord - b.ord),
  );

/** How many of these open-step due times are past. */
export const overdueCount = (openStepsDue: readonly string[], nowMs: number): number =>
  openStepsDue.reduce((n, due) => (Date.parse(due) < nowMs ? n + 1 : n), 0);

/** "INC-0042", or a short form of the id while the hub has not numbered it yet. */
export const incidentLabel = (i: { readonly number: string | null; readonly id: string }): string =>
  i.number ?? `…${i.id.slice(-6)}`;
