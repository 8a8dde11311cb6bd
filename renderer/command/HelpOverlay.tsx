import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import { helpToggled } from '../state/workspace';
import { shortcutList } from './shortcuts';

const examples = [
  'dispatch E12 INC-0042',
  'dispatch E1 A2 WC1',
  'reassign E12 INC-0042',
  'status E12 onscene',
  'status INC-0042 active',
  'release E12',
  'close INC-0042',
  'step 2 done',
  'log Road closed at both ends',
  'open incident',
  'ack',
] as const;

/** `?` or F1: every shortcut and the command bar's language, on one screen. */
export function HelpOverlay() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const open = useAppSelector((s) => s.workspace.helpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  if (!open) return null;
  const close = () => dispatch(helpToggled(false));
  return (
    <div className="wf-overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="wf-help"
        role="dialog"
        aria-modal="true"
        aria-label={t('help.title')}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            close();
          }
        }}
      >
        <header className="wf-help__head">
          <h2>{t('help.title')}</h2>
          <button ref={closeRef} type="button" className="wf-button" onClick={close}>
            {t('help.close')}
          </button>
        </header>
        <div className="wf-help__cols">
          <section aria-label={t('help.keysTitle')}>
            <h3>{t('help.keysTitle')}</h3>
            <dl className="wf-help__list">
              {shortcutList.map(([keys, what]) => (
                <div key={keys} className="wf-help__item">
                  <dt>
                    <kbd className="wf-kbd">{keys}</kbd>
                  </dt>
                  <dd>{t(what)}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section aria-label={t('help.commandsTitle')}>
            <h3>{t('help.commandsTitle')}</h3>
            <ul className="wf-help__examples">
              {examples.map((ex) => (
                <li key={ex}>
                  <code className="wf-mono">{ex}</code>
                </li>
              ))}
            </ul>
            <p className="wf-muted">{t('help.commandsNote')}</p>
          </section>
        </div>
      </div>
    </div>
  );
}
