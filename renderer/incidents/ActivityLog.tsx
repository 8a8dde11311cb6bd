import { useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LOG_ENTRY_ID } from '../command/shortcuts';
import { useFormats } from '../format';
import { makeSelectIncidentLog, selectLogEntryEntities, type LogEntry } from '../state/activityLog';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { runAction } from '../state/responseActions';
import { ErrorSentence } from '../components/ErrorSentence';
import type { AppError } from '../../shared/errors';
import { PendingMark } from './badges';

function EntryRow({ entry, onCorrect }: { entry: LogEntry; onCorrect: (entry: LogEntry) => void }) {
  const { t } = useTranslation();
  const f = useFormats();
  const corrected = useAppSelector((s) => (entry.corrects ? selectLogEntryEntities(s)[entry.corrects] : undefined));
  return (
    <tr className={`wf-log__row wf-log__row--${entry.kind} ${entry.pending ? 'wf-log__row--pending' : ''}`}>
      <td className="wf-log__time">
        <time dateTime={entry.at}>{f.time(entry.at)}</time>
        {entry.seq !== null && <span className="wf-log__seq wf-muted">#{entry.seq}</span>}
      </td>
      <td className="wf-log__author">
        <span>{entry.author}</span>
        {entry.position && <span className="wf-muted wf-log__position">{entry.position}</span>}
      </td>
      <td className="wf-log__text">
        {entry.corrects && (
          <span className="wf-log__corrects">
            {t('log.corrects', {
              seq: corrected?.seq ?? '…',
              text: corrected ? corrected.text.slice(0, 80) : '',
            })}
          </span>
        )}
        <span className="wf-break">{entry.text}</span>
        {entry.pending && <PendingMark />}
      </td>
      <td className="wf-log__actions">
        <button
          type="button"
          className="wf-link-button"
          aria-label={t('log.correctEntry', { seq: entry.seq ?? '' })}
          onClick={() => onCorrect(entry)}
        >
          {t('log.correct')}
        </button>
      </td>
    </tr>
  );
}

/** ICS 214: what happened, who did it, when. Never edited; a correction is a new entry pointing back. */
export function ActivityLog({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const selectLog = useMemo(() => makeSelectIncidentLog(), []);
  const entries = useAppSelector((s) => selectLog(s, incidentId));
  const [text, setText] = useState('');
  const [correcting, setCorrecting] = useState<LogEntry | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const submit = async () => {
    const trimmed = text.trim();
    if (!trimmed) return;
    const result = await dispatch(
      runAction({
        name: 'appendLog',
        args: { incidentId, text: trimmed, ...(correcting ? { corrects: correcting.id } : {}) },
      }),
    );
    if (runAction.fulfilled.match(result)) {
      setText('');
      setCorrecting(null);
      setError(null);
    } else setError(result.payload ?? { code: 'INTERNAL', message: result.error.message ?? '' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && correcting) {
      e.preventDefault();
      setCorrecting(null);
    }
  };

  return (
    <section className="wf-detail__section" aria-labelledby="wf-log-title">
      <h4 id="wf-log-title" className="wf-detail__subtitle">
        {t('log.title')} <span className="wf-muted">{entries.length}</span>
      </h4>
      <table className="wf-log" aria-labelledby="wf-log-title">
        <thead>
          <tr>
            <th scope="col">{t('log.time')}</th>
            <th scope="col">{t('log.author')}</th>
            <th scope="col">{t('log.activity')}</th>
            <th scope="col">
              <span className="wf-visually-hidden">{t('log.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <EntryRow
              key={e.id}
              entry={e}
              onCorrect={(entry) => {
                setCorrecting(entry);
                document.getElementById(LOG_ENTRY_ID)?.focus();
              }}
            />
          ))}
          {entries.length === 0 && (
            <tr>
              <td colSpan={4} className="wf-muted">
                {t('log.empty')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="wf-log__form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {correcting && (
          <div className="wf-log__correcting">
            {t('log.correcting', { seq: correcting.seq ?? '…' })}
            <button type="button" className="wf-link-button" onClick={() => setCorrecting(null)}>
              {t('log.cancelCorrection')}
            </button>
          </div>
        )}
        <textarea
          id={LOG_ENTRY_ID}
          className="wf-input wf-log__input"
          aria-label={t('log.entry')}
          placeholder={t('log.entryPlaceholder')}
          rows={2}
          maxLength={4000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="wf-button" disabled={!text.trim()}>
          {correcting ? t('log.addCorrection') : t('log.add')}
        </button>
        {error && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={error} prefix={t('log.refused')} />
          </p>
        )}
      </form>
    </section>
  );
}
