import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { UnitLayer } from '../map/unitLayer';
import type { WatchMap } from '../map/watchMap';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { incidentLabel, selectAllIncidents, selectIncidentEntities } from '../state/incidents';
import { selectAllUnits } from '../state/units';
import { areaDrawingFinished, areaVertexAdded, locationPicked } from '../state/workspace';

/**
 * Units on the city map, coloured by status, and the map click that places a new
 * incident. MapView calls this once with its WatchMap.
 */
export function useUnitsOnMap(map: WatchMap | null): void {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const units = useAppSelector(selectAllUnits);
  const incidents = useAppSelector(selectIncidentEntities);
  const picking = useAppSelector((s) => s.workspace.pickingLocation);
  const drawing = useAppSelector((s) => s.workspace.drawingArea !== null);
  const allIncidents = useAppSelector(selectAllIncidents);
  const selectedIncidentId = useAppSelector((s) => (s.workspace.board === 'alerts' ? null : s.incidents.selectedId));
  const layerRef = useRef<UnitLayer | null>(null);
  // Leaflet's tooltips read the current words, not those of the first render.
  const describeRef = useRef<(u: Parameters<ConstructorParameters<typeof UnitLayer>[1]>[0]) => string>(() => '');
  useEffect(() => {
    describeRef.current = (u) => {
      const incident = u.incidentId ? incidents[u.incidentId] : undefined;
      return t('units.mapTooltip', {
        unit: u.id,
        type: t(`response.unitType.${u.type}`),
        status: t(`response.unitStatus.${u.status}`),
        incident: incident ? ` · ${incidentLabel(incident)}` : '',
      });
    };
  }, [t, incidents]);

  useEffect(() => {
    if (!map) return;
    const layer = new UnitLayer(map.overlayHost(), (u) => describeRef.current(u));
    layerRef.current = layer;
    return () => {
      layer.destroy();
      layerRef.current = null;
    };
  }, [map]);

  useEffect(() => layerRef.current?.setUnits(units), [map, units]);
  useEffect(() => layerRef.current?.relabel(), [map, i18n.language, incidents]);
  useEffect(
    () =>
      layerRef.current?.setIncidents(allIncidents, (i) =>
        t('incidents.mapTooltip', {
          incident: incidentLabel(i),
          title: i.title,
          status: t(`response.incidentStatus.${i.status}`),
        }),
      ),
    [map, allIncidents, t],
  );
  // Opening an incident on a board brings its place into view (once per opening).
  useEffect(() => {
    const incident = selectedIncidentId ? incidents[selectedIncidentId] : undefined;
    if (incident) layerRef.current?.focusIncident(incident);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, selectedIncidentId]);

  useEffect(() => {
    if (!map || !picking) return;
    const { map: leaflet } = map.overlayHost();
    const container = leaflet.getContainer();
    container.classList.add('wf-map--picking');
    const onClick = (e: { latlng: { lat: number; lng: number } }) =>
      dispatch(locationPicked({ lat: e.latlng.lat, lon: e.latlng.lng }));
    leaflet.once('click', onClick);
    return () => {
      leaflet.off('click', onClick);
      container.classList.remove('wf-map--picking');
    };
  }, [map, picking, dispatch]);

  // Drawing an area: every click adds a corner, a double-click finishes (Enter: the form's banner).
  useEffect(() => {
    if (!map || !drawing) return;
    const { map: leaflet } = map.overlayHost();
    const container = leaflet.getContainer();
    container.classList.add('wf-map--picking');
    const zoomOnDouble = leaflet.doubleClickZoom.enabled();
    leaflet.doubleClickZoom.disable();
    const onClick = (e: { latlng: { lat: number; lng: number } }) =>
      dispatch(areaVertexAdded({ lat: e.latlng.lat, lon: e.latlng.lng }));
    const onDouble = () => dispatch(areaDrawingFinished());
    leaflet.on('click', onClick);
    leaflet.on('dblclick', onDouble);
    return () => {
      leaflet.off('click', onClick);
      leaflet.off('dblclick', onDouble);
      if (zoomOnDouble) leaflet.doubleClickZoom.enable();
      container.classList.remove('wf-map--picking');
    };
  }, [map, drawing, dispatch]);
}
