import { useTranslation } from 'react-i18next';
import { IncidentType, IncidentTypes } from '../../shared/domain/incident';

/** The incident type and priority pickers, shared by the new-incident and edit forms. */
export function TypeAndPriority({
  type,
  priority,
  onType,
  onPriority,
}: {
  type: IncidentType;
  priority: number;
  onType: (type: IncidentType) => void;
  onPriority: (priority: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="wf-form__row">
      <label className="wf-form__field">
        <span>{t('newIncident.type')}</span>
        <select
          className="wf-select"
          value={type}
          onChange={(e) => {
            const parsed = IncidentType.safeParse(e.target.value);
            if (parsed.success) onType(parsed.data);
          }}
        >
          {IncidentTypes.map((k) => (
            <option key={k} value={k}>
              {t(`response.incidentType.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="wf-form__field">
        <span>{t('newIncident.priority')}</span>
        <select className="wf-select" value={priority} onChange={(e) => onPriority(Number(e.target.value))}>
          {[1, 2, 3, 4].map((p) => (
            <option key={p} value={p}>
              {t(`response.priority.${p}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
