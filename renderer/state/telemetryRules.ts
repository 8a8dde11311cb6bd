import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { TelemetryRules } from '../../shared/telemetry/api';
import { changesReceived } from './actions';
import type { DeepReadonly } from './readonly';

/**
 * The telemetry rules in force (issue 9, decision 0034) and whether the supervisors' editor
 * is open. The rules arrive whole: read when the editor opens, and pushed in a ChangeSet
 * whenever an edit on the log (or this console's own) changes them.
 */
export interface TelemetryRulesState {
  readonly editorOpen: boolean;
  readonly rules: DeepReadonly<TelemetryRules> | null;
}

const initialState: TelemetryRulesState = { editorOpen: false, rules: null };

const slice = createSlice({
  name: 'telemetryRules',
  initialState,
  reducers: {
    rulesEditorToggled(state, action: PayloadAction<boolean | undefined>) {
      state.editorOpen = action.payload ?? !state.editorOpen;
    },
    rulesLoaded(state, action: PayloadAction<TelemetryRules>) {
      state.rules = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(changesReceived, (state, action) => {
      if (action.payload.telemetryRules) state.rules = action.payload.telemetryRules;
    });
  },
});

export const { rulesEditorToggled, rulesLoaded } = slice.actions;
export const telemetryRulesReducer = slice.reducer;
