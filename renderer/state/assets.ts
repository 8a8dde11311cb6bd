import { createEntityAdapter, createSelector, createSlice, original } from '@reduxjs/toolkit';
import type { Asset as AssetRow, AssetKind } from '../../shared/domain/asset';
import { changesReceived, snapshotLoaded, snapshotPageLoaded } from './actions';
import { withPageRows } from './pageRows';
import { changedRows, type DeepReadonly } from './readonly';

export type Asset = DeepReadonly<AssetRow>;

const adapter = createEntityAdapter<Asset>();
const initialState = adapter.getInitialState();
export type AssetsState = typeof initialState;

const assetsSlice = createSlice({
  name: 'assets',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(snapshotLoaded, (state, action) => {
        adapter.setAll(state, action.payload.assets);
      })
      .addCase(changesReceived, (state, action) => {
        if (action.payload.assets.length === 0) return;
        const changed = changedRows(original(state)?.entities ?? {}, action.payload.assets);
        if (changed.length > 0) adapter.setMany(state, changed);
      })
      .addCase(snapshotPageLoaded, (state, action) => {
        // only rows the store does not have: see the alerts slice (decisions 0038, 0041)
        const base = original(state);
        if (!base || action.payload.assets.length === 0) return;
        return withPageRows(base, action.payload.assets);
      });
  },
});

export const assetsReducer = assetsSlice.reducer;

interface WithAssets {
  readonly assets: AssetsState;
}
const adapterSelectors = adapter.getSelectors((s: WithAssets) => s.assets);
export const selectAssetById = adapterSelectors.selectById;
export const selectAssetEntities = adapterSelectors.selectEntities;
export const selectAssetIds = adapterSelectors.selectIds;
export const selectAllAssets = adapterSelectors.selectAll;
export const selectAssetCount = adapterSelectors.selectTotal;

/** How many assets of each kind, for the map legend. */
export const selectAssetCountsByKind = createSelector([selectAllAssets], (all) => {
  const counts: Partial<Record<AssetKind, number>> = {};
  for (const a of all) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts as Readonly<Partial<Record<AssetKind, number>>>;
});
