import type { TFunction } from 'i18next';
import type { IncidentStatus } from '../../shared/domain/incident';

type IncidentLine = {
  readonly number: string | null;
  readonly title: string;
  readonly status: IncidentStatus;
  readonly priority: number;
};

/** Incidents still open at sign-out, as the handover lists them: "INC-0003 Harbour bridge (active, P2)". */
export function openIncidentLabels(incidents: readonly IncidentLine[], t: TFunction): string[] {
  return incidents
    .filter((i) => i.status !== 'closed')
    .sort((a, b) => a.priority - b.priority || (a.number ?? '').localeCompare(b.number ?? ''))
    .map((i) =>
      t('session.handover.incidentLine', {
        number: i.number ?? t('session.handover.unnumbered'),
        title: i.title,
        status: t(`session.handover.status.${i.status}`),
        priority: i.priority,
      }),
    );
}

/**
 * The handover note's first draft, from what this console knows: the open incidents, the
 * actions still waiting for the hub, and a heading for things to watch that only the
 * officer can fill in. The officer edits it before signing out.
 */
export function handoverDraft(labels: readonly string[], pendingActions: number, t: TFunction): string {
  const lines = [t('session.handover.openHeading')];
  if (labels.length === 0) lines.push(`- ${t('session.handover.noOpen')}`);
  for (const l of labels) lines.push(`- ${l}`);
  lines.push(
    '',
    t('session.handover.pendingLine', { count: pendingActions }),
    '',
    t('session.handover.watchHeading'),
    '- ',
  );
  return lines.join('\n');
}
