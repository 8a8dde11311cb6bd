import { useTranslation } from 'react-i18next';
import { useFormats } from '../format';
import { useAppSelector } from '../state/hooks';

/**
 * The integrity alarm (issue 6): the hub's hash chain broke in what this console received.
 * It cannot be dismissed: it stays while the replica holds the break (the status says so
 * until the replica is rebuilt from a hub whose chain is whole).
 */
export function IntegrityBanner() {
  const { t } = useTranslation();
  const f = useFormats();
  const alarm = useAppSelector((s) => s.connection.status?.integrity ?? null);
  if (!alarm) return null;
  return (
    <div className="wf-banner wf-banner--error wf-integrity" role="alert" aria-label={t('export.integrity.label')}>
      <strong>{t('export.integrity.title')}</strong>{' '}
      {t('export.integrity.body', {
        seq: alarm.seq,
        reason: t(`export.integrity.reasons.${alarm.reason}`),
        at: f.dateTime(alarm.detectedAt),
      })}
    </div>
  );
}
