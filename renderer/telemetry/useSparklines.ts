import { useEffect, useState, useSyncExternalStore } from 'react';
import { consoleApi } from '../api';
import { telemetryApiOf } from './api';
import { SparklineCache, type Spark } from './sparklineCache';

const telemetryApi = telemetryApiOf(consoleApi);
const noSubscribe = () => () => {};
const zero = () => 0;

/**
 * Sparklines for the asset rows a list shows now (one batched request per change of
 * the visible rows, refreshed while they stay): `get(id)` is undefined until asked,
 * null when the asset had no readings in the last hour.
 */
export function useSparklines(visibleIds: readonly string[]): (assetId: string) => Spark | null | undefined {
  const [cache] = useState(() => (telemetryApi ? new SparklineCache(telemetryApi) : null));
  useEffect(() => {
    cache?.start();
    return () => cache?.stop();
  }, [cache]);
  useSyncExternalStore(cache?.subscribe ?? noSubscribe, cache?.getVersion ?? zero);
  const key = visibleIds.join('|');
  useEffect(() => {
    if (cache && key) cache.show(key.split('|'));
  }, [cache, key]);
  return (assetId) => cache?.get(assetId);
}
