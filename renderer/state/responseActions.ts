import { createAsyncThunk, createSelector, createSlice, nanoid, type Draft } from '@reduxjs/toolkit';
import type { ConsoleApi, InvokeArgs } from '../../shared/api';
import type { AppError, Result } from '../../shared/errors';
import type { NeedsAttentionItem } from '../../shared/responseApi';
import { changesReceived } from './actions';
import { sameData, type DeepReadonly } from './readonly';

/** The incident and unit actions an officer takes; each is one invoke channel. */
export const responseActionNames = [
  'openIncident',
  'setIncidentStatus',
  'updateIncident',
  'dispatchUnits',
  'releaseUnit',
  'setUnitStatus',
  'appendLog',
  'setChecklistStep',
] as const;
export type ResponseActionName = (typeof responseActionNames)[number];

export type ResponseAction = { [N in ResponseActionName]: { name: N; args: InvokeArgs<N> } }[ResponseActionName];

/**
 * An action on its way to the console host, or refused by it before it reached the
 * outbox (the console predicts the hub's verdict with the same rules). Once in the
 * outbox the row itself shows `pending`, and a hub refusal arrives as needsAttention.
 */
export type ActionRequest = DeepReadonly<{
  requestId: string;
  action: ResponseAction;
  state: 'sending' | 'refused';
  error: AppError | null;
  at: string;
}>;

export interface ResponseActionsState {
  readonly requests: readonly ActionRequest[];
  /** what the hub refused (newest first), as the console host keeps it */
  readonly needsAttention: DeepReadonly<NeedsAttentionItem[]>;
  /** refusals the officer has dealt with (mutation or request ids) */
  readonly dismissed: readonly string[];
}

const initialState: ResponseActionsState = { requests: [], needsAttention: [], dismissed: [] };

type ThunkConfig = { extra: { api: ConsoleApi | null }; rejectValue: AppError };
const NO_BRIDGE: AppError = { code: 'INTERNAL', message: 'This window is not connected to the console host.' };

type AnyChannel = (args: unknown) => Promise<Result<{ mutationId: string; incidentId?: string; entryId?: string }>>;

/** Send one action to the console host: it answers once the action is in the local outbox. */
export const runAction = createAsyncThunk<
  { mutationId: string; incidentId?: string; entryId?: string },
  ResponseAction,
  ThunkConfig
>(
  'response/run',
  async (action, { extra, rejectWithValue }) => {
    if (!extra.api) return rejectWithValue(NO_BRIDGE);
    const channel = extra.api[action.name] as AnyChannel;
    try {
      const result = await channel(action.args);
      if (!result.ok) return rejectWithValue(result.error);
      return result.value;
    } catch (err) {
      return rejectWithValue({ code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
    }
  },
  { idGenerator: () => nanoid() },
);

export const loadNeedsAttention = createAsyncThunk<NeedsAttentionItem[], void, ThunkConfig>(
  'response/needsAttention',
  async (_, { extra, rejectWithValue }) => {
    if (!extra.api) return rejectWithValue(NO_BRIDGE);
    const result = await extra.api.getNeedsAttention();
    if (!result.ok) return rejectWithValue(result.error);
    return result.value;
  },
);

const KEEP_REQUESTS = 50;

const responseActionsSlice = createSlice({
  name: 'responseActions',
  initialState,
  reducers: {
    refusalDismissed(state, action: { payload: string }) {
      if (!state.dismissed.includes(action.payload)) state.dismissed.push(action.payload);
      state.requests = state.requests.filter((r) => r.requestId !== action.payload);
    },
  },
  extraReducers: (builder) => {
    const setAttention = (state: ResponseActionsState, items: readonly NeedsAttentionItem[]) => {
      if (!sameData(state.needsAttention, items)) (state as { needsAttention: unknown }).needsAttention = items;
    };
    builder
      .addCase(changesReceived, (state, action) => {
        if (action.payload.needsAttention) setAttention(state, action.payload.needsAttention);
      })
      .addCase(loadNeedsAttention.fulfilled, (state, action) => setAttention(state, action.payload))
      .addCase(runAction.pending, (state, action) => {
        const request: ActionRequest = {
          requestId: action.meta.requestId,
          action: action.meta.arg,
          state: 'sending',
          error: null,
          at: new Date().toISOString(),
        };
        state.requests.unshift(request as Draft<ActionRequest>);
        if (state.requests.length > KEEP_REQUESTS) state.requests.length = KEEP_REQUESTS;
      })
      .addCase(runAction.fulfilled, (state, action) => {
        state.requests = state.requests.filter((r) => r.requestId !== action.meta.requestId);
      })
      .addCase(runAction.rejected, (state, action) => {
        const error: AppError = action.payload ?? { code: 'INTERNAL', message: action.error.message ?? '' };
        const i = state.requests.findIndex((r) => r.requestId === action.meta.requestId);
        if (i >= 0) state.requests[i] = { ...state.requests[i]!, state: 'refused', error };
      });
  },
});

export const { refusalDismissed } = responseActionsSlice.actions;
export const responseActionsReducer = responseActionsSlice.reducer;

interface WithResponse {
  readonly responseActions: ResponseActionsState;
}

/** One line of the "needs attention" list: refused here or by the hub, not yet dismissed. */
export interface Refusal {
  readonly id: string;
  readonly source: 'console' | 'hub';
  readonly type: string;
  readonly payload: unknown;
  readonly target: string;
  readonly error: AppError;
  readonly at: string;
}

const actionType: Readonly<Record<ResponseActionName, string>> = {
  openIncident: 'incident.open',
  setIncidentStatus: 'incident.setStatus',
  updateIncident: 'incident.update',
  dispatchUnits: 'unit.dispatch',
  releaseUnit: 'unit.release',
  setUnitStatus: 'unit.setStatus',
  appendLog: 'log.append',
  setChecklistStep: 'checklist.setStep',
};

export const selectRefusals = createSelector(
  [
    (s: WithResponse) => s.responseActions.requests,
    (s: WithResponse) => s.responseActions.needsAttention,
    (s: WithResponse) => s.responseActions.dismissed,
  ],
  (requests, hub, dismissed): readonly Refusal[] => {
    const out: Refusal[] = [];
    for (const r of requests)
      if (r.state === 'refused' && r.error)
        out.push({
          id: r.requestId,
          source: 'console',
          type: actionType[r.action.name],
          payload: r.action.args,
          target: '',
          error: r.error,
          at: r.at,
        });
    for (const n of hub)
      if (!dismissed.includes(n.mutationId))
        out.push({
          id: n.mutationId,
          source: 'hub',
          type: n.type,
          payload: n.payload,
          target: n.target,
          error: n.error,
          at: n.refusedAt,
        });
    return out;
  },
);

export const selectSendingCount = (s: WithResponse): number =>
  s.responseActions.requests.reduce((n, r) => (r.state === 'sending' ? n + 1 : n), 0);
