import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapInfo } from '../../shared/domain/cap';
import {
  ackErrorDismissed,
  acknowledgeAlert,
  isActual,
  isClosed,
  openAlert,
  reinstateAlert,
  reinstateRequestDismissed,
  selectAckRequest,
  selectAlertById,
  selectOpenedAlert,
  selectReinstateRequest,
  type Alert,
  type AlertDetail,
} from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { Disposition, type AffectedAsset, type AlertSummary } from '../../shared/domain/alert';
import {
  ackArgs,
  ackDraftChanged,
  alertSelected,
  selectAckDraft,
  selectLanguage,
  selectSelectedAlertId,
} from '../state/ui';
import { selectConnectionStatus } from '../state/connection';
import { bySeverity, languageTabs } from '../state/queueView';
import type { DeepReadonly } from '../state/readonly';
import { useFormats } from '../format';
import { SeverityBadge, StatusBadge } from './badges';
import { ErrorSentence } from './ErrorSentence';
import { OpenIncidentButton } from '../incidents/OpenIncidentButton';
import { QUEUE_LIST_ID } from './shortcuts';
import { AssetTelemetryCell } from '../telemetry/AssetTelemetryCell';
import { isMonitoredKind } from '../telemetry/assetState';
import { useSparklines } from '../telemetry/useSparklines';

type Info = DeepReadonly<CapInfo>;

function Field({ label, children }: { label: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Acknowledgement({ alert }: { alert: Alert }) {
  const { t } = useTranslation();
  const f = useFormats();
  const dispatch = useAppDispatch();
  const request = useAppSelector((s) => selectAckRequest(s, alert.id));

  const draft = useAppSelector(selectAckDraft);

  if (alert.ack) {
    return (
      <>
        <div className="wf-ack wf-ack--done" role="status">
          <div>{t('detail.acknowledgedBy', { by: alert.ack.by, at: f.dateTime(alert.ack.at) })}</div>
          {alert.ack.disposition && <div className="wf-ack__verdict">{t(`disposition.${alert.ack.disposition}`)}</div>}
          {alert.ack.note && <div className="wf-ack__note">{alert.ack.note}</div>}
        </div>
        <Reinstate alert={alert} />
      </>
    );
  }
  const sending = request?.state === 'sending';
  const pending = alert.pendingAck;
  const locked = sending || pending;
  return (
    <div className="wf-ack">
      <div className="wf-ack__form">
        <select
          aria-label={t('detail.disposition')}
          className="wf-select"
          value={draft.disposition ?? ''}
          disabled={locked}
          onChange={(e) => {
            const parsed = Disposition.safeParse(e.target.value);
            dispatch(ackDraftChanged({ disposition: parsed.success ? parsed.data : null }));
          }}
        >
          <option value="">{t('detail.noDisposition')}</option>
          {Disposition.options.map((d) => (
            <option key={d} value={d}>
              {t(`disposition.${d}`)}
            </option>
          ))}
        </select>
        <input
          type="text"
          className="wf-input"
          aria-label={t('detail.note')}
          placeholder={t('detail.notePlaceholder')}
          maxLength={2_000}
          value={draft.note}
          disabled={locked}
          onChange={(e) => dispatch(ackDraftChanged({ note: e.target.value }))}
          onKeyDown={(e) => {
            // Enter sends the acknowledgement with this note; Escape goes back to the queue.
            if (e.key === 'Enter') {
              e.preventDefault();
              void dispatch(acknowledgeAlert(ackArgs(alert.id, draft)));
            } else if (e.key === 'Escape') {
              e.preventDefault();
              document.getElementById(QUEUE_LIST_ID)?.focus();
            }
          }}
        />
      </div>
      <button
        type="button"
        className="wf-button wf-button--primary"
        disabled={locked}
        onClick={() => void dispatch(acknowledgeAlert(ackArgs(alert.id, draft)))}
        aria-keyshortcuts="a"
      >
        {t('detail.acknowledge')}
      </button>
      <div role="status" className="wf-ack__status">
        {pending && <span className="wf-ack__pending">{t('detail.pending')}</span>}
        {!pending && sending && <span className="wf-ack__pending">{t('detail.sending')}</span>}
      </div>
      {request?.state === 'failed' && (
        <div className="wf-ack__error" role="alert">
          <ErrorSentence error={request.error} prefix={t('detail.ackFailed')} />
          <button type="button" className="wf-link-button" onClick={() => dispatch(ackErrorDismissed(alert.id))}>
            {t('detail.dismiss')}
          </button>
        </div>
      )}
      <ReinstateProgress alert={alert} />
    </div>
  );
}

/** Put an acknowledged alert back in the queue (a wrong disposition, new information). */
function Reinstate({ alert }: { alert: Alert }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const request = useAppSelector((s) => selectReinstateRequest(s, alert.id));
  const [note, setNote] = useState('');
  const sending = request?.state === 'sending';
  const send = () => {
    const trimmed = note.trim();
    void dispatch(reinstateAlert({ alertId: alert.id, ...(trimmed ? { note: trimmed } : {}) }));
  };
  return (
    <div className="wf-ack wf-reinstate">
      <div className="wf-ack__form">
        <input
          type="text"
          className="wf-input"
          aria-label={t('detail.reinstateNote')}
          placeholder={t('detail.reinstateNotePlaceholder')}
          maxLength={2_000}
          value={note}
          disabled={sending}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              send();
            }
          }}
        />
      </div>
      <button type="button" className="wf-button" disabled={sending} onClick={send}>
        {t('detail.reinstate')}
      </button>
      <ReinstateProgress alert={alert} />
    </div>
  );
}

