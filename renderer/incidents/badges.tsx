import { useTranslation } from 'react-i18next';
import type { IncidentStatus } from '../../shared/domain/incident';
import type { UnitStatus } from '../../shared/domain/unit';

/** Priority as colour AND word (P1 … P4). */
export function PriorityBadge({ priority }: { priority: number }) {
  const { t } = useTranslation();
  return (
    <span className={`wf-prio wf-prio--${priority}`} title={t(`response.priority.${priority}`)}>
      {t('response.priorityShort', { priority })}
    </span>
  );
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  const { t } = useTranslation();
  return <span className={`wf-istatus wf-istatus--${status}`}>{t(`response.incidentStatus.${status}`)}</span>;
}

export function UnitStatusBadge({ status }: { status: UnitStatus }) {
  const { t } = useTranslation();
  return <span className={`wf-ustatus wf-ustatus--${status}`}>{t(`response.unitStatus.${status}`)}</span>;
}

/** Shown while this console's action waits for the hub's confirmation. */
export function PendingMark() {
  const { t } = useTranslation();
  return <span className="wf-pending">{t('response.pending')}</span>;
}
