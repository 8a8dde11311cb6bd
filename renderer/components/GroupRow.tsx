import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { isActual, selectAlertEntities } from '../state/alerts';
import { useAppSelector } from '../state/hooks';
import { severityBreakdown } from '../state/queueView';
import { useFormats } from '../format';
import { SeverityBadge, StatusBadge } from './badges';

/** DOM id of a group entry (group keys carry spaces and bars). */
export const groupRowDomId = (key: string): string => `wf-group-${encodeURIComponent(key)}`;

interface GroupRowProps {
  groupKey: string;
  /** members in queue order: the most severe first */
  ids: readonly string[];
  expanded: boolean;
  index: number;
  setSize: number;
  selected: boolean;
  active: boolean;
  top: number;
  height: number;
  onOpen(key: string, topId: string | undefined, expanded: boolean): void;
}

/**
 * One queue entry for a group of alerts (a correlation group, or in a flood the same
 * event over the same area): its most severe member's headline, how many and how severe
 * the members are, and how many still need an officer. Opening it lists the members under it.
 */
export const GroupRow = memo(function GroupRow({
  groupKey,
  ids,
  expanded,
  index,
  setSize,
  selected,
  active,
  top,
  height,
  onOpen,
}: GroupRowProps) {
  const { t } = useTranslation();
  const f = useFormats();
  const entities = useAppSelector(selectAlertEntities);
  const topAlert = entities[ids[0] ?? ''];
  if (!topAlert) return null;
  const breakdown = severityBreakdown(ids, entities);
  let open = 0;
  let latest = '';
  for (const id of ids) {
    const a = entities[id];
    if (!a) continue;
    if (!a.ack && !a.pendingAck) open++;
    if (a.receivedAt > latest) latest = a.receivedAt;
  }
  const actual = isActual(topAlert.status);
  const classes = [
    'wf-row',
    'wf-row--group',
    `wf-row--sev-${topAlert.severity}`,
    actual ? '' : 'wf-row--nonactual',
    selected ? 'wf-row--selected' : '',
    active ? 'wf-row--active' : '',
  ].join(' ');

  return (
    <div
      id={groupRowDomId(groupKey)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      aria-label={t('queue.group.label', { count: ids.length, event: topAlert.event, headline: topAlert.headline })}
      className={classes}
      style={{ height, transform: `translateY(${top}px)` }}
      data-group-key={groupKey}
      data-alert-id={topAlert.id}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onOpen(groupKey, ids[0], expanded)}
    >
      <div className="wf-row__line1">
        <span className="wf-group__toggle" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        <SeverityBadge severity={topAlert.severity} />
        {!actual && <StatusBadge status={topAlert.status} />}
        <span className="wf-row__event">{topAlert.event}</span>
        <span className="wf-group__count">{t('queue.group.count', { count: ids.length })}</span>
        {open > 0 && <span className="wf-state wf-state--new">{t('queue.group.open', { count: open })}</span>}
      </div>
      <div className="wf-row__headline">{topAlert.headline}</div>
      <div className="wf-row__meta">
        <span className="wf-group__breakdown">
          {breakdown
            .map((b) => t('queue.group.severityCount', { severity: t(`cap.severity.${b.severity}`), count: b.count }))
            .join(' · ')}
        </span>
        <time dateTime={latest}>{t('queue.group.latest', { time: f.time(latest) })}</time>
      </div>
    </div>
  );
});
