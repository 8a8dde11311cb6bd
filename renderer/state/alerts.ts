import { createAsyncThunk, createEntityAdapter, createSelector, createSlice, original } from '@reduxjs/toolkit';
import type { AlertDetail as AlertDetailRow, AlertSummary, Disposition } from '../../shared/domain/alert';
import { severityRank, urgencyRank, type CapSeverity, type CapStatus } from '../../shared/domain/cap';
import type { AppError } from '../../shared/errors';
import type { ConsoleApi } from '../../shared/api';
import { changesReceived, snapshotLoaded, snapshotPageLoaded } from './actions';
import { withPageRows } from './pageRows';
import { changedRows, sameData, type DeepReadonly } from './readonly';
import {
  groupEntries,
  inThreadView,
  isActiveThread,
  type QueueEntry,
  type QueueLayout,
  type ThreadView,
} from './queueView';

export type Alert = DeepReadonly<AlertSummary>;

/** Sent time in ms, computed once per stored row (rows are immutable, so the cache never goes stale). */
const sentMsCache = new WeakMap<Alert, number>();
function sentMs(alert: Alert): number {
  let ms = sentMsCache.get(alert);
  if (ms === undefined) {
    ms = Date.parse(alert.sent);
    if (Number.isNaN(ms)) ms = 0;
    sentMsCache.set(alert, ms);
  }
  return ms;
}

