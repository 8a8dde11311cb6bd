import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat, ExportProgress, StartExportArgs } from '../../shared/export';
import type { AppError } from '../../shared/errors';
import { consoleApi } from '../api';
import { ErrorSentence } from '../components/ErrorSentence';
import { useFormats } from '../format';
import { useAppSelector } from '../state/hooks';
import { selectAllIncidents } from '../state/incidents';
import './export.css';
import { dialogKeys } from '../components/dialogKeys';

type Scope = 'incident' | 'range' | 'all';

/**
 * Export of the ICS 214 activity log (issue 6), for supervisors: the button in the status bar
 * and its dialog (format, scope, progress, cancel, where the file went). Hidden for officers;
 * the hub refuses them anyway (403), and says so here if a role changed under us.
 */
export function ExportControl() {
  const { t } = useTranslation();
  const role = useAppSelector((s) => s.connection.status?.officer?.role ?? null);
  const [open, setOpen] = useState(false);
  if (role !== 'supervisor') return null;
  return (
    <>
      <button type="button" className="wf-button wf-button--small" onClick={() => setOpen(true)}>
        {t('export.button')}
      </button>
      {open && <ExportDialog onClose={() => setOpen(false)} />}
    </>
  );
}

/** `datetime-local` value (local time) to an ISO instant; '' stays unset. */
const localToIso = (value: string): string | undefined => (value ? new Date(value).toISOString() : undefined);

function ExportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormats();
  const incidents = useAppSelector(selectAllIncidents);
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [scope, setScope] = useState<Scope>('incident');
  const [incidentId, setIncidentId] = useState(incidents[0]?.id ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const exportId = useRef<string | null>(null);
  // Pushes can overtake the answer to startExport (a small export is done before it arrives):
  // the newest push of each export is kept until we know which one is ours.
  const latest = useRef(new Map<string, ExportProgress>());
  const running = progress?.state === 'running';

  useEffect(
    () =>
      consoleApi?.onExportProgress((p) => {
        latest.current.set(p.exportId, p);
        if (p.exportId === exportId.current) setProgress(p);
      }),
    [],
  );

  const start = async () => {
    if (!consoleApi) return;
    setError(null);
    setProgress(null);
    const args: StartExportArgs =
      scope === 'incident'
        ? { format, incidentId }
        : scope === 'range'
          ? {
              format,
              ...(localToIso(from) ? { from: localToIso(from)! } : {}),
              ...(localToIso(to) ? { to: localToIso(to)! } : {}),
            }
          : { format };
    const r = await consoleApi.startExport(args);
    if (!r.ok) return setError(r.error);
    exportId.current = r.value.exportId;
    setProgress(
      latest.current.get(r.value.exportId) ?? {
        exportId: r.value.exportId,
        format,
        state: 'running',
        bytes: 0,
        done: 0,
        total: null,
        unit: format === 'pdf' ? 'pages' : 'entries',
        file: r.value.file,
        error: null,
      },
    );
  };

  const cancel = () => {
    if (exportId.current) void consoleApi?.cancelExport({ exportId: exportId.current });
  };
  const close = () => {
    if (running) cancel();
    onClose();
  };
  const canStart =
    !running && (scope !== 'incident' || incidentId !== '') && (scope !== 'range' || from !== '' || to !== '');
  const percent =
    progress && progress.total ? Math.round((100 * Math.min(progress.done, progress.total)) / progress.total) : null;

  return (
    <div className="wf-overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <form
        className="wf-dialog wf-export"
        role="dialog"
        aria-modal="true"
        aria-labelledby="wf-export-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (canStart) void start();
        }}
        onKeyDown={(e) => dialogKeys(close)(e)}
      >
        <h2 id="wf-export-title" className="wf-dialog__title">
          {t('export.title')}
        </h2>
        <p className="wf-muted">{t('export.intro')}</p>
        <fieldset className="wf-export__group" disabled={running}>
          <legend>{t('export.format')}</legend>
          {(['pdf', 'csv', 'json'] as const).map((fmt) => (
            <label key={fmt} className="wf-export__choice">
              <input type="radio" name="format" checked={format === fmt} onChange={() => setFormat(fmt)} />
              {t(`export.formats.${fmt}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="wf-export__group" disabled={running}>
          <legend>{t('export.scope')}</legend>
          <label className="wf-export__choice">
            <input type="radio" name="scope" checked={scope === 'incident'} onChange={() => setScope('incident')} />
            {t('export.scopes.incident')}
          </label>
          {scope === 'incident' && (
            <select
              className="wf-select"
              aria-label={t('export.incident')}
              value={incidentId}
              onChange={(e) => setIncidentId(e.target.value)}
            >
              {incidents.length === 0 && <option value="">{t('export.noIncidents')}</option>}
              {incidents.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.number} {i.title}
                </option>
              ))}
            </select>
          )}
          <label className="wf-export__choice">
            <input type="radio" name="scope" checked={scope === 'range'} onChange={() => setScope('range')} />
            {t('export.scopes.range')}
          </label>
          {scope === 'range' && (
            <div className="wf-form__row">
              <label className="wf-form__field">
                <span>{t('export.from')}</span>
                <input
                  className="wf-input"
                  type="datetime-local"
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                />
              </label>
              <label className="wf-form__field">
                <span>{t('export.to')}</span>
                <input className="wf-input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
              </label>
            </div>
          )}
          <label className="wf-export__choice">
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
            {t('export.scopes.all')}
          </label>
        </fieldset>

        {progress && (
          <div className="wf-export__progress" aria-live="polite">
            <progress aria-label={t('export.progress')} max={100} {...(percent !== null ? { value: percent } : {})} />
            <p className="wf-export__status" data-state={progress.state}>
              {progress.state === 'running' &&
                (progress.total !== null
                  ? t(`export.running.${progress.unit}`, {
                      done: f.number(progress.done),
                      total: f.number(progress.total),
                    })
                  : t('export.starting'))}
              {progress.state === 'done' && t('export.done', { file: progress.file })}
              {progress.state === 'cancelled' && t('export.cancelled')}
              {progress.state === 'failed' && progress.error && (
                <ErrorSentence error={progress.error as AppError} prefix={t('export.failed')} />
              )}
            </p>
            {progress.state === 'done' && <code className="wf-export__file">{progress.file}</code>}
          </div>
        )}
        {error && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={error} prefix={t('export.failed')} />
          </p>
        )}
        <div className="wf-dialog__actions">
          {running ? (
            <button type="button" className="wf-button" onClick={cancel}>
              {t('export.cancel')}
            </button>
          ) : (
            <button type="button" className="wf-button" onClick={close}>
              {t('export.close')}
            </button>
          )}
          <button type="submit" className="wf-button wf-button--primary" disabled={!canStart}>
            {t('export.start')}
          </button>
        </div>
      </form>
    </div>
  );
}
