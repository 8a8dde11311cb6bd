import { useTranslation } from 'react-i18next';
import type { AssetKind } from '../../shared/domain/asset';
import { assetStateColour } from '../map/styles';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { assetPanelOpened, selectAssetTelemetryState } from '../state/telemetry';
import { isMonitoredKind } from './assetState';
import { Sparkline } from './Sparkline';
import type { Spark } from './sparklineCache';
import { AssetStateBadge } from './StateBadge';

/**
 * An asset list's telemetry cell (the open alert's affected assets): the state as a word,
 * the last hour's sparkline, and a button that opens the asset's charts. Empty for the
 * kinds nobody monitors.
 */
export function AssetTelemetryCell({
  assetId,
  kind,
  name,
  spark,
}: {
  assetId: string;
  /** an affected asset's kind comes as a string from the replica */
  kind: AssetKind | string;
  name: string;
  spark: Spark | null | undefined;
}) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const state = useAppSelector((s) => selectAssetTelemetryState(s, assetId));
  if (!isMonitoredKind(kind)) return null;
  return (
    <button
      type="button"
      className="wf-telemetry-cell"
      data-telemetry-state={state ?? 'unknown'}
      title={t('telemetry.monitored.open', { name })}
      aria-label={t('telemetry.monitored.open', { name })}
      onClick={() => dispatch(assetPanelOpened(assetId))}
    >
      <AssetStateBadge state={state} />
      {spark && spark.values.length > 0 && (
        <Sparkline
          values={spark.values}
          width={56}
          height={16}
          colour={state && state !== 'normal' ? assetStateColour[state] : '#7cc4ff'}
          label={t('telemetry.monitored.sparkline', { sensor: t(`telemetry.sensor.${spark.sensor}`) })}
        />
      )}
    </button>
  );
}
