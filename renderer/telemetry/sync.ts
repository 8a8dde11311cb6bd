import type { AppDispatch } from '../state/store';
import { telemetryStatusReceived } from '../state/telemetry';
import type { TelemetryApi } from './api';

/**
 * Merge the worker's telemetry pushes into the store. The pushes carry only what
 * changed (at most one a second); the slice keeps unchanged rows' references, so a
 * push that moved one sensor re-renders one chart and one row.
 */
export function startTelemetrySync(api: TelemetryApi | null, dispatch: AppDispatch): () => void {
  if (!api) return () => {};
  return api.onTelemetryStatus((push) => dispatch(telemetryStatusReceived(push)));
}
