import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { selectUnacknowledgedCount } from '../state/alerts';
import { selectCatchUpPercent, selectConnectionStatus } from '../state/connection';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { isLanguage, languageChanged, languages, selectLanguage, type Language } from '../state/ui';
import { useFormats } from '../format';
import { SessionBadge } from '../session/SessionBadge';
import { MuteIndicator } from '../alerting/MuteIndicator';
import { AuditViewControl } from '../export/AuditView';
import { TelemetryRulesControl } from '../telemetryRules/RulesEditor';
import { ExportControl } from '../export/ExportControl';

/** Language names are written in their own language, so anyone can find theirs. */
const languageNames: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '简体中文' };

function ConnectionState() {
  const { t } = useTranslation();
  const status = useAppSelector(selectConnectionStatus);
  const percent = useAppSelector(selectCatchUpPercent);
  const f = useFormats();

  let tone = 'unknown';
  let text = t('status.state.unknown');
  if (status) {
    tone = status.state;
    switch (status.state) {
      case 'online':
        text = t('status.state.online');
        break;
      case 'connecting':
        text = t('status.state.connecting');
        break;
      case 'offline':
        text = t('status.state.offline', { time: f.dateTime(status.since) });
        break;
      case 'catching-up':
        text = t('status.state.catchingUp', {
          percent: percent ?? 0,
          cursor: f.number(status.cursor),
          head: f.number(status.head),
        });
        break;
      case 'rebuilding':
        // issue 5: further behind than the hub keeps; the outbox is kept through it
        text = t('rebuild.status', {
          received: f.number(status.rebuild?.received ?? 0),
          asOf: f.number(status.rebuild?.asOf ?? 0),
        });
        break;
      case 'refused':
        text = t('status.state.refused', { reason: status.lastError?.message ?? t('errors.UNAUTHORIZED') });
        break;
    }
  }
  // Any state can carry a problem the officer must know of (online but stuck on a log entry, say).
  const detail = status && status.state !== 'refused' && status.lastError ? status.lastError.message : null;

  return (
    <div className={`wf-conn wf-conn--${tone}`} role="status" aria-label={t('status.region')}>
      <span className="wf-conn__dot" aria-hidden="true" />
      <span className="wf-conn__text">{text}</span>
      {status?.state === 'catching-up' && (
        <span className="wf-conn__progress" aria-hidden="true">
          <span style={{ width: `${percent ?? 0}%` }} />
        </span>
      )}
      {detail && <span className="wf-conn__detail">{detail}</span>}
      {status && <span className="wf-conn__hub">{t('status.hub', { url: status.hubUrl })}</span>}
    </div>
  );
}

function PendingActions() {
  const { t } = useTranslation();
  const pending = useAppSelector((s) => s.connection.status?.pendingActions ?? 0);
  return (
    <span className={`wf-chip ${pending > 0 ? 'wf-chip--pending' : ''}`}>
      {pending > 0 ? t('status.pending', { count: pending }) : t('status.noPending')}
    </span>
  );
}

function Unacknowledged() {
  const { t } = useTranslation();
  const count = useAppSelector(selectUnacknowledgedCount);
  return (
    <span className={`wf-chip ${count > 0 ? 'wf-chip--attention' : ''}`}>{t('status.unacknowledged', { count })}</span>
  );
}

function LanguageSwitch() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const language = useAppSelector(selectLanguage);
  return (
    <label className="wf-lang">
      <span className="wf-visually-hidden">{t('status.language')}</span>
      <select
        aria-label={t('status.language')}
        value={language}
        onChange={(e) => {
          if (isLanguage(e.target.value)) dispatch(languageChanged(e.target.value));
        }}
      >
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The room's clock. Outside the live status region: it must not be announced every second. */
function Clock() {
  const f = useFormats();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const iso = now.toISOString();
  return (
    <time className="wf-clock" dateTime={iso}>
      {f.time(iso)}
    </time>
  );
}

export function StatusBar() {
  const { t } = useTranslation();
  return (
    <header className="wf-statusbar">
      <span className="wf-brand">{t('app.title')}</span>
      <ConnectionState />
      <div className="wf-statusbar__right">
        <Unacknowledged />
        <MuteIndicator />
        <PendingActions />
        <SessionBadge />
        <ExportControl />
        <AuditViewControl />
        <TelemetryRulesControl />
        <LanguageSwitch />
        <Clock />
      </div>
    </header>
  );
}
