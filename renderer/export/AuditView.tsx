import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { consoleApi } from '../api';
import { useFormats } from '../format';
import { changesReceived } from '../state/actions';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { auditViewToggled } from '../state/workspace';
import { selectAuditRows } from './auditEntries';
import './auditView.css';
import { dialogKeys } from '../components/dialogKeys';

/**
 * The audit trail for supervisors (issue 6): a button beside the export and, from it or the
 * command bar's `audit`, a read-only list of the audit events on this console's copy of the
 * hub's log, newest first. Hidden for officers; the hub refuses them GET /audit as well.
 */
export function AuditViewControl() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const role = useAppSelector((s) => s.connection.status?.officer?.role ?? null);
  const open = useAppSelector((s) => s.workspace.auditViewOpen);
  if (role !== 'supervisor') return null;
  return (
    <>
      <button type="button" className="wf-button wf-button--small" onClick={() => dispatch(auditViewToggled(true))}>
        {t('auditView.button')}
      </button>
      {open && <AuditView onClose={() => dispatch(auditViewToggled(false))} />}
    </>
  );
}

function AuditView({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormats();
  const rows = useAppSelector(selectAuditRows);
  const dispatch = useAppDispatch();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  // The store holds the log of incidents opened here and what was pushed since start: read the
  // replica's audit entries too, of every incident (a refused close is filed under its incident)
  // and of none (sign-ins, exports).
  useEffect(() => {
    let live = true;
    void consoleApi?.getActivityLog({ audit: true, limit: 2_000 }).then((r) => {
      if (live && r.ok) dispatch(changesReceived({ alerts: [], assets: [], logEntries: r.value }));
    });
    return () => {
      live = false;
    };
  }, [dispatch]);

  return (
    <div className="wf-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <section
        className="wf-dialog wf-audit"
        role="dialog"
        aria-modal="true"
        aria-labelledby="wf-audit-title"
        onKeyDown={dialogKeys(onClose)}
      >
        <h2 id="wf-audit-title" className="wf-dialog__title">
          {t('auditView.title')}
        </h2>
        <p className="wf-muted">{t('auditView.intro')}</p>
        {rows.length === 0 ? (
          <p className="wf-muted">{t('auditView.empty')}</p>
        ) : (
          <div className="wf-audit__scroll">
            <table className="wf-table wf-audit__table">
              <thead>
                <tr>
                  <th scope="col">{t('auditView.columns.time')}</th>
                  <th scope="col">{t('auditView.columns.kind')}</th>
                  <th scope="col">{t('auditView.columns.officer')}</th>
                  <th scope="col">{t('auditView.columns.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} data-kind={r.kind}>
                    <td>
                      <time dateTime={r.at}>{f.dateTime(r.at)}</time>
                    </td>
                    <td>{t(`auditView.kinds.${r.kind}`, { defaultValue: r.kind })}</td>
                    <td>{r.position ? `${r.officer} (${r.position})` : r.officer}</td>
                    <td className="wf-audit__detail">{r.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="wf-dialog__actions">
          <button ref={closeRef} type="button" className="wf-button" onClick={onClose}>
            {t('auditView.close')}
          </button>
        </div>
      </section>
    </div>
  );
}