/**
 * Where a reinstatement stands: on its way, written here and waiting for the hub, or
 * refused (by this console's prediction or by the hub) with the sentence that says why.
 */
function ReinstateProgress({ alert }: { alert: Alert }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const request = useAppSelector((s) => selectReinstateRequest(s, alert.id));
  const pendingActions = useAppSelector((s) => selectConnectionStatus(s)?.pendingActions ?? 0);
  const needsAttention = useAppSelector((s) => s.responseActions.needsAttention);
  if (!request) return null;
  if (request.state === 'sending')
    return (
      <div role="status" className="wf-ack__pending">
        {t('detail.reinstateSending')}
      </div>
    );
  const refusedByHub =
    request.state === 'queued' ? needsAttention.find((n) => n.mutationId === request.mutationId) : undefined;
  const error = request.state === 'failed' ? request.error : refusedByHub?.error;
  if (error) {
    return (
      <div className="wf-ack__error" role="alert">
        <ErrorSentence error={error} prefix={t('detail.reinstateFailed')} />
        <button type="button" className="wf-link-button" onClick={() => dispatch(reinstateRequestDismissed(alert.id))}>
          {t('detail.dismiss')}
        </button>
      </div>
    );
  }
  if (request.state === 'queued' && pendingActions > 0 && !alert.ack)
    return (
      <div role="status" className="wf-ack__pending">
        {t('detail.reinstatePending')}
      </div>
    );
  return null;
}

/** Refusals the hub sent back for this alert (an acknowledgement someone else made first, …). */
function HubRefusals({ alertId }: { alertId: string }) {
  const { t } = useTranslation();
  const needsAttention = useAppSelector((s) => s.responseActions.needsAttention);
  const mine = needsAttention.filter((n) => n.target === `alert:${alertId}`);
  if (mine.length === 0) return null;
  return (
    <ul className="wf-refusals" aria-label={t('detail.refusals')}>
      {mine.map((n) => (
        <li key={n.mutationId} className="wf-ack__error">
          <ErrorSentence
            error={n.error}
            prefix={t(n.type === 'alert.reinstate' ? 'detail.reinstateFailed' : 'detail.ackFailed')}
          />
        </li>
      ))}
    </ul>
  );
}

