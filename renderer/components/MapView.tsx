import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AssetKinds } from '../../shared/domain/asset';
import { CapSeverity } from '../../shared/domain/cap';
import { loadBasemap } from '../map/basemap';
import { BasemapControl } from './BasemapControl';
import { PopoutButton } from '../popout/PopoutButton';
import { assetColour, severityColour } from '../map/styles';
import { WatchMap, type MapView as MapViewBounds } from '../map/watchMap';
import { selectAlertEntities, selectMappableAlerts, selectOpenedAlert } from '../state/alerts';
import { selectAssetCountsByKind, selectAssetEntities } from '../state/assets';
import { useAppDispatch, useAppSelector, useAppStore } from '../state/hooks';
import { alertSelected, selectSelection } from '../state/ui';
import { useUnitsOnMap } from '../units/useUnitsOnMap';
import { UnitLegendGroup } from '../units/UnitLegendGroup';
import { assetPanelOpened, selectAssetStates } from '../state/telemetry';
import { isMonitoredKind } from '../telemetry/assetState';
import { TelemetryLegendGroup } from '../telemetry/TelemetryLegendGroup';

function Legend() {
  const { t } = useTranslation();
  const counts = useAppSelector(selectAssetCountsByKind);
  const kinds = AssetKinds.filter((k) => (counts[k] ?? 0) > 0);
  return (
    <aside className="wf-legend" aria-label={t('map.legend')}>
      <div className="wf-legend__group">
        <span className="wf-legend__title">{t('map.alerts')}</span>
        {CapSeverity.options.map((s) => (
          <span key={s} className="wf-legend__item">
            <span
              className="wf-legend__swatch wf-legend__swatch--alert"
              style={{ background: severityColour[s] }}
              aria-hidden="true"
            />
            {t(`cap.severity.${s}`)}
          </span>
        ))}
      </div>
      {kinds.length > 0 && (
        <div className="wf-legend__group">
          <span className="wf-legend__title">{t('map.assets')}</span>
          {kinds.map((k) => (
            <span key={k} className="wf-legend__item">
              <span className="wf-legend__swatch" style={{ background: assetColour[k] }} aria-hidden="true" />
              {t(`map.assetKind.${k}`)}
            </span>
          ))}
        </div>
      )}
      <TelemetryLegendGroup />
      <UnitLegendGroup />
    </aside>
  );
}

/**
 * The city map. Leaflet lives in WatchMap; this component only feeds it from the store
 * and turns its clicks into selections.
 */
export function MapView() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const store = useAppStore();
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<WatchMap | null>(null);
  const [basemapMissing, setBasemapMissing] = useState(false);
  const [view, setView] = useState<MapViewBounds | null>(null);
  // Leaflet's callbacks read the current translator, not the one from the first render.
  const tRef = useRef(t);
  useEffect(() => {
    tRef.current = t;
  }, [t]);

  const assets = useAppSelector(selectAssetEntities);
  const assetStates = useAppSelector(selectAssetStates);
  const alerts = useAppSelector(selectMappableAlerts);
  const opened = useAppSelector(selectOpenedAlert);
  const { selectedAlertId, selectionOrigin, selectionSerial } = useAppSelector(selectSelection);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const watchMap = new WatchMap(container, {
      onAlertClick: (id) => dispatch(alertSelected({ id, origin: 'map' })),
      // A monitored asset (bridge, tunnel, pipeline, river gauge) opens its telemetry.
      onAssetClick: (id) => {
        const asset = store.getState().assets.entities[id];
        if (asset && isMonitoredKind(asset.kind)) dispatch(assetPanelOpened(id));
      },
      describeAlert: (a) =>
        a.status === 'Actual'
          ? tRef.current('map.alertTooltip', { severity: tRef.current(`cap.severity.${a.severity}`), event: a.event })
          : tRef.current('map.alertTooltipNonActual', {
              status: tRef.current(`cap.statusBadge.${a.status}`),
              severity: tRef.current(`cap.severity.${a.severity}`),
              event: a.event,
            }),
      describeAsset: (a) => {
        const text = tRef.current('map.assetTooltip', {
          name: a.name,
          kind: tRef.current(`map.assetKind.${a.kind}`),
          district: a.district,
          criticality: a.criticality,
        });
        if (!isMonitoredKind(a.kind)) return text;
        const state = selectAssetStates(store.getState())[a.id];
        return tRef.current('telemetry.map.tooltip', {
          asset: text,
          state: tRef.current(`telemetry.state.${state ?? 'unknown'}`),
        });
      },
      zoomTitles: () => ({ zoomIn: tRef.current('map.zoomIn'), zoomOut: tRef.current('map.zoomOut') }),
      onViewChange: setView,
      describeCluster: (kind, count, worst) =>
        kind === 'assets' && worst
          ? tRef.current('telemetry.map.cluster', { count, state: tRef.current(`telemetry.state.${worst}`) })
          : tRef.current(kind === 'alerts' ? 'map.alertCluster' : 'map.assetCluster', { count }),
    });
    let cancelled = false;
    // Hand the map to the data effects only once the basemap has set the view: a view change
    // after 100 000 markers are in re-projects every one of them.
    loadBasemap()
      .then((basemap) => {
        if (cancelled) return;
        if (basemap) watchMap.setBasemap(basemap);
        else setBasemapMissing(true);
      })
      .catch(() => {
        if (!cancelled) setBasemapMissing(true);
      })
      .finally(() => {
        if (cancelled) return;
        setMap(watchMap);
        setView(watchMap.view());
      });
    const resize = new ResizeObserver(() => watchMap.invalidateSize());
    resize.observe(container);
    return () => {
      cancelled = true;
      resize.disconnect();
      watchMap.destroy();
      setMap(null);
    };
  }, [dispatch, store]);

  useUnitsOnMap(map);
  useEffect(() => map?.setZoomTitles(), [map, i18n.language]);
  useEffect(() => map?.setAssets(assets), [map, assets]);
  useEffect(() => map?.setAssetStates(assetStates), [map, assetStates]);
  useEffect(() => map?.setAlerts(alerts), [map, alerts]);
  useEffect(() => {
    map?.select(selectedAlertId, opened?.state === 'loaded' ? opened.detail : null);
  }, [map, selectedAlertId, opened]);

  // A selection made outside the map (queue, keyboard) flies the map to it.
  useEffect(() => {
    if (!map || !selectedAlertId || selectionOrigin === 'map') return;
    const alert = selectAlertEntities(store.getState())[selectedAlertId];
    if (alert) map.focus(alert);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, selectionSerial]);

  // Alerts the officer cannot see from here (a distant epicentre, a panned-away map).
  const outside = view
    ? alerts.reduce((n, a) => {
        const c = a.center;
        return c && (c.lat < view.south || c.lat > view.north || c.lon < view.west || c.lon > view.east) ? n + 1 : n;
      }, 0)
    : 0;

  return (
    <section className="wf-map" role="region" aria-label={t('map.label')}>
      <div ref={containerRef} className="wf-map__canvas" />
      <div className="wf-map__notices">
        {basemapMissing && <p className="wf-map__notice">{t('map.basemapMissing')}</p>}
        {outside > 0 && (
          <button type="button" className="wf-map__notice wf-map__notice--button" onClick={() => map?.showAllAlerts()}>
            {t('map.outside', { count: outside })}
          </button>
        )}
      </div>
      <Legend />
      <BasemapControl map={map} />
      <div className="wf-map__popout">
        <PopoutButton panel="map" />
      </div>
    </section>
  );
}
