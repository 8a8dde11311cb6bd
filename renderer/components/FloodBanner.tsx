import { createSelector } from '@reduxjs/toolkit';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { floodState } from '../../shared/alerts/flood';
import { selectAlertEntities } from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { floodChecked, layoutChosen, selectFlood, selectQueueLayout } from '../state/queue';
import { floodArrivals, type QueueLayout } from '../state/queueView';

/** Re-check at least this often: arrivals leave the 10-minute window as time passes. */
const RECHECK_MS = 15_000;

const selectArrivals = createSelector([selectAlertEntities], (entities) =>
  floodArrivals(Object.values(entities).flatMap((a) => (a ? [a] : []))),
);

/**
 * Runs the ISA-18.2 flood detector (shared/alerts/flood.ts) over the arrival times the
 * store holds, on every arrival and again as the window slides.
 */
export function useFloodWatch(): void {
  const dispatch = useAppDispatch();
  const arrivals = useAppSelector(selectArrivals);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const check = () => {
      const now = Date.now();
      const state = floodState(arrivals, now);
      dispatch(floodChecked({ flood: state.flood, ratePer10Min: state.ratePer10Min }));
      const next =
        state.windowEndsAt === null ? RECHECK_MS : Math.min(RECHECK_MS, Math.max(1_000, state.windowEndsAt - now + 50));
      timer = setTimeout(check, next);
    };
    check();
    return () => {
      if (timer) clearTimeout(timer);
    };
  }, [dispatch, arrivals]);
}

/** The flood banner: how fast alerts arrive, and the way out of (or back to) flood view. */
export function FloodBanner() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const flood = useAppSelector(selectFlood);
  const layout = useAppSelector(selectQueueLayout);
  if (!flood.active) return null;
  const leaveTo: QueueLayout = flood.layoutBefore && flood.layoutBefore !== 'flood' ? flood.layoutBefore : 'list';
  return (
    <div className="wf-flood" role="alert" aria-label={t('queue.flood.label')}>
      <span className="wf-flood__title">{t('queue.flood.title')}</span>
      <span className="wf-flood__rate">{t('queue.flood.rate', { count: flood.ratePer10Min })}</span>
      {layout === 'flood' ? (
        <button type="button" className="wf-toggle wf-toggle--segment" onClick={() => dispatch(layoutChosen(leaveTo))}>
          {t('queue.flood.leave')}
        </button>
      ) : (
        <button type="button" className="wf-toggle wf-toggle--segment" onClick={() => dispatch(layoutChosen('flood'))}>
          {t('queue.flood.enter')}
        </button>
      )}
    </div>
  );
}
