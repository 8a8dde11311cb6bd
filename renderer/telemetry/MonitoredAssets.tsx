import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { assetStateColour } from '../map/styles';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { selectAssetById } from '../state/assets';
import {
  assetPanelOpened,
  selectAssetTelemetryState,
  selectMonitoredAssetIds,
  selectPanelAssetId,
} from '../state/telemetry';
import { Sparkline } from './Sparkline';
import type { Spark } from './sparklineCache';
import { AssetStateBadge } from './StateBadge';
import { useSparklines } from './useSparklines';
import './telemetry.css';
import { listMoveTarget } from '../components/listKeys';

const ROW_HEIGHT = 54;
const PAGE = 8;
export const MONITORED_LIST_ID = 'wf-monitored-list';
const rowDomId = (assetId: string) => `wf-monitored-${assetId}`;

const MonitoredRow = memo(function MonitoredRow({
  id,
  index,
  setSize,
  top,
  active,
  open,
  spark,
  onOpen,
}: {
  id: string;
  index: number;
  setSize: number;
  top: number;
  active: boolean;
  open: boolean;
  spark: Spark | null | undefined;
  onOpen(id: string): void;
}) {
  const { t } = useTranslation();
  const asset = useAppSelector((s) => selectAssetById(s, id));
  const state = useAppSelector((s) => selectAssetTelemetryState(s, id));
  if (!asset) return null;
  const sensorName = spark ? t(`telemetry.sensor.${spark.sensor}`) : '';
  return (
    <div
      id={rowDomId(id)}
      role="option"
      aria-selected={open}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-asset-id={id}
      data-telemetry-state={state ?? 'unknown'}
      className={`wf-monitored__row ${active ? 'wf-monitored__row--active' : ''} ${open ? 'wf-monitored__row--open' : ''}`}
      style={{ top, height: ROW_HEIGHT }}
      onClick={() => onOpen(id)}
      title={t('telemetry.monitored.open', { name: asset.name })}
    >
      <span className={`wf-monitored__stripe wf-monitored__stripe--${state ?? 'unknown'}`} aria-hidden="true" />
      <span className="wf-monitored__name">{asset.name}</span>
      <span className="wf-monitored__meta">
        <AssetStateBadge state={state} /> {t(`map.assetKind.${asset.kind}`)} · {asset.district}
      </span>
      <span className="wf-monitored__spark">
        {spark && spark.values.length > 0 ? (
          <>
            <Sparkline
              values={spark.values}
              colour={state && state !== 'normal' ? assetStateColour[state] : '#7cc4ff'}
              label={t('telemetry.monitored.sparkline', { sensor: sensorName })}
            />
            <span className="wf-spark__caption">
              {sensorName} {spark.unit}
            </span>
          </>
        ) : spark === null || spark?.values.length === 0 ? (
          <span className="wf-spark__caption">{t('telemetry.monitored.noSparkline')}</span>
        ) : null}
      </span>
    </div>
  );
});

/**
 * Bridges, tunnels, pipelines and river gauges, worst state first (a board of its own,
 * Alt+4): a virtualised listbox whose visible rows carry a sparkline of the last hour,
 * fetched in one batch per scroll stop. Enter or a click opens the asset's charts.
 */
export function MonitoredAssets() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const ids = useAppSelector(selectMonitoredAssetIds);
  const openId = useAppSelector(selectPanelAssetId);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this build; the virtualizer re-renders the list itself
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    getItemKey: (index) => ids[index] ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const sparkOf = useSparklines(items.flatMap((i) => (ids[i.index] === undefined ? [] : [ids[i.index]!])));

  const open = useCallback(
    (id: string) => {
      setCursorId(id);
      dispatch(assetPanelOpened(id));
    },
    [dispatch],
  );
  const cursorIndex = cursorId === null ? -1 : ids.indexOf(cursorId);
  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(ids.length - 1, index));
    const id = ids[clamped];
    if (id === undefined) return;
    setCursorId(id);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const from = cursorIndex >= 0 ? cursorIndex : Math.max(0, openId ? ids.indexOf(openId) : -1);
    const target = listMoveTarget(e.key, from, cursorIndex >= 0, ids.length, PAGE);
    if (target !== undefined) {
      moveTo(target);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'Enter': {
        const id = ids[from];
        if (id !== undefined) open(id);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <section className="wf-panel wf-monitored" aria-labelledby="wf-monitored-title">
      <h2 id="wf-monitored-title" className="wf-panel__title">
        {t('telemetry.monitored.title')}
      </h2>
      <p className="wf-monitored__count">{t('telemetry.monitored.count', { count: ids.length })}</p>
      <div
        id={MONITORED_LIST_ID}
        ref={scrollRef}
        className="wf-monitored__list"
        role="listbox"
        aria-label={t('telemetry.monitored.label')}
        aria-activedescendant={cursorIndex >= 0 && cursorId ? rowDomId(cursorId) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const id = ids[item.index];
            if (id === undefined) return null;
            return (
              <MonitoredRow
                key={id}
                id={id}
                index={item.index}
                setSize={ids.length}
                top={item.start}
                active={id === cursorId}
                open={id === openId}
                spark={sparkOf(id)}
                onOpen={open}
              />
            );
          })}
        </div>
      </div>
      {ids.length === 0 && <p className="wf-empty">{t('telemetry.monitored.empty')}</p>}
      <p className="wf-keys" aria-hidden="true">
        {t('telemetry.monitored.keys')}
      </p>
    </section>
  );
}
