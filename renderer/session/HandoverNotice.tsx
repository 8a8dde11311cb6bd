import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandoverNote } from '../../shared/domain/officer';
import { useFormats } from '../format';
import { dialogKeys } from '../components/dialogKeys';

/** The note the last officer left at this console, shown once after sign-in (issue 6). */
export function HandoverNotice({ note, onRead }: { note: HandoverNote; onRead: () => void }) {
  const { t } = useTranslation();
  const f = useFormats();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  const from = note.from.position ? `${note.from.name} (${note.from.position})` : note.from.name;
  return (
    <div className="wf-overlay">
      <div
        className="wf-dialog wf-handover"
        role="dialog"
        aria-modal="true"
        aria-labelledby="wf-handover-title"
        onKeyDown={dialogKeys(onRead)}
      >
        <h2 id="wf-handover-title" className="wf-dialog__title">
          {t('session.notice.title')}
        </h2>
        <p className="wf-muted">{t('session.notice.from', { from, time: f.dateTime(note.at) })}</p>
        {note.logSeq === null && <p className="wf-handover__pending">{t('session.notice.notDelivered')}</p>}
        <pre className="wf-handover__note" aria-label={t('session.notice.noteLabel')}>
          {note.note}
        </pre>
        <div className="wf-dialog__actions">
          <button ref={button} type="button" className="wf-button wf-button--primary" onClick={onRead}>
            {t('session.notice.read')}
          </button>
        </div>
      </div>
    </div>
  );
}
