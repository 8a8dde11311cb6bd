import type { TFunction } from 'i18next';
import type { NotifyArgs } from '../../shared/api';
import type { NotificationPlan } from './decide';

/** A notification plan in the officer's language, as the shell's `notify` takes it. */
export function notificationText(plan: NotificationPlan, t: TFunction): NotifyArgs {
  if (plan.kind === 'single') {
    const a = plan.alert;
    return {
      alertId: a.id,
      title: clip(t('desktop2.notify.singleTitle', { severity: t(`cap.severity.${a.severity}`), event: a.event }), 200),
      body: clip(a.headline || a.event, 500),
      severity: a.severity,
    };
  }
  const w = plan.worst;
  return {
    alertId: w.id,
    title: clip(t('desktop2.notify.summaryTitle', { count: plan.count }), 200),
    body: clip(
      t('desktop2.notify.summaryBody', {
        severity: t(`cap.severity.${w.severity}`),
        headline: w.headline || w.event,
      }),
      500,
    ),
    severity: w.severity,
  };
}

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
