import { useTranslation } from 'react-i18next';
import type { AssetTelemetryState, TelemetryLevel } from '../../shared/telemetry/api';

/** An asset's worst telemetry state as colour AND word (never colour alone). */
export function AssetStateBadge({ state }: { state: AssetTelemetryState | undefined }) {
  const { t } = useTranslation();
  return (
    <span className={`wf-tstate wf-tstate--${state ?? 'unknown'}`} data-telemetry-state={state ?? 'unknown'}>
      {t(`telemetry.state.${state ?? 'unknown'}`)}
    </span>
  );
}

/** One sensor's level, same colours as the asset states. */
export function LevelBadge({ level }: { level: TelemetryLevel }) {
  const { t } = useTranslation();
  return (
    <span className={`wf-tstate wf-tstate--${level}`} data-level={level}>
      {t(`telemetry.level.${level}`)}
    </span>
  );
}