/** Queue order: worst severity first, then most urgent, then newest (sent, then arrival), then id for stability. */
export function compareAlertsForQueue(a: Alert, b: Alert): number {
  return (
    severityRank[b.severity] - severityRank[a.severity] ||
    urgencyRank[b.urgency] - urgencyRank[a.urgency] ||
    sentMs(b) - sentMs(a) ||
    b.receivedSeq - a.receivedSeq ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

const adapter = createEntityAdapter<Alert>({ sortComparer: compareAlertsForQueue });

/** An acknowledgement on its way to the console host, or refused by it. */
export type AckRequest = DeepReadonly<{ state: 'sending' } | { state: 'failed'; error: AppError }>;

export type AlertDetail = DeepReadonly<AlertDetailRow>;

/** The full CAP message of the alert the officer opened; fetched on demand, one at a time. */
export type OpenedAlert = DeepReadonly<
  | { id: string; state: 'loading' }
  | { id: string; state: 'loaded'; detail: AlertDetailRow }
  | { id: string; state: 'failed'; error: AppError }
>;

export interface AlertsExtra {
  readonly loaded: boolean;
  readonly opened: OpenedAlert | null;
  /** alert id → the officer's acknowledge request until the replica reports it pending or done */
  readonly ackRequests: Readonly<Record<string, AckRequest>>;
  /** alert id → the officer's reinstate request: on its way, written to the outbox (until the hub answers), or refused here */
  readonly reinstateRequests: Readonly<Record<string, ReinstateRequest>>;
  /** the replica's cursor when the first snapshot was read: rows received up to it were there before this window (decision 0038) */
  readonly snapshotSeq?: number;
}

/** A reinstatement: `queued` once in the outbox; the hub's refusal then arrives as needsAttention for `mutationId`. */
export type ReinstateRequest = DeepReadonly<
  { state: 'sending' } | { state: 'queued'; mutationId: string } | { state: 'failed'; error: AppError }
>;

const initialState = adapter.getInitialState<AlertsExtra>({
  loaded: false,
  opened: null,
  ackRequests: {},
  reinstateRequests: {},
});
export type AlertsState = typeof initialState;

type ThunkConfig = { extra: { api: ConsoleApi | null }; rejectValue: AppError };
const NO_BRIDGE: AppError = { code: 'INTERNAL', message: 'This window is not connected to the console host.' };

export const acknowledgeAlert = createAsyncThunk<
  { mutationId: string },
  { alertId: string; disposition?: Disposition; note?: string },
  ThunkConfig
>('alerts/acknowledge', async (args, { extra, rejectWithValue }) => {
  if (!extra.api) return rejectWithValue(NO_BRIDGE);
  const result = await extra.api.acknowledgeAlert(args);
  if (!result.ok) return rejectWithValue(result.error);
  return result.value;
});

export const reinstateAlert = createAsyncThunk<{ mutationId: string }, { alertId: string; note?: string }, ThunkConfig>(
  'alerts/reinstate',
  async (args, { extra, rejectWithValue }) => {
    if (!extra.api) return rejectWithValue(NO_BRIDGE);
    const result = await extra.api.reinstateAlert(args);
    if (!result.ok) return rejectWithValue(result.error);
    return result.value;
  },
);

export const openAlert = createAsyncThunk<AlertDetailRow, string, ThunkConfig & { state: { alerts: AlertsState } }>(
  'alerts/open',
  async (alertId, { extra, rejectWithValue }) => {
    if (!extra.api) return rejectWithValue(NO_BRIDGE);
    const result = await extra.api.getAlert({ alertId });
    if (!result.ok) return rejectWithValue(result.error);
    return result.value;
  },
  {
    // Already open (or opening): the CAP message of an id never changes. What the hub learnt
    // since (its lifecycle, history, group, acknowledgement) changes its summary: then fetch again.
    condition: (alertId, { getState }) => {
      const { opened, entities } = getState().alerts;
      if (!opened || opened.id !== alertId || opened.state === 'failed') return true;
      if (opened.state === 'loading') return false;
      return !sameData(opened.detail.summary, entities[alertId]);
    },
  },
);

const alertsSlice = createSlice({
  name: 'alerts',
  initialState,
  reducers: {
    ackErrorDismissed(state, action: { payload: string }) {
      delete state.ackRequests[action.payload];
    },
    reinstateRequestDismissed(state, action: { payload: string }) {
      delete state.reinstateRequests[action.payload];
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(snapshotLoaded, (state, action) => {
        // A snapshot after the first is a resync after a catch-up (decision 0040): the rows it
        // brings came with the catch-up, which is silent, not news.
        const resync = state.loaded;
        adapter.setAll(state, action.payload.alerts);
        state.loaded = true;
        // Only a windowed snapshot (or a resync) has rows that were there before this window.
        if (action.payload.rest || resync) state.snapshotSeq = action.payload.status.cursor;
        else delete state.snapshotSeq;
      })
      .addCase(snapshotPageLoaded, (state, action) => {
        // A row already stored came from the first snapshot or a live change, and is never older
        // than the page's copy (a change after the page was read is pushed after it): add only
        // the rows the store does not have, so a page answered late cannot undo a live change.
        // Merged outside immer (pageRows.ts): a page at city scale is thousands of rows.
        const base = original(state);
        if (!base || action.payload.alerts.length === 0) return;
        return withPageRows(base, action.payload.alerts, compareAlertsForQueue);
      })
      .addCase(changesReceived, (state, action) => {
        if (action.payload.alerts.length === 0) return;
        // Compare against the plain stored rows, not drafts: an equal row must not touch the state.
        const stored = original(state)?.entities ?? {};
        const changed = changedRows(stored, action.payload.alerts);
        if (changed.length === 0) return;
        adapter.setMany(state, changed);
        for (const row of changed) {
          // The replica now speaks for this alert: its pendingAck / ack replace our in-flight marker.
          if ((row.pendingAck || row.ack) && state.ackRequests[row.id]?.state === 'sending')
            delete state.ackRequests[row.id];
          // Acknowledged again (or the hub refused and the acknowledgement stands): the reinstatement is over.
          if (row.ack && state.reinstateRequests[row.id]?.state === 'queued') delete state.reinstateRequests[row.id];
        }
      })
      .addCase(openAlert.pending, (state, action) => {
        // A refresh keeps showing what is loaded until the new answer is in.
        if (state.opened?.id === action.meta.arg && state.opened.state === 'loaded') return;
        state.opened = { id: action.meta.arg, state: 'loading' };
      })
      .addCase(openAlert.fulfilled, (state, action) => {
        // A late answer for an alert the officer has since left is dropped.
        if (state.opened?.id === action.meta.arg)
          state.opened = { id: action.meta.arg, state: 'loaded', detail: action.payload };
      })
      .addCase(openAlert.rejected, (state, action) => {
        if (state.opened?.id !== action.meta.arg || action.meta.condition) return;
        if (state.opened.state === 'loaded') return; // a failed refresh keeps the loaded message
        const error: AppError = action.payload ?? { code: 'INTERNAL', message: action.error.message ?? '' };
        state.opened = { id: action.meta.arg, state: 'failed', error };
      })
      .addCase(acknowledgeAlert.pending, (state, action) => {
        state.ackRequests[action.meta.arg.alertId] = { state: 'sending' };
      })
      .addCase(acknowledgeAlert.fulfilled, (state, action) => {
        const id = action.meta.arg.alertId;
        const row = state.entities[id];
        // Until the replica's push arrives, show the alert as pending ourselves.
        if (row && !row.ack) adapter.updateOne(state, { id, changes: { pendingAck: true } });
        delete state.ackRequests[id];
      })
      .addCase(acknowledgeAlert.rejected, (state, action) => {
        const error: AppError = action.payload ?? { code: 'INTERNAL', message: action.error.message ?? '' };
        state.ackRequests[action.meta.arg.alertId] = { state: 'failed', error };
      })
      .addCase(reinstateAlert.pending, (state, action) => {
        state.reinstateRequests[action.meta.arg.alertId] = { state: 'sending' };
      })
      .addCase(reinstateAlert.fulfilled, (state, action) => {
        state.reinstateRequests[action.meta.arg.alertId] = { state: 'queued', mutationId: action.payload.mutationId };
      })
      .addCase(reinstateAlert.rejected, (state, action) => {
        const error: AppError = action.payload ?? { code: 'INTERNAL', message: action.error.message ?? '' };
        state.reinstateRequests[action.meta.arg.alertId] = { state: 'failed', error };
      });
  },
});

export const { ackErrorDismissed, reinstateRequestDismissed } = alertsSlice.actions;
export const alertsReducer = alertsSlice.reducer;

// ---- selectors -------------------------------------------------------------------------

interface WithAlerts {
  readonly alerts: AlertsState;
}
interface QueueFilterLike {
  readonly text: string;
  readonly hiddenSeverities: readonly CapSeverity[];
  readonly showActual: boolean;
  readonly showNonActual: boolean;
}
interface WithFilter {
  readonly ui: { readonly filter: QueueFilterLike; readonly selectedAlertId?: string | null };
  readonly queue: {
    readonly threadView: ThreadView;
    readonly layout: QueueLayout;
    readonly expanded: readonly string[];
  };
}

const adapterSelectors = adapter.getSelectors((s: WithAlerts) => s.alerts);
export const selectAlertById = adapterSelectors.selectById;
export const selectAlertEntities = adapterSelectors.selectEntities;
/** All alert ids in queue order. */
export const selectSortedAlertIds = adapterSelectors.selectIds;
export const selectAlertCount = adapterSelectors.selectTotal;
export const selectAlertsLoaded = (s: WithAlerts): boolean => s.alerts.loaded;
export const selectOpenedAlert = (s: WithAlerts): OpenedAlert | null => s.alerts.opened;
export const selectAckRequest = (s: WithAlerts, id: string): AckRequest | undefined => s.alerts.ackRequests[id];
export const selectReinstateRequest = (s: WithAlerts, id: string): ReinstateRequest | undefined =>
  s.alerts.reinstateRequests[id];

export const isActual = (status: CapStatus): boolean => status === 'Actual';

/** Superseded by an Update or closed by a Cancel. A row from a host that predates lifecycles counts as current. */
export const isClosed = (alert: Pick<Alert, 'lifecycle'>): boolean =>
  alert.lifecycle === 'superseded' || alert.lifecycle === 'cancelled';

export function alertMatchesFilter(alert: Alert, filter: QueueFilterLike, needle: string): boolean {
  if (filter.hiddenSeverities.includes(alert.severity)) return false;
  if (isActual(alert.status) ? !filter.showActual : !filter.showNonActual) return false;
  if (needle === '') return true;
  return (
    alert.event.toLowerCase().includes(needle) ||
    alert.headline.toLowerCase().includes(needle) ||
    alert.sender.toLowerCase().includes(needle) ||
    alert.identifier.toLowerCase().includes(needle)
  );
}

/** The current versions of open threads (`active`) or of threads a Cancel closed (`closed`), in queue order. */
export const selectThreadIds = createSelector(
  [selectSortedAlertIds, selectAlertEntities, (s: WithFilter) => s.queue.threadView],
  (ids, entities, view): readonly string[] =>
    ids.filter((id) => {
      const alert = entities[id];
      return alert !== undefined && inThreadView(alert, view);
    }),
);

/** The queue as shown: the thread view's ids that pass the officer's filter. Recomputed only when alerts or the filter change. */
export const selectVisibleAlertIds = createSelector(
  [selectThreadIds, selectAlertEntities, (s: WithFilter) => s.ui.filter],
  (ids, entities, filter): readonly string[] => {
    const needle = filter.text.trim().toLowerCase();
    const noFilter = needle === '' && filter.hiddenSeverities.length === 0 && filter.showActual && filter.showNonActual;
    if (noFilter) return ids;
    return ids.filter((id) => {
      const alert = entities[id];
      return alert !== undefined && alertMatchesFilter(alert, filter, needle);
    });
  },
);

/**
 * The layout actually shown: a text search lists matching alerts one by one, and the
 * closed threads are never grouped (both are looked through, not watched).
 */
export const selectEffectiveLayout = (s: WithFilter): QueueLayout =>
  s.ui.filter.text.trim() !== '' || s.queue.threadView === 'closed' ? 'list' : s.queue.layout;

/** The virtual list's entries: alerts, groups (most severe member first) and the members of open groups. */
export const selectQueueEntries = createSelector(
  [selectVisibleAlertIds, selectAlertEntities, selectEffectiveLayout, (s: WithFilter) => s.queue.expanded],
  (ids, entities, layout, expanded): readonly QueueEntry[] => groupEntries(ids, entities, layout, new Set(expanded)),
);

/** Alerts that still need an officer: open threads neither acknowledged nor pending. */
export const selectUnacknowledgedCount = createSelector([adapterSelectors.selectAll], (all) =>
  all.reduce((n, a) => (a.ack || a.pendingAck || !isActiveThread(a) ? n : n + 1), 0),
);

/** What the map draws: open threads with a place, and the alert the officer opened (even a closed one). */
export const selectMappableAlerts = createSelector(
  [adapterSelectors.selectAll, (s: WithFilter) => s.ui.selectedAlertId ?? null],
  (all, selectedId) => all.filter((a) => a.center !== null && (isActiveThread(a) || a.id === selectedId)),
);

/** For a Cancel in the closed view: the messages it closed (an empty Cancel borrows their headline). */
export const selectCancelledBy = createSelector([adapterSelectors.selectAll], (all) => {
  const by = new Map<string, Alert[]>();
  for (const a of all) {
    if (a.lifecycle !== 'cancelled' || !a.supersededBy) continue;
    const list = by.get(a.supersededBy);
    if (list) list.push(a);
    else by.set(a.supersededBy, [a]);
  }
  return by;
});

/** Whether the officer can acknowledge this alert now (not done, not on its way). */
export const selectCanAcknowledge = (s: WithAlerts, id: string): boolean => {
  const alert = s.alerts.entities[id];
  if (!alert || alert.ack || alert.pendingAck) return false;
  return s.alerts.ackRequests[id]?.state !== 'sending';
};
