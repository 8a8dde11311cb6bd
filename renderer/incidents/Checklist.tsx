import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isStepOverdue, type StepState } from '../../shared/domain/checklist';
import { useFormats } from '../format';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { makeSelectChecklist, type ChecklistStep } from '../state/incidents';
import { runAction } from '../state/responseActions';
import { PendingMark } from './badges';

function StepRow({ step, nowMs, disabled }: { step: ChecklistStep; nowMs: number; disabled: boolean }) {
  const { t } = useTranslation();
  const f = useFormats();
  const dispatch = useAppDispatch();
  const [remark, setRemark] = useState('');
  const overdue = isStepOverdue(step, nowMs);
  const set = (state: StepState) =>
    void dispatch(
      runAction({
        name: 'setChecklistStep',
        args: {
          incidentId: step.incidentId,
          stepId: step.stepId,
          state,
          ...(remark.trim() ? { remark: remark.trim() } : {}),
        },
      }),
    ).then((r) => {
      if (runAction.fulfilled.match(r)) setRemark('');
    });
  const choices: StepState[] = step.state === 'open' ? ['done', 'na'] : ['open'];
  return (
    <li
      className={`wf-step wf-step--${step.state} ${overdue ? 'wf-step--overdue' : ''}`}
      aria-label={t('checklist.stepLabel', {
        ord: step.ord,
        title: step.title,
        state: t(`checklist.state.${step.state}`),
      })}
    >
      <span className="wf-step__ord" aria-hidden="true">
        {step.state === 'done' ? '✓' : step.state === 'na' ? '–' : step.ord}
      </span>
      <div className="wf-step__body">
        <div className="wf-step__title">
          {step.title}
          {step.pending && <PendingMark />}
        </div>
        <div className="wf-step__meta">
          <span className={overdue ? 'wf-overdue' : 'wf-muted'}>
            {overdue
              ? t('checklist.overdueSince', { time: f.time(step.dueAt) })
              : t('checklist.due', { time: f.time(step.dueAt) })}
          </span>
          {step.state !== 'open' && step.by && (
            <span className="wf-muted">
              {t(`checklist.state.${step.state}`)} · {step.by} · {f.time(step.at)}
            </span>
          )}
          {step.remark && <span className="wf-step__remark">“{step.remark}”</span>}
        </div>
      </div>
      <div className="wf-step__actions">
        {step.state === 'open' && (
          <input
            className="wf-input wf-step__remark-input"
            aria-label={t('checklist.remarkFor', { ord: step.ord })}
            placeholder={t('checklist.remark')}
            value={remark}
            maxLength={2000}
            disabled={disabled}
            onChange={(e) => setRemark(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                set('done');
              }
            }}
          />
        )}
        {choices.map((state) => (
          <button
            key={state}
            type="button"
            className={`wf-button wf-button--small ${state === 'done' ? 'wf-button--ok' : ''}`}
            disabled={disabled}
            aria-label={t(`checklist.mark.${state}`, { ord: step.ord, title: step.title })}
            onClick={() => set(state)}
          >
            {t(`checklist.action.${state}`)}
          </button>
        ))}
      </div>
    </li>
  );
}

/** The SOP for the incident's type: each step open, done or not applicable, overdue ones highlighted. */
export function Checklist({
  incidentId,
  title,
  nowMs,
  closed,
}: {
  incidentId: string;
  title: string | null;
  nowMs: number;
  closed: boolean;
}) {
  const { t } = useTranslation();
  const selectChecklist = useMemo(() => makeSelectChecklist(), []);
  const steps = useAppSelector((s) => selectChecklist(s, incidentId));
  const done = steps.filter((s) => s.state !== 'open').length;
  return (
    <section className="wf-detail__section" aria-labelledby="wf-checklist-title">
      <h4 id="wf-checklist-title" className="wf-detail__subtitle">
        {t('checklist.title')}{' '}
        <span className="wf-muted">{t('checklist.progress', { done, total: steps.length })}</span>
      </h4>
      {title && <p className="wf-muted wf-checklist__source">{title}</p>}
      {steps.length === 0 ? (
        <p className="wf-muted">{t('checklist.none')}</p>
      ) : (
        <ol className="wf-checklist" aria-labelledby="wf-checklist-title">
          {steps.map((s) => (
            <StepRow key={s.stepId} step={s} nowMs={nowMs} disabled={closed} />
          ))}
        </ol>
      )}
    </section>
  );
}
