import { combineReducers, configureStore } from '@reduxjs/toolkit';
import type { ConsoleApi } from '../../shared/api';
import { alertsReducer } from './alerts';
import { assetsReducer } from './assets';
import { connectionReducer } from './connection';
import { queueReducer } from './queue';
import { createInitialUiState, uiReducer, type Language } from './ui';
import { activityLogReducer } from './activityLog';
import { incidentsReducer } from './incidents';
import { responseActionsReducer } from './responseActions';
import { unitsReducer } from './units';
import { workspaceReducer } from './workspace';
import { telemetryReducer } from './telemetry';
import { telemetryRulesReducer } from './telemetryRules';

export const rootReducer = combineReducers({
  alerts: alertsReducer,
  assets: assetsReducer,
  connection: connectionReducer,
  ui: uiReducer,
  queue: queueReducer,
  incidents: incidentsReducer,
  units: unitsReducer,
  activityLog: activityLogReducer,
  responseActions: responseActionsReducer,
  workspace: workspaceReducer,
  telemetry: telemetryReducer,
  telemetryRules: telemetryRulesReducer,
});
export type RootState = ReturnType<typeof rootReducer>;

export interface StoreOptions {
  api: ConsoleApi | null;
  language?: Language;
}

/** One store per window. The bridge is handed to thunks as `extra`, so tests can pass their own. */
export function createStore({ api, language }: StoreOptions) {
  return configureStore({
    reducer: rootReducer,
    preloadedState: { ui: createInitialUiState(language) },
    middleware: (getDefault) =>
      getDefault({
        thunk: { extraArgument: { api } },
        // Dev-only checks walk the whole state; at city scale (100 000 assets) they only slow the dev build.
        immutableCheck: { warnAfter: 256 },
        serializableCheck: { warnAfter: 256 },
      }),
    // configureStore 2 adds autoBatchEnhancer by default: bursts of pushes notify once.
  });
}

export type AppStore = ReturnType<typeof createStore>;
export type AppDispatch = AppStore['dispatch'];
