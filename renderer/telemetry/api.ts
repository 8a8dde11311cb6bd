import type { ConsoleApi } from '../../shared/api';
import type { Result } from '../../shared/errors';
import type { Sparklines, TelemetrySeries, TelemetrySeriesArgs, TelemetryStatusPush } from '../../shared/telemetry/api';

/**
 * The telemetry part of the bridge the renderer uses (shared/telemetry/api.ts): two
 * reads and one push. The feeds take this narrow interface, so tests hand them a
 * scripted one; the ConsoleApi satisfies it (checked here by the compiler).
 */
export interface TelemetryApi {
  getTelemetrySeries(args: TelemetrySeriesArgs): Promise<Result<TelemetrySeries>>;
  getSparklines(args: { assetIds: string[] }): Promise<Result<Sparklines>>;
  onTelemetryStatus(listener: (push: TelemetryStatusPush) => void): () => void;
}

/**
 * The bridge's telemetry methods; null where the page has no bridge (the app shows that
 * already) or a partial one (scripted bridges in tests that predate issue 9), so the
 * rest of the console runs on without telemetry instead of throwing at start.
 */
export function telemetryApiOf(api: ConsoleApi | null): TelemetryApi | null {
  const a = api as Partial<TelemetryApi> | null;
  return a &&
    typeof a.getTelemetrySeries === 'function' &&
    typeof a.getSparklines === 'function' &&
    typeof a.onTelemetryStatus === 'function'
    ? (a as TelemetryApi)
    : null;
}
