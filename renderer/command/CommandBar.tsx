import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatchRefusal } from '../../shared/domain/statusMachines';
import { ErrorSentence } from '../components/ErrorSentence';
import { useAppDispatch, useAppSelector, useAppStore } from '../state/hooks';
import {
  incidentLabel,
  makeSelectChecklist,
  selectAllIncidents,
  selectIncidentByNumber,
  selectIncidentEntities,
} from '../state/incidents';
import type { RootState } from '../state/store';
import { selectUnitEntities, selectUnitIds } from '../state/units';
import { commandClosed, selectWorkspace } from '../state/workspace';
import { executeCommand, type CommandOutcome } from './execute';
import { parseCommand, suggestCommands, unitStatusPath, type Command, type CommandContext } from './parse';

const EMPTY: readonly string[] = [];

function useCommandContext(): CommandContext {
  const unitIds = useAppSelector(selectUnitIds) as readonly string[];
  const incidents = useAppSelector(selectAllIncidents);
  const selectedId = useAppSelector((s) => s.incidents.selectedId);
  const selectChecklist = useMemo(() => makeSelectChecklist(), []);
  const steps = useAppSelector((s) => (selectedId ? selectChecklist(s, selectedId) : null));
  return useMemo(
    () => ({
      unitIds,
      incidentNumbers: incidents.flatMap((i) => (i.number && i.status !== 'closed' ? [i.number] : [])),
      stepIds: steps ? steps.map((s) => s.stepId) : EMPTY,
    }),
    [unitIds, incidents, steps],
  );
}

/** What the command will do, in words, and what the console already knows will be refused. */
function Preview({ command }: { command: Command }) {
  const { t } = useTranslation();
  const preview = useAppSelector((s) => describe(s, command, t));
  return (
    <div className="wf-command__preview">
      <span>{preview.text}</span>
      {preview.refusals.map((r) => (
        <span key={r} className="wf-command__warning">
          {r}
        </span>
      ))}
    </div>
  );
}

function describe(
  s: RootState,
  command: Command,
  t: (key: string, values?: Record<string, unknown>) => string,
): { text: string; refusals: string[] } {
  const selected = s.incidents.selectedId ? selectIncidentEntities(s)[s.incidents.selectedId] : undefined;
  const target = (n: string | null) => n ?? (selected ? incidentLabel(selected) : t('command.selectedIncident'));
  switch (command.kind) {
    case 'dispatch': {
      const incident = command.incident ? selectIncidentByNumber(s).get(command.incident) : selected;
      const refusals: string[] = [];
      if (incident) {
        for (const id of command.unitIds) {
          const unit = selectUnitEntities(s)[id];
          if (!unit) continue;
          const holder = unit.incidentId ? selectIncidentEntities(s)[unit.incidentId] : undefined;
          const r = dispatchRefusal({ ...unit, incidentNumber: holder?.number ?? null }, incident, command.reassign);
          if (r) refusals.push(r.message);
        }
      }
      return {
        text: t(command.reassign ? 'command.preview.reassign' : 'command.preview.dispatch', {
          units: command.unitIds.join(', '),
          incident: target(command.incident),
        }),
        refusals,
      };
    }
    case 'release': {
      const unit = selectUnitEntities(s)[command.unitId];
      const incident = unit?.incidentId ? selectIncidentEntities(s)[unit.incidentId] : undefined;
      return {
        text: t('command.preview.release', {
          unit: command.unitId,
          incident: incident ? incidentLabel(incident) : '—',
        }),
        refusals: [],
      };
    }
    case 'unitStatus': {
      const unit = selectUnitEntities(s)[command.unitId];
      const path = unit ? unitStatusPath(unit.status, command.status) : [];
      const steps = unit ? [unit.status, ...(path.length ? path : [command.status])] : [command.status];
      return {
        text: t('command.preview.unitStatus', {
          unit: command.unitId,
          path: steps.map((st) => t(`response.unitStatus.${st}`)).join(' → '),
        }),
        refusals: [],
      };
    }
    case 'incidentStatus':
      return {
        text: t('command.preview.incidentStatus', {
          incident: target(command.incident),
          status: t(`response.incidentStatus.${command.status}`),
        }),
        refusals: [],
      };
    case 'ack':
      return { text: t('command.preview.ack'), refusals: [] };
    case 'log':
      return {
        text: t('command.preview.log', {
          target: selected ? incidentLabel(selected) : t('command.noIncident'),
        }),
        refusals: [],
      };
    case 'openIncident':
      return { text: t('command.preview.openIncident'), refusals: [] };
    case 'step':
      return {
        text: t('command.preview.step', { step: command.step, state: t(`checklist.state.${command.state}`) }),
        refusals: [],
      };
    case 'show':
      return { text: t('command.preview.show', { incident: command.incident }), refusals: [] };
    case 'board':
      return { text: t('command.preview.board', { board: t(`boards.${command.board}`) }), refusals: [] };
    case 'help':
      return { text: t('command.preview.help'), refusals: [] };
    case 'audit':
      return {
        text: t('auditView.preview'),
        refusals: s.connection.status?.officer?.role === 'supervisor' ? [] : [t('auditView.supervisorOnly')],
      };
    case 'rules':
      return {
        text: t('telemetryRules.preview'),
        refusals: s.connection.status?.officer?.role === 'supervisor' ? [] : [t('telemetryRules.supervisorOnly')],
      };
    case 'mute':
      return { text: t(command.muted ? 'desktop2.command.mute' : 'desktop2.command.unmute'), refusals: [] };
    case 'popout':
      return {
        text: t('desktop2.command.popout', { panel: t(`desktop2.popout.panel.${command.panel}`) }),
        refusals: [],
      };
  }
}

