import { createEntityAdapter, createSelector, createSlice, original } from '@reduxjs/toolkit';
import type { ActivityLogEntryView } from '../../shared/domain/activityLog';
import { changesReceived } from './actions';
import { loadIncident } from './incidents';
import { changedRows, type DeepReadonly } from './readonly';

export type LogEntry = DeepReadonly<ActivityLogEntryView>;

/** The hub's order (seq); entries written here and not yet confirmed come last, oldest first. */
export function compareLogEntries(a: LogEntry, b: LogEntry): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1;
}

const adapter = createEntityAdapter<LogEntry>({ sortComparer: compareLogEntries });
const initialState = adapter.getInitialState();
export type ActivityLogState = typeof initialState;

/**
 * ICS 214 entries of the incidents opened on this console and every entry pushed since.
 * Entries are never edited; a refused manual entry disappears (`removed.logEntries`).
 */
const activityLogSlice = createSlice({
  name: 'activityLog',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    const merge = (state: ActivityLogState, rows: readonly ActivityLogEntryView[] | undefined) => {
      if (!rows?.length) return;
      const changed = changedRows(original(state)?.entities ?? {}, rows);
      if (changed.length) adapter.setMany(state, changed);
    };
    builder
      .addCase(changesReceived, (state, action) => {
        merge(state, action.payload.logEntries);
        const gone = action.payload.removed?.logEntries.filter((id) => state.entities[id] !== undefined) ?? [];
        if (gone.length) adapter.removeMany(state, gone);
      })
      .addCase(loadIncident.fulfilled, (state, action) => merge(state, action.payload.log));
  },
});

export const activityLogReducer = activityLogSlice.reducer;

interface WithLog {
  readonly activityLog: ActivityLogState;
}
const adapterSelectors = adapter.getSelectors((s: WithLog) => s.activityLog);
export const selectLogEntryEntities = adapterSelectors.selectEntities;

/** One incident's log in order; the factory gives each view its own memo. */
export const makeSelectIncidentLog = () =>
  createSelector([adapterSelectors.selectAll, (_s: WithLog, incidentId: string) => incidentId], (all, id) =>
    all.filter((e) => e.incidentId === id),
  );
