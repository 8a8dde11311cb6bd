import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TelemetryRules } from '../../shared/telemetry/api';
import { ruleSetKey } from '../../shared/telemetry/rules/edits';
import type { RuleSet } from '../../shared/telemetry/rules/schema';
import { SENSOR_UNITS } from '../../shared/telemetry/sensors';
import type { AppError } from '../../shared/errors';
import { consoleApi } from '../api';
import { dialogKeys } from '../components/dialogKeys';
import { ErrorSentence } from '../components/ErrorSentence';
import { useFormats } from '../format';
import { useAppDispatch, useAppSelector } from '../state/hooks';
import type { DeepReadonly } from '../state/readonly';
import { rulesEditorToggled, rulesLoaded } from '../state/telemetryRules';
import {
  changedFields,
  checkForm,
  fieldOfProblem,
  formOf,
  OPTIONAL_FIELDS,
  type EditableField,
  type Problem,
  type RuleForm,
} from './ruleForm';
import './rulesEditor.css';

type Entry = DeepReadonly<TelemetryRules['ruleSets'][number]>;

/** Fields shown in one row each: the levels first, then the rules that can be switched off, then health. */
const GROUPS: readonly { key: string; fields: readonly EditableField[] }[] = [
  { key: 'levels', fields: ['warning.enter', 'warning.clear', 'alarm.enter', 'alarm.clear'] },
  { key: 'trend', fields: ['rate.perMinute', 'prediction.horizonMinutes'] },
  {
    key: 'health',
    fields: [
      'health.noiseFloor',
      'health.frozenSamples',
      'health.spike.madK',
      'health.spike.count',
      'health.missingAfterMinutes',
    ],
  },
];
const LEVEL_FIELDS: ReadonlySet<EditableField> = new Set([
  'warning.enter',
  'warning.clear',
  'alarm.enter',
  'alarm.clear',
]);

const fieldKey = (field: string): string => field.replace(/\./g, '_');

/**
 * The supervisors' telemetry rules editor (issue 9, decision 0034): a button beside the export
 * and the audit trail and the command bar's `rules` open it. Hidden for duty officers; their
 * console refuses the edit, and the hub refuses it again.
 */
export function TelemetryRulesControl() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const role = useAppSelector((s) => s.connection.status?.officer?.role ?? null);
  const open = useAppSelector((s) => s.telemetryRules.editorOpen);
  if (role !== 'supervisor') return null;
  return (
    <>
      <button type="button" className="wf-button wf-button--small" onClick={() => dispatch(rulesEditorToggled(true))}>
        {t('telemetryRules.button')}
      </button>
      {open && <RulesEditor onClose={() => dispatch(rulesEditorToggled(false))} />}
    </>
  );
}

function RulesEditor({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const rules = useAppSelector((s) => s.telemetryRules.rules);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // Closed (Escape, the button, a click outside), focus goes back to what opened it.
  useEffect(() => {
    const back = document.activeElement;
    return () => {
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, []);

  // Read on open and after each save; while an edit of this console waits for the hub, read
  // again every 2 s: the change pushes carry the rules too, but they queue behind a busy
  // console's other pushes, and the supervisor should see the confirmation when it happens.
  const [reads, setReads] = useState(0);
  const waiting = rules?.ruleSets.some((r) => r.pending) ?? false;
  useEffect(() => {
    let live = true;
    void consoleApi?.getTelemetryRules().then((r) => {
      if (!live) return;
      if (r.ok) {
        dispatch(rulesLoaded(r.value));
        setLoadError(null);
      } else setLoadError(r.error);
    });
    return () => {
      live = false;
    };
  }, [dispatch, reads]);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setReads((n) => n + 1), 2_000);
    return () => clearTimeout(timer);
  }, [waiting, reads]);
  const loaded = rules !== null;
  useEffect(() => {
    if (loaded) listRef.current?.focus();
  }, [loaded]);

  const entries: readonly Entry[] = rules?.ruleSets ?? [];
  const current = entries.find((e) => ruleSetKey(e.ruleSet) === selected) ?? entries[0] ?? null;
  const currentKey = current ? ruleSetKey(current.ruleSet) : null;

  const move = (e: KeyboardEvent) => {
    if (!entries.length || !currentKey) return;
    const i = entries.findIndex((x) => ruleSetKey(x.ruleSet) === currentKey);
    const next =
      e.key === 'ArrowDown'
        ? Math.min(entries.length - 1, i + 1)
        : e.key === 'ArrowUp'
          ? Math.max(0, i - 1)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? entries.length - 1
              : null;
    if (next === null) return;
    e.preventDefault();
    setSelected(ruleSetKey(entries[next]!.ruleSet));
  };

  return (
    <div className="wf-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <section
        className="wf-dialog wf-rules"
        role="dialog"
        aria-modal="true"
        aria-labelledby="wf-rules-title"
        onKeyDown={dialogKeys(onClose)}
      >
        <h2 id="wf-rules-title" className="wf-dialog__title">
          {t('telemetryRules.title')}
        </h2>
        <p className="wf-muted">{t('telemetryRules.intro')}</p>
        {loadError && (
          <p className="wf-error" role="alert">
            <ErrorSentence error={loadError} />
          </p>
        )}
        {rules?.refusedFiles?.map((r) => (
          <p key={r.file} className="wf-error" role="alert">
            {t('telemetryRules.refusedFile', { file: r.file, code: r.code, message: r.message })}
          </p>
        ))}
        <div className="wf-rules__body">
          <ul
            ref={listRef}
            className="wf-rules__list"
            role="listbox"
            aria-label={t('telemetryRules.listLabel')}
            tabIndex={0}
            aria-activedescendant={currentKey ? `wf-rules-${currentKey}` : undefined}
            onKeyDown={move}
          >
            {entries.map((e) => {
              const key = ruleSetKey(e.ruleSet);
              return (
                <li
                  key={key}
                  id={`wf-rules-${key}`}
                  role="option"
                  aria-selected={key === currentKey}
                  className="wf-rules__option"
                  onClick={() => setSelected(key)}
                >
                  <span>{setLabel(t, e.ruleSet)}</span>
                  <span className={`wf-rules__source wf-rules__source--${e.pending ? 'pending' : e.source}`}>
                    {e.pending ? t('telemetryRules.source.pendingShort') : t(`telemetryRules.source.${e.source}Short`)}
                  </span>
                </li>
              );
            })}
          </ul>
          {current && (
            <RuleSetForm key={currentKey} entry={current} onClose={onClose} onSaved={() => setReads((n) => n + 1)} />
          )}
        </div>
      </section>
    </div>
  );
}

