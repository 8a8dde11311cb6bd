import { useTranslation } from 'react-i18next';
import type { CapSeverity, CapStatus } from '../../shared/domain/cap';

/** Severity as colour AND word: never colour alone. */
export function SeverityBadge({ severity }: { severity: CapSeverity }) {
  const { t } = useTranslation();
  return <span className={`wf-sev wf-sev-${severity}`}>{t(`cap.severity.${severity}`)}</span>;
}

/** Exercise, Test, System and Draft messages carry a striped badge so they never pass for Actual. */
export function StatusBadge({ status }: { status: CapStatus }) {
  const { t } = useTranslation();
  if (status === 'Actual') return <span className="wf-status wf-status--actual">{t('cap.statusBadge.Actual')}</span>;
  return <span className={`wf-status wf-status--striped wf-status--${status}`}>{t(`cap.statusBadge.${status}`)}</span>;
}
