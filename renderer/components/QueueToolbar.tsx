import { useTranslation } from 'react-i18next';
import { CapSeverity } from '../../shared/domain/cap';
import { selectThreadIds, selectVisibleAlertIds } from '../state/alerts';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { layoutChosen, selectQueueLayout, selectThreadView, threadViewChanged } from '../state/queue';
import {
  actualToggled,
  filterTextChanged,
  filtersCleared,
  nonActualToggled,
  selectFilter,
  severityToggled,
} from '../state/ui';
import { FILTER_INPUT_ID, QUEUE_LIST_ID } from './shortcuts';

const severities = CapSeverity.options;

export function QueueToolbar() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const filter = useAppSelector(selectFilter);
  const shown = useAppSelector((s) => selectVisibleAlertIds(s).length);
  const total = useAppSelector((s) => selectThreadIds(s).length);
  const threadView = useAppSelector(selectThreadView);
  const layout = useAppSelector(selectQueueLayout);
  const filtered =
    filter.text !== '' || filter.hiddenSeverities.length > 0 || !filter.showActual || !filter.showNonActual;

  return (
    <div className="wf-queue__toolbar">
      <input
        id={FILTER_INPUT_ID}
        className="wf-filter"
        type="search"
        aria-label={t('queue.filter')}
        placeholder={t('queue.filterPlaceholder')}
        value={filter.text}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => dispatch(filterTextChanged(e.target.value))}
        onKeyDown={(e) => {
          // Escape leaves the filter and returns to the list; ArrowDown too, like a combobox.
          if (e.key === 'Escape' || e.key === 'ArrowDown' || e.key === 'Enter') {
            if (e.key === 'Escape' && filter.text !== '') dispatch(filterTextChanged(''));
            e.preventDefault();
            document.getElementById(QUEUE_LIST_ID)?.focus();
          }
        }}
      />
      <div className="wf-toggles">
        <div className="wf-toggle-group" role="group" aria-label={t('queue.threadGroup')}>
          {(['active', 'closed'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className="wf-toggle wf-toggle--segment"
              aria-pressed={threadView === v}
              onClick={() => dispatch(threadViewChanged(v))}
            >
              {t(`queue.thread.${v}`)}
            </button>
          ))}
        </div>
        <div className="wf-toggle-group" role="group" aria-label={t('queue.layoutGroup')}>
          {(['list', 'grouped'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className="wf-toggle wf-toggle--segment"
              aria-pressed={layout === v}
              onClick={() => dispatch(layoutChosen(v))}
            >
              {t(`queue.layout.${v}`)}
            </button>
          ))}
        </div>
        <div className="wf-toggle-group" role="group" aria-label={t('queue.severityGroup')}>
          {severities.map((sev) => (
            <button
              key={sev}
              type="button"
              className={`wf-toggle wf-toggle--sev wf-sev-${sev}`}
              aria-pressed={!filter.hiddenSeverities.includes(sev)}
              onClick={() => dispatch(severityToggled(sev))}
            >
              {t(`cap.severity.${sev}`)}
            </button>
          ))}
        </div>
        <div className="wf-toggle-group" role="group" aria-label={t('queue.statusGroup')}>
          <button
            type="button"
            className="wf-toggle"
            aria-pressed={filter.showActual}
            onClick={() => dispatch(actualToggled())}
          >
            {t('queue.showActual')}
          </button>
          <button
            type="button"
            className="wf-toggle wf-toggle--exercise"
            aria-pressed={filter.showNonActual}
            onClick={() => dispatch(nonActualToggled())}
          >
            {t('queue.showNonActual')}
          </button>
        </div>
      </div>
      <div className="wf-queue__count">
        <span>{t(threadView === 'closed' ? 'queue.countClosed' : 'queue.count', { shown, total })}</span>
        {filtered && (
          <button type="button" className="wf-link-button" onClick={() => dispatch(filtersCleared())}>
            {t('queue.clear')}
          </button>
        )}
      </div>
    </div>
  );
}
