import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SensorKind } from '../../shared/telemetry/sensors';
import { useAppStore } from '../state/hooks';
import type { ChartRange } from '../state/telemetry';
import type { TelemetryApi } from './api';
import { SensorSeriesFeed, type SeriesView } from './seriesFeed';

/**
 * One sensor's live series for a chart. The caller keys its component by asset,
 * sensor and range, so one feed serves one mounted chart.
 */
export function useSensorSeries(api: TelemetryApi, assetId: string, sensor: SensorKind, range: ChartRange): SeriesView {
  const store = useAppStore();
  const [feed] = useState(() => new SensorSeriesFeed(api, store, assetId, sensor, range));
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);
  return useSyncExternalStore(feed.subscribe, feed.getSnapshot);
}
