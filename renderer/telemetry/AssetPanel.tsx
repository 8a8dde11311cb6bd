import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../api';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { selectAssetById } from '../state/assets';
import {
  assetPanelClosed,
  ChartRanges,
  chartRangeChosen,
  selectAssetTelemetryState,
  selectChartRange,
  selectPanelAssetId,
} from '../state/telemetry';
import { QUEUE_LIST_ID } from '../components/shortcuts';
import { telemetryApiOf } from './api';
import { MONITORED_LIST_ID } from './MonitoredAssets';
import { sensorsOfKind } from './assetState';
import { SensorCard } from './SensorCard';
import { AssetStateBadge } from './StateBadge';
import './telemetry.css';

const telemetryApi = telemetryApiOf(consoleApi);

/** Where Escape returns when what had focus before the panel opened is gone (a map marker has none). */
export const ASSET_PANEL_ID = 'wf-asset-panel';

/**
 * The open asset's telemetry (issue 9): one chart per sensor, the last hour raw or a day
 * or a week of minute buckets, live. Takes the detail column while open; Escape or the
 * close button gives it back and returns focus where the officer was.
 */
export function AssetPanel() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const assetId = useAppSelector(selectPanelAssetId);
  const range = useAppSelector(selectChartRange);
  const asset = useAppSelector((s) => (assetId ? selectAssetById(s, assetId) : undefined));
  const worst = useAppSelector((s) => (assetId ? selectAssetTelemetryState(s, assetId) : undefined));
  const titleRef = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  // Each opened asset takes focus (so Escape works at once); remember where the officer was.
  useEffect(() => {
    if (!assetId) return;
    const active = document.activeElement;
    // (the body is nowhere: a click on the map or on text leaves focus there; the lists are the way back then)
    if (active instanceof HTMLElement && active !== document.body && !active.closest(`#${ASSET_PANEL_ID}`))
      returnTo.current = active;
    titleRef.current?.focus({ preventScroll: true });
  }, [assetId]);

  if (!assetId) return null;

  const close = () => {
    dispatch(assetPanelClosed());
    const back = returnTo.current;
    returnTo.current = null;
    // What had focus may be gone (the alert detail this panel replaced): the list the officer works from then.
    (back?.isConnected
      ? back
      : (document.getElementById(MONITORED_LIST_ID) ?? document.getElementById(QUEUE_LIST_ID))
    )?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    e.stopPropagation();
    close();
  };
  const sensors = asset ? sensorsOfKind(asset.kind) : [];

  return (
    <section
      id={ASSET_PANEL_ID}
      className="wf-panel wf-detail-panel wf-asset-panel"
      role="region"
      aria-label={t('telemetry.panel.label')}
      data-asset-id={assetId}
      onKeyDown={onKeyDown}
    >
      <h2 className="wf-panel__title">{t('telemetry.panel.label')}</h2>
      <div className="wf-detail-panel__scroll">
        <header className="wf-asset-panel__head">
          <div className="wf-asset-panel__titlebar">
            <h3 ref={titleRef} tabIndex={-1} className="wf-asset-panel__name">
              {asset?.name ?? assetId}
            </h3>
            <button
              type="button"
              className="wf-button wf-button--small wf-asset-panel__close"
              aria-label={t('telemetry.panel.close')}
              title={t('telemetry.panel.closeKey')}
              onClick={close}
            >
              ✕ <kbd className="wf-kbd">{t('telemetry.panel.closeKey')}</kbd>
            </button>
          </div>
          {asset && (
            <p className="wf-asset-panel__meta">
              <span className="wf-mono">{asset.id}</span> · {t(`map.assetKind.${asset.kind}`)} · {asset.district}
            </p>
          )}
          <AssetStateBadge state={worst} />
          <div className="wf-asset-panel__ranges" role="group" aria-label={t('telemetry.panel.range')}>
            {ChartRanges.map((r) => (
              <button
                key={r}
                type="button"
                className={`wf-button wf-button--small ${r === range ? 'wf-button--on' : ''}`}
                aria-pressed={r === range}
                title={t(`telemetry.panel.rangeSpan.${r}`)}
                onClick={() => dispatch(chartRangeChosen(r))}
              >
                {t(`telemetry.panel.ranges.${r}`)}
              </button>
            ))}
          </div>
        </header>
        {!telemetryApi ? (
          <p className="wf-error wf-asset-panel__note" role="alert">
            {t('telemetry.panel.unavailable')}
          </p>
        ) : sensors.length === 0 ? (
          <p className="wf-muted wf-asset-panel__note">{t('telemetry.panel.notMonitored')}</p>
        ) : (
          sensors.map((sensor) => (
            <SensorCard
              key={`${assetId}/${sensor}/${range}`}
              api={telemetryApi}
              assetId={assetId}
              sensor={sensor}
              range={range}
            />
          ))
        )}
      </div>
    </section>
  );
}
