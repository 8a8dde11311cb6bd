import { createEntityAdapter, createSelector, createSlice, original } from '@reduxjs/toolkit';
import type { UnitStatus, UnitView } from '../../shared/domain/unit';
import { changesReceived, snapshotLoaded } from './actions';
import { loadIncident } from './incidents';
import { changedRows, type DeepReadonly } from './readonly';

export type Unit = DeepReadonly<UnitView>;

/** E2 before E12: call signs sort by their letters, then by number. */
export function compareUnitIds(a: string, b: string): number {
  const ma = /^([A-Z]+)(\d+)$/.exec(a);
  const mb = /^([A-Z]+)(\d+)$/.exec(b);
  if (ma && mb) return ma[1]!.localeCompare(mb[1]!) || Number(ma[2]) - Number(mb[2]);
  return a.localeCompare(b);
}

const adapter = createEntityAdapter<Unit>({ sortComparer: (a, b) => compareUnitIds(a.id, b.id) });
const initialState = adapter.getInitialState<{ readonly selectedId: string | null }>({ selectedId: null });
export type UnitsState = typeof initialState;

const unitsSlice = createSlice({
  name: 'units',
  initialState,
  reducers: {
    unitSelected(state, action: { payload: string | null }) {
      state.selectedId = action.payload;
    },
  },
  extraReducers: (builder) => {
    const merge = (state: UnitsState, rows: readonly UnitView[] | undefined) => {
      if (!rows?.length) return;
      const changed = changedRows(original(state)?.entities ?? {}, rows);
      if (changed.length) adapter.setMany(state, changed);
    };
    builder
      .addCase(snapshotLoaded, (state, action) => {
        adapter.setAll(state, action.payload.units ?? []);
      })
      .addCase(changesReceived, (state, action) => merge(state, action.payload.units))
      .addCase(loadIncident.fulfilled, (state, action) => merge(state, action.payload.units));
  },
});

export const { unitSelected } = unitsSlice.actions;
export const unitsReducer = unitsSlice.reducer;

interface WithUnits {
  readonly units: UnitsState;
}
const adapterSelectors = adapter.getSelectors((s: WithUnits) => s.units);
export const selectUnitById = adapterSelectors.selectById;
export const selectUnitEntities = adapterSelectors.selectEntities;
export const selectUnitIds = adapterSelectors.selectIds;
export const selectAllUnits = adapterSelectors.selectAll;
export const selectSelectedUnitId = (s: WithUnits) => s.units.selectedId;

/** Units committed to one incident, in call-sign order. */
export const makeSelectUnitsOfIncident = () =>
  createSelector([adapterSelectors.selectAll, (_s: WithUnits, incidentId: string) => incidentId], (all, id) =>
    all.filter((u) => u.incidentId === id),
  );

/** How many units hold each status, for the board's header. */
export const selectUnitStatusCounts = createSelector([adapterSelectors.selectAll], (all) => {
  const counts: Partial<Record<UnitStatus, number>> = {};
  for (const u of all) counts[u.status] = (counts[u.status] ?? 0) + 1;
  return counts as Readonly<Partial<Record<UnitStatus, number>>>;
});
