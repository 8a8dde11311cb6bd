import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormats } from '../format';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import {
  loadNeedsAttention,
  refusalDismissed,
  runAction,
  selectRefusals,
  type Refusal,
} from '../state/responseActions';

interface DispatchPayload {
  incidentId: string;
  unitIds: string[];
  reassign?: boolean;
}
const isDispatch = (r: Refusal): r is Refusal & { payload: DispatchPayload } =>
  r.type === 'unit.dispatch' &&
  typeof r.payload === 'object' &&
  r.payload !== null &&
  Array.isArray((r.payload as DispatchPayload).unitIds);

/** A refused dispatch of a unit committed elsewhere may be repeated as an explicit reassignment. */
const canReassign = (r: Refusal): r is Refusal & { payload: DispatchPayload } =>
  isDispatch(r) && r.error.code === 'CONFLICT' && !r.payload.reassign && /reassign/i.test(r.error.message);

function RefusalItem({ refusal }: { refusal: Refusal }) {
  const { t } = useTranslation();
  const f = useFormats();
  const dispatch = useAppDispatch();
  const units = isDispatch(refusal) ? refusal.payload.unitIds.join(', ') : '';
  return (
    <li className="wf-attention__item" role="alert">
      <div className="wf-attention__what">
        <span className="wf-attention__type">
          {t(`attention.type.${refusal.type}`, { defaultValue: refusal.type })}
        </span>
        {units && <span className="wf-mono">{units}</span>}
        <span className="wf-muted">
          {t(refusal.source === 'hub' ? 'attention.byHub' : 'attention.byConsole', { time: f.time(refusal.at) })}
        </span>
      </div>
      <p className="wf-attention__reason">{refusal.error.message || t(`errors.${refusal.error.code}`)}</p>
      <div className="wf-attention__actions">
        {canReassign(refusal) && (
          <button
            type="button"
            className="wf-button wf-button--small wf-button--primary"
            onClick={() => {
              dispatch(refusalDismissed(refusal.id));
              void dispatch(runAction({ name: 'dispatchUnits', args: { ...refusal.payload, reassign: true } }));
            }}
          >
            {t('attention.reassign', { units })}
          </button>
        )}
        <button
          type="button"
          className="wf-button wf-button--small"
          onClick={() => dispatch(refusalDismissed(refusal.id))}
        >
          {t('attention.dismiss')}
        </button>
      </div>
    </li>
  );
}

/** Actions refused by this console or by the hub, with the reason, until the officer deals with them. */
export function NeedsAttention() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const refusals = useAppSelector(selectRefusals);
  useEffect(() => {
    void dispatch(loadNeedsAttention());
  }, [dispatch]);
  if (refusals.length === 0) return null;
  return (
    <section className="wf-attention" aria-labelledby="wf-attention-title">
      <h2 id="wf-attention-title" className="wf-attention__title">
        {t('attention.title')} <span className="wf-attention__count">{refusals.length}</span>
      </h2>
      <ul className="wf-attention__list">
        {refusals.slice(0, 5).map((r) => (
          <RefusalItem key={r.id} refusal={r} />
        ))}
      </ul>
    </section>
  );
}