/** One earlier or related message, openable. */
function MessageLink({ row, label }: { row: DeepReadonly<AlertSummary>; label?: string }) {
  const { t } = useTranslation();
  const f = useFormats();
  const dispatch = useAppDispatch();
  return (
    <button
      type="button"
      className="wf-history__item"
      onClick={() => dispatch(alertSelected({ id: row.id, origin: 'queue' }))}
    >
      <SeverityBadge severity={row.severity} />
      {row.status !== 'Actual' && <StatusBadge status={row.status} />}
      <span className="wf-msgtype">{t(`cap.msgType.${row.msgType}`)}</span>
      {row.lifecycle !== 'current' && (
        <span className={`wf-lifecycle wf-lifecycle--${row.lifecycle}`}>{t(`queue.lifecycle.${row.lifecycle}`)}</span>
      )}
      <span className="wf-history__headline">{label ?? (row.headline || row.event)}</span>
      <time dateTime={row.sent} className="wf-muted">
        {f.dateTime(row.sent)}
      </time>
    </button>
  );
}

/** Superseded and cancelled versions, oldest first, and the message that replaced this one. */
function History({ detail, alert }: { detail: AlertDetail; alert: Alert }) {
  const { t } = useTranslation();
  const replacedBy = useAppSelector((s) => (alert.supersededBy ? selectAlertById(s, alert.supersededBy) : undefined));
  if (detail.history.length === 0 && !replacedBy) return null;
  return (
    <section className="wf-detail__section" aria-label={t('detail.history')}>
      <h4 className="wf-detail__subtitle">
        {detail.history.length > 0 ? t('detail.historyCount', { count: detail.history.length }) : t('detail.history')}
      </h4>
      {replacedBy && (
        <p>
          {t(alert.lifecycle === 'cancelled' ? 'detail.cancelledBy' : 'detail.supersededBy')}{' '}
          <MessageLink row={replacedBy} />
        </p>
      )}
      {detail.history.length > 0 && (
        <ol className="wf-history">
          {detail.history.map((h) => (
            <li key={h.id}>
              <MessageLink row={h} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Assets inside the alert's areas, most critical first (the replica's R*Tree + exact test). */
function AffectedAssets({ assets }: { assets: readonly DeepReadonly<AffectedAsset>[] }) {
  const { t } = useTranslation();
  const sorted = [...assets].sort((a, b) => b.criticality - a.criticality || a.name.localeCompare(b.name));
  // Monitored ones (bridges, tunnels, pipelines, gauges) show their telemetry state and last hour (issue 9).
  const sparkOf = useSparklines(
    sorted
      .filter((a) => isMonitoredKind(a.kind))
      .slice(0, 500)
      .map((a) => a.assetId),
  );
  return (
    <section className="wf-detail__section" aria-label={t('detail.affected')}>
      <h4 className="wf-detail__subtitle">{t('detail.affectedCount', { count: sorted.length })}</h4>
      {sorted.length === 0 ? (
        <p className="wf-muted">{t('detail.noAffected')}</p>
      ) : (
        <table className="wf-affected">
          <thead>
            <tr>
              <th scope="col">{t('detail.asset.name')}</th>
              <th scope="col">{t('detail.asset.kind')}</th>
              <th scope="col">{t('detail.asset.district')}</th>
              <th scope="col">{t('detail.asset.criticality')}</th>
              <th scope="col">{t('telemetry.affected.column')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((a) => (
              <tr key={a.assetId} data-asset-id={a.assetId}>
                <td>{a.name}</td>
                <td>{t(`map.assetKind.${a.kind}`, { defaultValue: a.kind })}</td>
                <td>{a.district}</td>
                <td className="wf-num">{a.criticality}</td>
                <td>
                  <AssetTelemetryCell assetId={a.assetId} kind={a.kind} name={a.name} spark={sparkOf(a.assetId)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The other alerts of this alert's correlation group, most severe first. */
function GroupMembers({ members }: { members: readonly DeepReadonly<AlertSummary>[] }) {
  const { t } = useTranslation();
  if (members.length === 0) return null;
  const sorted = [...members].sort(bySeverity);
  return (
    <section className="wf-detail__section" aria-label={t('detail.group')}>
      <h4 className="wf-detail__subtitle">{t('detail.groupCount', { count: sorted.length })}</h4>
      <ul className="wf-history">
        {sorted.map((m) => (
          <li key={m.id}>
            <MessageLink row={m} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Info blocks as language tabs: the officer's language first, blocks in one language shown together. */
function Infos({ infos, language }: { infos: readonly Info[]; language: string }) {
  const { t } = useTranslation();
  const tabs = languageTabs(infos, language);
  const [chosen, setChosen] = useState<string | null>(null);
  const current = tabs.find((tab) => tab.language === chosen) ?? tabs[0];
  if (!current) return <p className="wf-muted">{t('detail.noInfo')}</p>;
  return (
    <>
      {tabs.length > 1 && (
        <div className="wf-tabs" role="tablist" aria-label={t('detail.languages')}>
          {tabs.map((tab) => (
            <button
              key={tab.language}
              type="button"
              role="tab"
              className="wf-tab"
              aria-selected={tab === current}
              onClick={() => setChosen(tab.language)}
            >
              {tab.language}
            </button>
          ))}
        </div>
      )}
      <div role={tabs.length > 1 ? 'tabpanel' : undefined} aria-label={current.language}>
        {current.infos.map((info, i) => (
          <InfoBlock key={i} info={info} />
        ))}
      </div>
    </>
  );
}

function InfoBlock({ info }: { info: Info }) {
  const { t } = useTranslation();
  const f = useFormats();
  return (
    <section className="wf-detail__section" aria-label={t('detail.info')}>
      <h4 className="wf-detail__subtitle">
        {t('detail.info')} <span className="wf-muted">{t('detail.infoLanguage', { language: info.language })}</span>
      </h4>
      <dl className="wf-fields">
        <Field label={t('detail.field.event')}>{info.event}</Field>
        <Field label={t('detail.field.category')}>{info.category.map((c) => t(`cap.category.${c}`)).join(', ')}</Field>
        <Field label={t('detail.field.responseType')}>
          {info.responseType.map((r) => t(`cap.responseType.${r}`)).join(', ')}
        </Field>
        <Field label={t('detail.field.urgency')}>{t(`cap.urgency.${info.urgency}`)}</Field>
        <Field label={t('detail.field.severity')}>{t(`cap.severity.${info.severity}`)}</Field>
        <Field label={t('detail.field.certainty')}>{t(`cap.certainty.${info.certainty}`)}</Field>
        <Field label={t('detail.field.audience')}>{info.audience}</Field>
        <Field label={t('detail.field.effective')}>
          {info.effective && <time dateTime={info.effective}>{f.dateTime(info.effective)}</time>}
        </Field>
        <Field label={t('detail.field.onset')}>
          {info.onset && <time dateTime={info.onset}>{f.dateTime(info.onset)}</time>}
        </Field>
        <Field label={t('detail.field.expires')}>
          {info.expires && <time dateTime={info.expires}>{f.dateTime(info.expires)}</time>}
        </Field>
        <Field label={t('detail.field.senderName')}>{info.senderName}</Field>
        <Field label={t('detail.field.headline')}>{info.headline}</Field>
      </dl>
      {info.description && (
        <>
          <h5 className="wf-detail__label">{t('detail.field.description')}</h5>
          <p className="wf-prose">{info.description}</p>
        </>
      )}
      {info.instruction && (
        <>
          <h5 className="wf-detail__label">{t('detail.field.instruction')}</h5>
          <p className="wf-prose wf-prose--instruction">{info.instruction}</p>
        </>
      )}
      <dl className="wf-fields">
        {/* Shown as text, not a link: the console never navigates away or opens the network. */}
        <Field label={t('detail.field.web')}>{info.web && <span className="wf-mono wf-break">{info.web}</span>}</Field>
        <Field label={t('detail.field.contact')}>{info.contact}</Field>
      </dl>
      {info.areas.length > 0 ? (
        <>
          <h5 className="wf-detail__label">{t('detail.areas')}</h5>
          <ul className="wf-areas">
            {info.areas.map((area, i) => (
              <li key={i}>
                <div className="wf-area__desc">{area.areaDesc}</div>
                <div className="wf-muted">
                  {[
                    area.polygons.length > 0 ? t('detail.polygons', { count: area.polygons.length }) : '',
                    area.circles.length > 0 ? t('detail.circles', { count: area.circles.length }) : '',
                    area.altitude !== undefined ? `${t('detail.field.altitude')} ${area.altitude}` : '',
                    area.ceiling !== undefined ? `${t('detail.field.ceiling')} ${area.ceiling}` : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </div>
                {area.circles.map((c, j) => (
                  <div key={j} className="wf-mono wf-muted">
                    {t('detail.circle', {
                      lat: c.center.lat.toFixed(4),
                      lon: c.center.lon.toFixed(4),
                      radius: c.radiusKm,
                    })}
                  </div>
                ))}
                {area.geocodes.length > 0 && (
                  <dl className="wf-fields wf-fields--compact" aria-label={t('detail.geocodes')}>
                    {area.geocodes.map((g, j) => (
                      <Field key={j} label={g.valueName}>
                        <span className="wf-mono">{g.value}</span>
                      </Field>
                    ))}
                  </dl>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="wf-muted">{t('detail.noAreas')}</p>
      )}
      {info.parameter.length > 0 && (
        <>
          <h5 className="wf-detail__label">{t('detail.parameters')}</h5>
          <dl className="wf-fields wf-fields--compact">
            {info.parameter.map((p, i) => (
              <Field key={i} label={p.valueName}>
                <span className="wf-mono wf-break">{p.value}</span>
              </Field>
            ))}
          </dl>
        </>
      )}
      {info.eventCode.length > 0 && (
        <>
          <h5 className="wf-detail__label">{t('detail.eventCodes')}</h5>
          <dl className="wf-fields wf-fields--compact">
            {info.eventCode.map((p, i) => (
              <Field key={i} label={p.valueName}>
                <span className="wf-mono">{p.value}</span>
              </Field>
            ))}
          </dl>
        </>
      )}
      {info.resources.length > 0 && (
        <>
          <h5 className="wf-detail__label">{t('detail.resources')}</h5>
          <ul className="wf-areas">
            {info.resources.map((r, i) => (
              <li key={i}>
                {r.resourceDesc} <span className="wf-muted">({r.mimeType})</span>
                {r.uri && <div className="wf-mono wf-break wf-muted">{r.uri}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function MessageFields({ detail, alert }: { detail: AlertDetail; alert: Alert }) {
  const { t } = useTranslation();
  const f = useFormats();
  const cap = detail.cap;
  return (
    <section className="wf-detail__section" aria-label={t('detail.message')}>
      <h4 className="wf-detail__subtitle">{t('detail.message')}</h4>
      <dl className="wf-fields">
        <Field label={t('detail.field.identifier')}>
          <span className="wf-mono wf-break">{cap.identifier}</span>
        </Field>
        <Field label={t('detail.field.sender')}>
          <span className="wf-break">{cap.sender}</span>
        </Field>
        <Field label={t('detail.field.sent')}>
          <time dateTime={cap.sent}>{f.dateTime(cap.sent)}</time>
        </Field>
        <Field label={t('detail.field.received')}>
          <time dateTime={alert.receivedAt}>{f.dateTime(alert.receivedAt)}</time>
        </Field>
        <Field label={t('detail.field.status')}>{t(`cap.status.${cap.status}`)}</Field>
        <Field label={t('detail.field.msgType')}>{t(`cap.msgType.${cap.msgType}`)}</Field>
        <Field label={t('detail.field.scope')}>{t(`cap.scope.${cap.scope}`)}</Field>
        <Field label={t('detail.field.restriction')}>{cap.restriction}</Field>
        <Field label={t('detail.field.addresses')}>{cap.addresses}</Field>
        <Field label={t('detail.field.note')}>{cap.note}</Field>
        <Field label={t('detail.field.incidents')}>{cap.incidents}</Field>
        <Field label={t('detail.field.version')}>{cap.version}</Field>
      </dl>
      {cap.references.length > 0 && (
        <>
          <h5 className="wf-detail__label">{t('detail.references')}</h5>
          <ul className="wf-refs">
            {cap.references.map((r, i) => (
              <li key={i} className="wf-mono wf-break">
                {r.sender}, {r.identifier}, {f.dateTime(r.sent)}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="wf-muted">{t('detail.source', { name: detail.source.name })}</p>
    </section>
  );
}

export function AlertDetailPanel() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const selectedId = useAppSelector(selectSelectedAlertId);
  const alert = useAppSelector((s) => (selectedId ? selectAlertById(s, selectedId) : undefined));
  const opened = useAppSelector(selectOpenedAlert);
  const language = useAppSelector(selectLanguage);

  // Opened, and fetched again when its summary changes (cancelled, reinstated, newly grouped).
  useEffect(() => {
    if (selectedId) void dispatch(openAlert(selectedId));
  }, [dispatch, selectedId, alert]);

  let body: ReactNode;
  if (!selectedId || !alert) {
    body = <p className="wf-empty wf-empty--static">{t('detail.none')}</p>;
  } else {
    const current = opened?.id === selectedId ? opened : null;
    body = (
      <article className={`wf-detail ${isActual(alert.status) ? '' : 'wf-detail--nonactual'}`}>
        <header className={`wf-detail__head wf-detail__head--${alert.severity}`}>
          <div className="wf-detail__badges">
            <SeverityBadge severity={alert.severity} />
            <span className="wf-chip">{t(`cap.urgency.${alert.urgency}`)}</span>
            <span className="wf-chip">{t(`cap.certainty.${alert.certainty}`)}</span>
            <StatusBadge status={alert.status} />
            {alert.msgType !== 'Alert' && <span className="wf-msgtype">{t(`cap.msgType.${alert.msgType}`)}</span>}
            {isClosed(alert) && (
              <span className={`wf-lifecycle wf-lifecycle--${alert.lifecycle}`}>
                {t(`queue.lifecycle.${alert.lifecycle}`)}
              </span>
            )}
            {alert.msgType === 'Cancel' && alert.lifecycle === 'current' && (
              <span className="wf-lifecycle wf-lifecycle--cancelled">{t('queue.lifecycle.closed')}</span>
            )}
          </div>
          {!isActual(alert.status) && (
            <p className="wf-nonactual-note" role="note">
              {t('detail.nonActual', { status: t(`cap.status.${alert.status}`) })}
            </p>
          )}
          <h3 className="wf-detail__event">{alert.event}</h3>
          <p className="wf-detail__headline">{alert.headline}</p>
          <Acknowledgement alert={alert} />
          <OpenIncidentButton alertId={alert.id} />
          <HubRefusals alertId={alert.id} />
        </header>
        {current?.state === 'loading' && <p className="wf-muted">{t('detail.loading')}</p>}
        {current?.state === 'failed' && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={current.error} prefix={t('detail.loadFailed')} />
          </p>
        )}
        {current?.state === 'loaded' && (
          <>
            <History detail={current.detail} alert={alert} />
            <AffectedAssets assets={current.detail.affectedAssets} />
            <GroupMembers members={current.detail.groupMembers} />
            <Infos key={alert.id} infos={current.detail.cap.infos} language={language} />
            <MessageFields detail={current.detail} alert={alert} />
          </>
        )}
      </article>
    );
  }

  return (
    <section className="wf-panel wf-detail-panel" aria-labelledby="wf-detail-title">
      <h2 id="wf-detail-title" className="wf-panel__title">
        {t('detail.label')}
      </h2>
      <div className="wf-detail-panel__scroll">{body}</div>
    </section>
  );
}
