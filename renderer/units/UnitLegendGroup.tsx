import { useTranslation } from 'react-i18next';
import { UnitStatuses } from '../../shared/domain/unit';
import { unitStatusColour } from '../map/unitLayer';

/** The map legend's unit line: ringed dots by status (the map draws units that way). */
export function UnitLegendGroup() {
  const { t } = useTranslation();
  return (
    <div className="wf-legend__group">
      <span className="wf-legend__title">{t('boards.units')}</span>
      {UnitStatuses.map((s) => (
        <span key={s} className="wf-legend__item">
          <span
            className="wf-legend__swatch wf-legend__swatch--unit"
            style={{ borderColor: unitStatusColour[s] }}
            aria-hidden="true"
          />
          {t(`response.unitStatus.${s}`)}
        </span>
      ))}
    </div>
  );
}
