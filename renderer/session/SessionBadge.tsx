import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../state/hooks';
import { useSession } from './context';

/**
 * Who is signed in, always visible in the status bar (issue 6): the role as a badge, the
 * name and ICS position, a mark while the role comes from the offline cache and is not
 * yet re-checked by the hub, and Sign out. Outside a session (pop-outs) the officer the
 * hub greeted is shown, as before.
 */
export function SessionBadge() {
  const { t } = useTranslation();
  const session = useSession();
  const greeted = useAppSelector((s) => s.connection.status?.officer ?? null);
  const officer = session?.state.officer ?? greeted;
  if (!officer) return <span className="wf-officer">{t('status.notSignedIn')}</span>;
  const position = session?.state.officer?.position;
  return (
    <span className="wf-officer wf-session" aria-label={t('session.badge.label')}>
      <span className={`wf-role wf-role--${officer.role}`}>{t(`session.role.${officer.role}`)}</span>
      <span className="wf-session__name">
        {officer.name}
        {position ? <span className="wf-muted"> · {position}</span> : null}
      </span>
      {session?.state.via === 'cache' && (
        <span className="wf-chip wf-chip--pending" title={t('session.badge.cachedTitle')}>
          {t('session.badge.cached')}
        </span>
      )}
      {session && (
        <button type="button" className="wf-button wf-button--small" onClick={session.requestSignOut}>
          {t('session.badge.signOut')}
        </button>
      )}
    </span>
  );
}
