import { createAction, prepareAutoBatched } from '@reduxjs/toolkit';
import type { ChangeSet, Snapshot, SnapshotPage } from '../../shared/api';
import type { AppError } from '../../shared/errors';

/**
 * Actions that several slices answer to. Pushes are marked for RTK's autoBatchEnhancer:
 * a burst of ChangeSets notifies subscribers once, not once per push.
 */
export const snapshotLoaded = createAction<Snapshot>('sync/snapshotLoaded');
export const snapshotFailed = createAction<AppError>('sync/snapshotFailed');
export const changesReceived = createAction('sync/changesReceived', prepareAutoBatched<ChangeSet>());
/** A page of what a windowed first snapshot left out (decision 0038): rows that were already there, not news. */
export const snapshotPageLoaded = createAction<SnapshotPage>('sync/snapshotPageLoaded');
