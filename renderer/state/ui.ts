import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Disposition } from '../../shared/domain/alert';
import type { CapSeverity } from '../../shared/domain/cap';

export const languages = ['en', 'zh-CN'] as const;
export type Language = (typeof languages)[number];
export const isLanguage = (v: unknown): v is Language => languages.includes(v as Language);

/** Where a selection came from: the other views follow it (the map flies, the queue scrolls). */
export type SelectionOrigin = 'queue' | 'map' | 'restore';

export interface QueueFilter {
  readonly text: string;
  readonly hiddenSeverities: readonly CapSeverity[];
  /** CAP status Actual */
  readonly showActual: boolean;
  /** CAP status Exercise, Test, System or Draft */
  readonly showNonActual: boolean;
}

export interface UiState {
  readonly selectedAlertId: string | null;
  readonly selectionOrigin: SelectionOrigin;
  /** bumps on every explicit selection, so selecting the same alert again re-focuses it */
  readonly selectionSerial: number;
  readonly filter: QueueFilter;
  readonly language: Language;
  /** the officer's triage verdict and note for the open alert, sent with its acknowledgement */
  readonly ackDraft: AckDraft;
  /** alerts the officer marked (Space in the queue) to open one incident from */
  readonly markedAlertIds: readonly string[];
}

export interface AckDraft {
  readonly disposition: Disposition | null;
  readonly note: string;
}
const emptyDraft: AckDraft = { disposition: null, note: '' };

export const initialFilter: QueueFilter = { text: '', hiddenSeverities: [], showActual: true, showNonActual: true };

export const createInitialUiState = (language: Language = 'en'): UiState => ({
  selectedAlertId: null,
  selectionOrigin: 'restore',
  selectionSerial: 0,
  filter: initialFilter,
  language,
  ackDraft: emptyDraft,
  markedAlertIds: [],
});

const uiSlice = createSlice({
  name: 'ui',
  initialState: createInitialUiState(),
  reducers: {
    alertSelected(state, action: PayloadAction<{ id: string | null; origin: SelectionOrigin }>) {
      if (state.selectedAlertId !== action.payload.id) state.ackDraft = emptyDraft;
      state.selectedAlertId = action.payload.id;
      state.selectionOrigin = action.payload.origin;
      state.selectionSerial += 1;
    },
    filterTextChanged(state, action: PayloadAction<string>) {
      if (state.filter.text !== action.payload) state.filter.text = action.payload;
    },
    severityToggled(state, action: PayloadAction<CapSeverity>) {
      const hidden = state.filter.hiddenSeverities;
      const i = hidden.indexOf(action.payload);
      if (i >= 0) hidden.splice(i, 1);
      else hidden.push(action.payload);
    },
    actualToggled(state) {
      state.filter.showActual = !state.filter.showActual;
    },
    nonActualToggled(state) {
      state.filter.showNonActual = !state.filter.showNonActual;
    },
    filtersCleared(state) {
      state.filter = { ...initialFilter, hiddenSeverities: [] };
    },
    alertMarkToggled(state, action: PayloadAction<string>) {
      const i = state.markedAlertIds.indexOf(action.payload);
      if (i >= 0) state.markedAlertIds.splice(i, 1);
      else state.markedAlertIds.push(action.payload);
    },
    alertMarksCleared(state) {
      if (state.markedAlertIds.length) state.markedAlertIds = [];
    },
    ackDraftChanged(state, action: PayloadAction<Partial<AckDraft>>) {
      state.ackDraft = { ...state.ackDraft, ...action.payload };
    },
    languageChanged(state, action: PayloadAction<Language>) {
      state.language = action.payload;
    },
  },
});

export const {
  alertSelected,
  alertMarkToggled,
  alertMarksCleared,
  ackDraftChanged,
  filterTextChanged,
  severityToggled,
  actualToggled,
  nonActualToggled,
  filtersCleared,
  languageChanged,
} = uiSlice.actions;
export const uiReducer = uiSlice.reducer;

interface WithUi {
  readonly ui: UiState;
}
export const selectSelectedAlertId = (s: WithUi) => s.ui.selectedAlertId;
export const selectSelection = (s: WithUi) => s.ui;
export const selectFilter = (s: WithUi) => s.ui.filter;
export const selectLanguage = (s: WithUi) => s.ui.language;
export const selectAckDraft = (s: WithUi) => s.ui.ackDraft;

/** The acknowledge request for the open alert, with the draft's verdict and note if given. */
export function ackArgs(
  alertId: string,
  draft: AckDraft,
): { alertId: string; disposition?: Disposition; note?: string } {
  const note = draft.note.trim();
  return {
    alertId,
    ...(draft.disposition ? { disposition: draft.disposition } : {}),
    ...(note ? { note } : {}),
  };
}
