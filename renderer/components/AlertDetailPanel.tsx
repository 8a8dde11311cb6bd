import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapInfo } from '../../shared/domain/cap';
import {
  ackErrorDismissed,
  acknowledgeAlert,
  isActual,
  isClosed,
  openAlert,
  selectAckRequest,
  selectAlertById,
  selectOpenedAlert,
  type Alert,
  type AlertDetail,
} from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { Disposition } from '../../shared/domain/alert';
import { ackArgs, ackDraftChanged, selectAckDraft, selectLanguage, selectSelectedAlertId } from '../state/ui';
import type { DeepReadonly } from '../state/readonly';
import { useFormats } from '../format';
import { SeverityBadge, StatusBadge } from './badges';
import { ErrorSentence } from './ErrorSentence';
import { QUEUE_LIST_ID } from './shortcuts';

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
      <div className="wf-ack wf-ack--done" role="status">
        <div>{t('detail.acknowledgedBy', { by: alert.ack.by, at: f.dateTime(alert.ack.at) })}</div>
        {alert.ack.disposition && <div className="wf-ack__verdict">{t(`disposition.${alert.ack.disposition}`)}</div>}
        {alert.ack.note && <div className="wf-ack__note">{alert.ack.note}</div>}
      </div>
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
    </div>
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

/** The officer's language first (CAP allows one info block per language), the others after it. */
function orderInfos(infos: readonly Info[], language: string): readonly Info[] {
  const base = language.toLowerCase().split('-')[0] ?? '';
  const score = (info: Info) => {
    const l = info.language.toLowerCase();
    if (l === language.toLowerCase()) return 0;
    if (l.split('-')[0] === base) return 1;
    return 2;
  };
  return [...infos].sort((a, b) => score(a) - score(b));
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

  useEffect(() => {
    if (selectedId) void dispatch(openAlert(selectedId));
  }, [dispatch, selectedId]);

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
          </div>
          <h3 className="wf-detail__event">{alert.event}</h3>
          <p className="wf-detail__headline">{alert.headline}</p>
          <Acknowledgement alert={alert} />
        </header>
        {current?.state === 'loading' && <p className="wf-muted">{t('detail.loading')}</p>}
        {current?.state === 'failed' && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={current.error} prefix={t('detail.loadFailed')} />
          </p>
        )}
        {current?.state === 'loaded' && (
          <>
            {orderInfos(current.detail.cap.infos, language).map((info, i) => (
              <InfoBlock key={i} info={info} />
            ))}
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
