import { RuleSet, type SensorRule } from '../../shared/telemetry/rules/schema';
import { describeRuleChange } from '../../shared/telemetry/rules/edits';

/**
 * The rules editor's form, kept apart from React so it can be tested as it is (issue 9,
 * decision 0034). Every editable setting is a text field; the candidate rule set is built
 * from the fields and parsed with the same zod schema the worker and the hub use, so the
 * editor refuses exactly what they would, and names the field and why.
 */

/** The settings a supervisor edits, as paths inside a sensor rule; the others are kept as they were. */
export const EDITABLE_FIELDS = [
  'warning.enter',
  'warning.clear',
  'alarm.enter',
  'alarm.clear',
  'rate.perMinute',
  'prediction.horizonMinutes',
  'health.noiseFloor',
  'health.frozenSamples',
  'health.spike.madK',
  'health.spike.count',
  'health.missingAfterMinutes',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** Left empty, these switch their rule off (no rate rule, no prediction, no frozen check). */
export const OPTIONAL_FIELDS: ReadonlySet<EditableField> = new Set([
  'rate.perMinute',
  'prediction.horizonMinutes',
  'health.frozenSamples',
]);

export type SensorForm = Readonly<Record<EditableField, string>>;
export interface RuleForm {
  readonly sensors: readonly SensorForm[];
}

function get(rule: SensorRule, field: EditableField): number | undefined {
  let v: unknown = rule;
  for (const key of field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? v : undefined;
}

export function formOf(ruleSet: RuleSet): RuleForm {
  return {
    sensors: ruleSet.sensors.map(
      (rule) =>
        Object.fromEntries(
          EDITABLE_FIELDS.map((f) => {
            const v = get(rule, f);
            return [f, v === undefined ? '' : String(v)];
          }),
        ) as SensorForm,
    ),
  };
}

/** "" → absent (optional fields) or NaN (required: the schema then says a number is needed). */
const num = (text: string): number => (text.trim() === '' ? NaN : Number(text.trim()));

/** The rule set the form describes (not yet checked). */
export function candidateOf(original: RuleSet, form: RuleForm): unknown {
  return {
    ...original,
    sensors: original.sensors.map((rule, i) => {
      const f = form.sensors[i];
      if (!f) return rule;
      const opt = (field: EditableField) => (f[field].trim() === '' ? undefined : num(f[field]));
      const rate = opt('rate.perMinute');
      const horizon = opt('prediction.horizonMinutes');
      const frozen = opt('health.frozenSamples');
      const { rate: _rate, prediction: _prediction, ...rest } = rule;
      const { frozenSamples: _frozen, ...health } = rule.health;
      return {
        ...rest,
        warning: { enter: num(f['warning.enter']), clear: num(f['warning.clear']) },
        alarm: { enter: num(f['alarm.enter']), clear: num(f['alarm.clear']) },
        ...(rate !== undefined ? { rate: { perMinute: rate } } : {}),
        ...(horizon !== undefined ? { prediction: { horizonMinutes: horizon } } : {}),
        health: {
          ...health,
          noiseFloor: num(f['health.noiseFloor']),
          ...(frozen !== undefined ? { frozenSamples: frozen } : {}),
          spike: { madK: num(f['health.spike.madK']), count: num(f['health.spike.count']) },
          missingAfterMinutes: num(f['health.missingAfterMinutes']),
        },
      };
    }),
  };
}

/**
 * One problem: which sensor and setting (a level group such as `warning` when the problem
 * is between its two numbers), and why, as an i18n key under telemetryRules.errors with values.
 */
export interface Problem {
  readonly sensorIndex: number | null;
  readonly field: string;
  readonly reason:
    'notNumber' | 'notInteger' | 'tooSmall' | 'mustExceed' | 'tooBig' | 'clearSide' | 'alarmBeyond' | 'other';
  readonly values: Readonly<Record<string, string>>;
}

export interface Checked {
  readonly ruleSet: RuleSet | null;
  readonly problems: readonly Problem[];
  /** the settings that differ from the rule set in force, as the log will name them */
  readonly changes: readonly string[];
}

export function checkForm(original: RuleSet, form: RuleForm): Checked {
  const parsed = RuleSet.safeParse(candidateOf(original, form));
  if (parsed.success) return { ruleSet: parsed.data, problems: [], changes: describeRuleChange(original, parsed.data) };
  const problems = parsed.error.issues.map((issue): Problem => {
    const [head, index, ...rest] = issue.path.map(String);
    const sensorIndex = head === 'sensors' && index !== undefined ? Number(index) : null;
    const field = sensorIndex === null ? issue.path.join('.') : rest.join('.');
    const i = issue as unknown as {
      code: string;
      expected?: string;
      minimum?: unknown;
      maximum?: unknown;
      inclusive?: boolean;
    };
    if (i.code === 'custom')
      return {
        sensorIndex,
        field,
        reason: /beyond the warning/.test(issue.message)
          ? 'alarmBeyond'
          : /safe side/.test(issue.message)
            ? 'clearSide'
            : 'other',
        values: { message: issue.message },
      };
    if (i.code === 'invalid_type')
      return { sensorIndex, field, reason: i.expected === 'int' ? 'notInteger' : 'notNumber', values: {} };
    if (i.code === 'too_small')
      return {
        sensorIndex,
        field,
        reason: i.inclusive === false ? 'mustExceed' : 'tooSmall',
        values: { min: String(i.minimum) },
      };
    if (i.code === 'too_big') return { sensorIndex, field, reason: 'tooBig', values: { max: String(i.maximum) } };
    return { sensorIndex, field, reason: 'other', values: { message: issue.message } };
  });
  return { ruleSet: null, problems, changes: [] };
}

/** The input a problem belongs to: a level group's problem shows at its `clear` field. */
export function fieldOfProblem(p: Problem): EditableField | null {
  if ((EDITABLE_FIELDS as readonly string[]).includes(p.field)) return p.field as EditableField;
  if (p.field === 'warning' || p.field === 'alarm')
    return p.reason === 'alarmBeyond' ? 'alarm.enter' : `${p.field}.clear`;
  return null;
}

/** One setting the edit changes, for the editor's summary in the officer's language. */
export interface FieldChange {
  readonly sensorIndex: number;
  readonly field: EditableField;
  readonly from: string;
  readonly to: string;
}

export function changedFields(original: RuleSet, edited: RuleSet): FieldChange[] {
  const out: FieldChange[] = [];
  original.sensors.forEach((rule, sensorIndex) => {
    const next = edited.sensors[sensorIndex];
    if (!next) return;
    for (const field of EDITABLE_FIELDS) {
      const a = get(rule, field);
      const b = get(next, field);
      if (a !== b)
        out.push({ sensorIndex, field, from: a === undefined ? '' : String(a), to: b === undefined ? '' : String(b) });
    }
  });
  return out;
}
