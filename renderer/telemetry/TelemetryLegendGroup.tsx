import { useTranslation } from 'react-i18next';
import { AssetTelemetryState } from '../../shared/telemetry/api';
import { assetStateColour } from '../map/styles';
import { useAppSelector } from '../state/hooks';
import { selectAssetStateCounts } from '../state/telemetry';

/**
 * The map legend's telemetry group: each state's colour, word and how many monitored
 * assets stand in it now (the count is a signal of its own, not only the colour).
 */
export function TelemetryLegendGroup() {
  const { t } = useTranslation();
  const counts = useAppSelector(selectAssetStateCounts);
  const total = AssetTelemetryState.options.reduce((n, s) => n + counts[s], 0);
  if (total === 0) return null;
  return (
    <div className="wf-legend__group" role="group" aria-label={t('telemetry.map.legend')}>
      <span className="wf-legend__title">{t('telemetry.map.legend')}</span>
      {AssetTelemetryState.options.map((s) => (
        <span key={s} className="wf-legend__item" data-telemetry-state={s} data-count={counts[s]}>
          <span
            className="wf-legend__swatch wf-legend__swatch--telemetry"
            style={{ background: assetStateColour[s] }}
            aria-hidden="true"
          />
          {t(`telemetry.state.${s}`)} {counts[s]}
        </span>
      ))}
    </div>
  );
}