/**
 * Ctrl+K: one line that reaches every main action. Tab (or →) takes the highlighted
 * completion, ↑ ↓ move through them, Enter runs the line, Escape closes.
 */
export function CommandBar() {
  const { commandOpen, commandSeed } = useAppSelector(selectWorkspace);
  // Mounted while open: each opening (or a new pre-filled text) starts a fresh line.
  return commandOpen ? <OpenCommandBar key={commandSeed} seed={commandSeed} /> : null;
}

function OpenCommandBar({ seed }: { seed: string }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const store = useAppStore();
  const ctx = useCommandContext();
  const [text, setText] = useState(seed);
  const [active, setActive] = useState(-1);
  const [outcome, setOutcome] = useState<CommandOutcome | null>(null);
  const [running, setRunning] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const restoreFocus = useRef<Element | null>(null);
  const listId = useId();

  useEffect(() => {
    restoreFocus.current = document.activeElement;
    inputRef.current?.focus();
    return () => {
      if (restoreFocus.current instanceof HTMLElement && restoreFocus.current.isConnected) restoreFocus.current.focus();
    };
  }, []);

  const suggestions = useMemo(() => suggestCommands(text, ctx), [text, ctx]);
  const parsed = useMemo(() => parseCommand(text, ctx), [text, ctx]);

  const close = () => dispatch(commandClosed());
  const accept = (i: number) => {
    const s = suggestions[i];
    if (s === undefined) return false;
    setText(s);
    setActive(-1);
    setOutcome(null);
    return true;
  };
  const run = async () => {
    if (!parsed.ok) {
      setOutcome({ ok: false, key: parsed.error.key, ...(parsed.error.values ? { values: parsed.error.values } : {}) });
      return;
    }
    setRunning(true);
    const result = await dispatch(executeCommand(parsed.command));
    setRunning(false);
    if (result.ok) {
      // The help overlay and the new-incident form take over from the bar.
      if (store.getState().workspace.commandOpen) close();
    } else setOutcome(result);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (suggestions.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      // -1 is the typed line itself; the list wraps through it.
      setActive((i) => {
        const next = i + step;
        return next < -1 ? suggestions.length - 1 : next >= suggestions.length ? -1 : next;
      });
    } else if (e.key === 'Tab' || (e.key === 'ArrowRight' && e.currentTarget.selectionStart === text.length)) {
      if (suggestions.length > 0) {
        e.preventDefault();
        accept(active >= 0 ? active : 0);
      } else if (e.key === 'Tab') e.preventDefault();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && accept(active)) return;
      if (!running) void run();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  const activeId = active >= 0 && active < suggestions.length ? `${listId}-${active}` : undefined;
  return (
    <div className="wf-overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="wf-command" role="dialog" aria-modal="true" aria-label={t('command.label')}>
        <div className="wf-command__row">
          <span className="wf-command__prompt" aria-hidden="true">
            ›
          </span>
          <input
            ref={inputRef}
            className="wf-command__input"
            role="combobox"
            aria-label={t('command.label')}
            aria-expanded={suggestions.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeId}
            autoComplete="off"
            spellCheck={false}
            placeholder={t('command.placeholder')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setActive(-1);
              setOutcome(null);
            }}
            onKeyDown={onKeyDown}
          />
          <kbd className="wf-kbd">Esc</kbd>
        </div>
        {parsed.ok ? (
          <Preview command={parsed.command} />
        ) : (
          text.trim() !== '' && (
            <div className="wf-command__preview wf-muted">
              {t(`command.error.${parsed.error.key}`, parsed.error.values)}
            </div>
          )
        )}
        {outcome && !outcome.ok && (
          <div className="wf-command__error" role="alert">
            {'error' in outcome ? (
              <ErrorSentence error={outcome.error} prefix={t('command.refused')} />
            ) : (
              t(`command.error.${outcome.key}`, outcome.values)
            )}
          </div>
        )}
        <ul id={listId} className="wf-command__list" role="listbox" aria-label={t('command.suggestions')}>
          {suggestions.map((s, i) => (
            <li
              key={s}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`wf-command__option ${i === active ? 'wf-command__option--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(i);
                inputRef.current?.focus();
              }}
            >
              <span className="wf-mono">{s}</span>
            </li>
          ))}
        </ul>
        <p className="wf-command__hint">{t('command.hint')}</p>
      </div>
    </div>
  );
}
