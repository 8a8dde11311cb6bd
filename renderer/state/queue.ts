import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { reactToFlood, type FloodEpisode, type QueueLayout, type ThreadView } from './queueView';

/**
 * How the alert queue is laid out (issue 3): open or closed threads, one row per alert or
 * grouped, and the alarm-flood episode (ISA-18.2) that switches to flood view by itself.
 */
export interface QueueState {
  readonly threadView: ThreadView;
  readonly layout: QueueLayout;
  readonly flood: FloodEpisode & { readonly ratePer10Min: number };
  /** group keys the officer opened */
  readonly expanded: readonly string[];
}

const initialState: QueueState = {
  threadView: 'active',
  layout: 'list',
  flood: { active: false, layoutBefore: null, ratePer10Min: 0 },
  expanded: [],
};

const queueSlice = createSlice({
  name: 'queue',
  initialState,
  reducers: {
    threadViewChanged(state, action: PayloadAction<ThreadView>) {
      state.threadView = action.payload;
    },
    layoutChosen(state, action: PayloadAction<QueueLayout>) {
      state.layout = action.payload;
    },
    groupToggled(state, action: PayloadAction<string>) {
      const i = state.expanded.indexOf(action.payload);
      if (i >= 0) state.expanded.splice(i, 1);
      else state.expanded.push(action.payload);
    },
    /** the detector's verdict (shared/alerts/flood.ts), checked on arrivals and as time passes */
    floodChecked(state, action: PayloadAction<{ flood: boolean; ratePer10Min: number }>) {
      const { flood, ratePer10Min } = action.payload;
      const next = reactToFlood(flood, state.layout, state.flood);
      if (next.layout !== state.layout) state.layout = next.layout;
      if (next.episode.active !== state.flood.active || next.episode.layoutBefore !== state.flood.layoutBefore) {
        state.flood.active = next.episode.active;
        state.flood.layoutBefore = next.episode.layoutBefore;
      }
      if (state.flood.ratePer10Min !== ratePer10Min) state.flood.ratePer10Min = ratePer10Min;
    },
  },
});

export const { threadViewChanged, layoutChosen, groupToggled, floodChecked } = queueSlice.actions;
export const queueReducer = queueSlice.reducer;

interface WithQueue {
  readonly queue: QueueState;
}
export const selectQueueState = (s: WithQueue): QueueState => s.queue;
export const selectThreadView = (s: WithQueue): ThreadView => s.queue.threadView;
export const selectQueueLayout = (s: WithQueue): QueueLayout => s.queue.layout;
export const selectFlood = (s: WithQueue) => s.queue.flood;
export const selectExpandedGroups = (s: WithQueue): readonly string[] => s.queue.expanded;
