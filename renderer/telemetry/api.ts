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

/** null where the page has no bridge (shown as an error by the app already). */
export const telemetryApiOf = (api: ConsoleApi | null): TelemetryApi | null => api;
