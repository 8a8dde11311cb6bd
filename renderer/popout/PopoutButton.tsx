import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopoutPanel } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import { consoleApi } from '../api';
import { windowRole } from './route';

/** Ask the shell for a window showing `panel` (it focuses the one already open). */
export async function openPopout(panel: PopoutPanel): Promise<AppError | null> {
  if (!consoleApi) return { code: 'INTERNAL', message: 'This window is not connected to the console host.' };
  try {
    const result = await consoleApi.openPopout({ panel });
    return result.ok ? null : result.error;
  } catch (err) {
    return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
  }
}

/** "Pop out": the panel in a window of its own, for another monitor. Not shown inside that pop-out. */
export function PopoutButton({ panel, className = '' }: { panel: PopoutPanel; className?: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<AppError | null>(null);
  const role = windowRole();
  if (role.kind === 'popout' && role.panel === panel) return null;
  const name = t(`desktop2.popout.panel.${panel}`);
  return (
    <>
      <button
        type="button"
        className={`wf-popout-button ${className}`}
        title={t('desktop2.popout.hint', { panel: name })}
        aria-label={t('desktop2.popout.hint', { panel: name })}
        data-popout={panel}
        onClick={() => {
          setError(null);
          void openPopout(panel).then(setError);
        }}
      >
        {t('desktop2.popout.button')} ↗
      </button>
      {error && (
        <span className="wf-popout-button__error" role="alert">
          {t('desktop2.popout.failed', { reason: error.message })}
        </span>
      )}
    </>
  );
}
