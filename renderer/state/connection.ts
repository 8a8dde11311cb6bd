import { createSelector, createSlice } from '@reduxjs/toolkit';
import type { ConnectionStatus } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import { changesReceived, snapshotFailed, snapshotLoaded } from './actions';
import { sameData, type DeepReadonly } from './readonly';

export interface ConnectionSliceState {
  /** null until the first snapshot arrives */
  readonly status: DeepReadonly<ConnectionStatus> | null;
  /** the snapshot could not be loaded: the console shows this sentence instead of data */
  readonly loadError: AppError | null;
}

const initialState: ConnectionSliceState = { status: null, loadError: null };

const connectionSlice = createSlice({
  name: 'connection',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(snapshotLoaded, (state, action) => {
        state.status = action.payload.status;
        state.loadError = null;
      })
      .addCase(snapshotFailed, (state, action) => {
        state.loadError = action.payload;
      })
      .addCase(changesReceived, (state, action) => {
        const next = action.payload.status;
        // An equal status leaves the slice (and the status bar) untouched.
        if (next && !sameData(state.status, next)) state.status = next;
      });
  },
});

export const connectionReducer = connectionSlice.reducer;

interface WithConnection {
  readonly connection: ConnectionSliceState;
}
export const selectConnectionStatus = (s: WithConnection) => s.connection.status;
export const selectLoadError = (s: WithConnection) => s.connection.loadError;

/** Catch-up progress as a whole percentage (cursor / head), null when there is nothing to catch up. */
export const selectCatchUpPercent = createSelector([selectConnectionStatus], (status): number | null => {
  if (!status || status.head <= 0) return null;
  return Math.min(100, Math.floor((status.cursor / status.head) * 100));
});