function setLabel(t: (key: string, options?: Record<string, unknown>) => string, r: DeepReadonly<RuleSet>): string {
  const kind = t(`map.assetKind.${r.assetKind}`, { defaultValue: r.assetKind });
  return r.namePrefix ? t('telemetryRules.withPrefix', { kind, prefix: r.namePrefix }) : kind;
}

function RuleSetForm({ entry, onClose, onSaved }: { entry: Entry; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const f = useFormats();
  const original = entry.ruleSet as RuleSet;
  const [form, setForm] = useState<RuleForm>(() => formOf(original));
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; error: AppError } | null>(null);
  const [saving, setSaving] = useState(false);
  const checked = useMemo(() => checkForm(original, form), [original, form]);
  const changes = useMemo(
    () => (checked.ruleSet ? changedFields(original, checked.ruleSet) : []),
    [original, checked.ruleSet],
  );
  // An edit confirmed (or arriving from another console) is the new starting point.
  const lastSeen = useRef(original);
  useEffect(() => {
    if (lastSeen.current !== original) {
      lastSeen.current = original;
      setForm(formOf(original));
    }
  }, [original]);

  const reasonMissing = reason.trim() === '';
  const canSave = checked.ruleSet !== null && changes.length > 0 && !reasonMissing && !saving;

  const save = () => {
    if (!canSave || !checked.ruleSet || !consoleApi) return;
    setSaving(true);
    void consoleApi
      .setTelemetryRule({ ruleSet: checked.ruleSet, reason: reason.trim() })
      // a rejected call (the host gone) must not leave the form saving for ever
      .catch((err: unknown) => ({
        ok: false as const,
        error: { code: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) },
      }))
      .then((r) => {
        setSaving(false);
        if (r.ok) {
          setReason('');
          setOutcome({ ok: true });
          onSaved();
        } else setOutcome({ ok: false, error: r.error });
      });
  };

  const setField = (sensorIndex: number, field: EditableField, value: string) => {
    setOutcome(null);
    setForm((old) => ({
      sensors: old.sensors.map((s, i) => (i === sensorIndex ? { ...s, [field]: value } : s)),
    }));
  };

  const problemText = (p: Problem) =>
    t('telemetryRules.problem', {
      field: t(`telemetryRules.fields.${fieldKey(p.field)}`, { defaultValue: p.field }),
      reason: t(`telemetryRules.errors.${p.reason}`, p.values),
    });

  return (
    <form
      className="wf-rules__form"
      aria-label={setLabel(t, original)}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={dialogKeys(onClose, save)}
    >
      <h3 className="wf-rules__heading">{setLabel(t, original)}</h3>
      {original.description && <p className="wf-muted">{original.description}</p>}
      <p className="wf-rules__provenance" data-testid="rules-source">
        {entry.pending
          ? t('telemetryRules.source.pending')
          : entry.source === 'edited'
            ? t('telemetryRules.source.edited', {
                who: entry.updatedBy ?? '',
                when: f.dateTime(entry.updatedAt),
                reason: entry.reason ?? '',
              })
            : t('telemetryRules.source.bundled')}
      </p>
      {original.sensors.map((rule, sensorIndex) => {
        const sensorForm = form.sensors[sensorIndex]!;
        const problems = checked.problems.filter((p) => p.sensorIndex === sensorIndex);
        const unit = SENSOR_UNITS[rule.sensor];
        const sensorName = t(`telemetry.sensor.${rule.sensor}`, { defaultValue: rule.sensor });
        return (
          <fieldset key={rule.sensor} className="wf-rules__sensor">
            <legend>
              {sensorName}{' '}
              <span className="wf-muted">
                {t(`telemetryRules.direction.${rule.direction}`)} · {unit}
              </span>
            </legend>
            {GROUPS.map((group) => (
              <div
                key={group.key}
                className="wf-rules__row"
                role="group"
                aria-label={`${sensorName}: ${t(`telemetryRules.groups.${group.key}`)}`}
              >
                {group.fields.map((field) => {
                  const id = `wf-rules-${rule.sensor}-${fieldKey(field)}`;
                  const mine = problems.filter((p) => fieldOfProblem(p) === field);
                  return (
                    <label key={field} className="wf-form__field wf-rules__field">
                      <span>
                        {t(`telemetryRules.fields.${fieldKey(field)}`)}
                        {LEVEL_FIELDS.has(field) ? ` (${unit})` : ''}
                        {OPTIONAL_FIELDS.has(field) ? ` · ${t('telemetryRules.optional')}` : ''}
                      </span>
                      <input
                        id={id}
                        className="wf-input"
                        inputMode="decimal"
                        autoComplete="off"
                        value={sensorForm[field]}
                        aria-invalid={mine.length > 0}
                        aria-describedby={mine.length > 0 ? `${id}-problem` : undefined}
                        onChange={(e) => setField(sensorIndex, field, e.target.value)}
                      />
                      {mine.length > 0 && (
                        <span id={`${id}-problem`} className="wf-rules__problem">
                          {mine.map((p) => t(`telemetryRules.errors.${p.reason}`, p.values)).join(' ')}
                        </span>
                      )}
                    </label>
                  );
                })}
              </div>
            ))}
            {problems.length > 0 && (
              <ul
                className="wf-rules__problems"
                role="alert"
                aria-label={t('telemetryRules.problemsLabel', { sensor: sensorName })}
              >
                {problems.map((p, i) => (
                  <li key={i}>{problemText(p)}</li>
                ))}
              </ul>
            )}
          </fieldset>
        );
      })}
      {changes.length > 0 && (
        <div className="wf-rules__changes" aria-label={t('telemetryRules.changesLabel')} role="region">
          <strong>{t('telemetryRules.changesLabel')}</strong>
          <ul>
            {changes.map((c) => (
              <li key={`${c.sensorIndex}/${c.field}`}>
                {t('telemetryRules.change', {
                  sensor: t(`telemetry.sensor.${original.sensors[c.sensorIndex]!.sensor}`, {
                    defaultValue: original.sensors[c.sensorIndex]!.sensor,
                  }),
                  field: t(`telemetryRules.fields.${fieldKey(c.field)}`),
                  from: c.from === '' ? t('telemetryRules.none') : c.from,
                  to: c.to === '' ? t('telemetryRules.none') : c.to,
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      <label className="wf-form__field">
        <span>{t('telemetryRules.reason')}</span>
        <textarea
          className="wf-input wf-rules__reason"
          rows={2}
          maxLength={2_000}
          value={reason}
          aria-required="true"
          placeholder={t('telemetryRules.reasonPlaceholder')}
          onChange={(e) => {
            setOutcome(null);
            setReason(e.target.value);
          }}
        />
      </label>
      <p className="wf-muted" aria-live="polite">
        {checked.problems.length > 0
          ? t('telemetryRules.fixFirst', { count: checked.problems.length })
          : changes.length === 0
            ? t('telemetryRules.noChanges')
            : reasonMissing
              ? t('telemetryRules.needReason')
              : t('telemetryRules.ready')}
      </p>
      {outcome && (
        <p className={outcome.ok ? 'wf-rules__saved' : 'wf-error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.ok ? t('telemetryRules.saved') : <ErrorSentence error={outcome.error} />}
        </p>
      )}
      <div className="wf-dialog__actions">
        <button type="button" className="wf-button" onClick={onClose}>
          {t('telemetryRules.close')}
        </button>
        <button type="submit" className="wf-button wf-button--primary" disabled={!canSave}>
          {t('telemetryRules.save')}
        </button>
      </div>
    </form>
  );
}
