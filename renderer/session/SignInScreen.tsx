import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/errors';
import { ErrorSentence } from '../components/ErrorSentence';
import type { SessionApi } from './context';

/**
 * Keyboard-first sign-in: the name field has focus, Enter signs in, errors are read out.
 * When the hub cannot be reached the host tries this console's cached credential, and
 * the screen says so afterwards in the status bar (issue 6).
 */
export function SignInScreen({ session, error }: { session: SessionApi | null; error: AppError | null }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [refusal, setRefusal] = useState<AppError | null>(null);
  const [sending, setSending] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const title = t('session.signIn.title');

  useEffect(() => {
    document.title = title;
    nameRef.current?.focus();
  }, [title]);

  const submit = async () => {
    if (!session || sending) return;
    setSending(true);
    setRefusal(null);
    const r = await session.signIn({ name: name.trim(), password });
    setSending(false);
    if (!r.ok) {
      setRefusal(r.error);
      setPassword('');
      passwordRef.current?.focus();
    }
  };

  const notice = session?.state.notice ?? null;
  return (
    <div className="wf-signin">
      <form
        className="wf-signin__card"
        aria-labelledby="wf-signin-title"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="wf-signin__brand">{t('app.title')}</p>
        <h1 id="wf-signin-title" className="wf-signin__title">
          {title}
        </h1>
        <p className="wf-muted">{t('session.signIn.intro')}</p>
        {notice && (
          <p className="wf-signin__notice" role="status">
            {notice.message}
          </p>
        )}
        <label className="wf-form__field">
          <span>{t('session.signIn.name')}</span>
          <input
            ref={nameRef}
            className="wf-input"
            autoComplete="username"
            value={name}
            maxLength={200}
            required
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="wf-form__field">
          <span>{t('session.signIn.password')}</span>
          <input
            ref={passwordRef}
            className="wf-input"
            type="password"
            autoComplete="current-password"
            value={password}
            maxLength={1024}
            required
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {(refusal ?? error) && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={(refusal ?? error)!} prefix={t('session.signIn.refused')} />
          </p>
        )}
        <button
          type="submit"
          className="wf-button wf-button--primary"
          disabled={!session || sending || !name.trim() || !password}
        >
          {sending ? t('session.signIn.sending') : t('session.signIn.submit')}
        </button>
        <p className="wf-signin__hint">{t('session.signIn.offlineHint')}</p>
      </form>
    </div>
  );
}
