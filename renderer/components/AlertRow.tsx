import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { isActual, isClosed, selectAckRequest, selectAlertById, selectCancelledBy } from '../state/alerts';
import { useAppSelector } from '../state/hooks';
import { useFormats } from '../format';
import { SeverityBadge, StatusBadge } from './badges';

/** DOM id of a queue row; alert ids carry commas and colons, so they are encoded. */
export const alertRowDomId = (alertId: string): string => `wf-alert-${encodeURIComponent(alertId)}`;

interface AlertRowProps {
  id: string;
  index: number;
  setSize: number;
  selected: boolean;
  /** marked (Space) to open one incident from several alerts */
  marked?: boolean;
  active: boolean;
  /** position in the virtual list, px */
  top: number;
  height: number;
  /** shown under its open group, indented */
  member?: boolean;
  onOpen(id: string): void;
}

/** One queue row, selected from the store by id: a push that changes another alert does not re-render it. */
export const AlertRow = memo(function AlertRow({
  id,
  index,
  setSize,
  selected,
  marked = false,
  active,
  top,
  height,
  member = false,
  onOpen,
}: AlertRowProps) {
  const { t } = useTranslation();
  const f = useFormats();
  const alert = useAppSelector((s) => selectAlertById(s, id));
  const request = useAppSelector((s) => selectAckRequest(s, id));
  // A Cancel without text of its own says which alert it closed.
  const closedHeadline = useAppSelector((s) =>
    alert?.msgType === 'Cancel' ? (selectCancelledBy(s).get(id)?.[0]?.headline ?? null) : null,
  );
  if (!alert) return null;

  let state: 'new' | 'acknowledged' | 'pending' | 'sending' | 'failed' = 'new';
  if (alert.ack) state = 'acknowledged';
  else if (alert.pendingAck) state = 'pending';
  else if (request?.state === 'sending') state = 'sending';
  else if (request?.state === 'failed') state = 'failed';

  const actual = isActual(alert.status);
  const classes = [
    'wf-row',
    `wf-row--sev-${alert.severity}`,
    actual ? '' : 'wf-row--nonactual',
    selected ? 'wf-row--selected' : '',
    marked ? 'wf-row--marked' : '',
    active ? 'wf-row--active' : '',
    state === 'acknowledged' ? 'wf-row--acked' : '',
    isClosed(alert) || alert.msgType === 'Cancel' ? 'wf-row--closed' : '',
    member ? 'wf-row--member' : '',
  ].join(' ');
  const headline =
    alert.msgType === 'Cancel' && closedHeadline !== null
      ? t('queue.cancels', { headline: closedHeadline })
      : alert.headline;

  return (
    <div
      id={alertRowDomId(id)}
      role="option"
      aria-selected={selected}
      aria-checked={marked}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={classes}
      style={{ height, transform: `translateY(${top}px)` }}
      data-alert-id={id}
      onMouseDown={(e) => e.preventDefault() /* keep focus on the list, not the row */}
      onClick={() => onOpen(id)}
    >
      <div className="wf-row__line1">
        {marked && (
          <span className="wf-row__mark" title={t('queue.marked')}>
            ☑
          </span>
        )}
        <SeverityBadge severity={alert.severity} />
        <span className="wf-row__urgency">{t(`cap.urgency.${alert.urgency}`)}</span>
        {!actual && <StatusBadge status={alert.status} />}
        <span className="wf-row__event">{alert.event}</span>
        {isClosed(alert) && (
          <span className={`wf-lifecycle wf-lifecycle--${alert.lifecycle}`}>
            {t(`queue.lifecycle.${alert.lifecycle}`)}
          </span>
        )}
        {alert.msgType === 'Cancel' && alert.lifecycle === 'current' && (
          <span className="wf-lifecycle wf-lifecycle--cancelled">{t('queue.lifecycle.closed')}</span>
        )}
        {/* A Cancel closes its thread: nothing new for the officer to acknowledge. */}
        {(alert.msgType !== 'Cancel' || state !== 'new') && (
          <span className={`wf-state wf-state--${state}`}>{t(`queue.state.${state}`)}</span>
        )}
      </div>
      <div className="wf-row__headline">{headline}</div>
      <div className="wf-row__meta">
        {alert.affectedCount > 0 && (
          <span className="wf-row__affected">{t('queue.affected', { count: alert.affectedCount })}</span>
        )}
        {alert.edge && (
          // raised by a console's own telemetry rules (issue 9): whose, and whether danger or a faulty sensor
          <span className={`wf-edge wf-edge--${alert.edge.kind}`}>
            {[
              alert.edge.kind === 'maintenance' ? t('edge.maintenance') : null,
              alert.edge.here ? t('edge.raisedHere') : t('edge.raisedBy', { consoleId: alert.edge.consoleId }),
              alert.edge.onHub ? null : t('edge.notOnHub'),
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        )}
        {alert.msgType !== 'Alert' && <span className="wf-msgtype">{t(`cap.msgType.${alert.msgType}`)}</span>}
        <span className="wf-row__sender">{alert.sender}</span>
        <time dateTime={alert.sent}>{f.dateTime(alert.sent)}</time>
      </div>
    </div>
  );
});
