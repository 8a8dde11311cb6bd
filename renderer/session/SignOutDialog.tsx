import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/errors';
import { ErrorSentence } from '../components/ErrorSentence';
import { useAppSelector } from '../state/hooks';
import { selectAllIncidents } from '../state/incidents';
import { useSession } from './context';
import { handoverDraft, openIncidentLabels } from './prefill';
import { dialogKeys } from '../components/dialogKeys';
import { useFormats } from '../format';

/**
 * Signing out asks for the handover note (issue 6): prefilled with the open incidents
 * and the actions still pending here, with a heading for things to watch. Ctrl+Enter
 * signs out, Escape keeps the officer signed in.
 */
export function SignOutDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const incidents = useAppSelector(selectAllIncidents);
  const pending = useAppSelector((s) => s.connection.status?.pendingActions ?? 0);
  const formats = useFormats();
  const labels = useMemo(() => openIncidentLabels(incidents, t), [incidents, t]);
  const [note, setNote] = useState(() => handoverDraft(labels, pending, t));
  const [error, setError] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length); // after "Things to watch: -"
  }, []);

  const submit = async () => {
    if (!session || sending || !note.trim()) return;
    setSending(true);
    const r = await session.signOut({
      handover: { note: note.trim(), openIncidents: labels, pendingActions: pending },
    });
    setSending(false);
    if (!r.ok) setError(r.error);
  };

  return (
    <div className="wf-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="wf-dialog wf-handover"
        role="dialog"
        aria-modal="true"
        aria-labelledby="wf-signout-title"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        onKeyDown={dialogKeys(onClose, () => void submit())}
      >
        <h2 id="wf-signout-title" className="wf-dialog__title">
          {t('session.signOut.title')}
        </h2>
        <p className="wf-muted">{t('session.signOut.intro')}</p>
        {pending > 0 && (
          // Actions still waiting are sent later in their maker's name, never another's (decision 0036).
          <p className="wf-handover__pending" role="note" data-testid="signout-pending">
            {t('pendingAtSignOut.note', {
              count: pending,
              until: session?.state.expiresAt
                ? formats.dateTime(session.state.expiresAt)
                : t('pendingAtSignOut.noExpiry'),
            })}
          </p>
        )}
        <label className="wf-form__field">
          <span>{t('session.signOut.note')}</span>
          <textarea
            ref={area}
            className="wf-input wf-handover__input"
            rows={12}
            maxLength={4000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
        {error && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={error} prefix={t('session.signOut.refused')} />
          </p>
        )}
        <div className="wf-dialog__actions">
          <button type="button" className="wf-button" onClick={onClose}>
            {t('session.signOut.cancel')}
          </button>
          <button type="submit" className="wf-button wf-button--primary" disabled={sending || !note.trim()}>
            {t('session.signOut.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
