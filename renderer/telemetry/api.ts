import type { ConsoleApi } from '../../shared/api';
import type { Result } from '../../shared/errors';
import type { Sparklines, TelemetrySeries, TelemetrySeriesArgs, TelemetryStatusPush } from '../../shared/telemetry/api';

/**
 * The telemetry part of the bridge the renderer uses (shared/telemetry/api.ts): two
 * reads and one push. Components take this narrow interface, so tests hand them a
 * scripted one, and a bridge without the channels (an older console host) shows
 * "telemetry unavailable" instead of throwing.
 */
export interface TelemetryApi {
  getTelemetrySeries(args: TelemetrySeriesArgs): Promise<Result<TelemetrySeries>>;
  getSparklines(args: { assetIds: string[] }): Promise<Result<Sparklines>>;
  onTelemetryStatus(listener: (push: TelemetryStatusPush) => void): () => void;
}

export function telemetryApiOf(api: ConsoleApi | null): TelemetryApi | null {
  const a = api as Partial<TelemetryApi> | null;
  if (!a) return null;
  return typeof a.getTelemetrySeries === 'function' &&
    typeof a.getSparklines === 'function' &&
    typeof a.onTelemetryStatus === 'function'
    ? (a as TelemetryApi)
    : null;
}
