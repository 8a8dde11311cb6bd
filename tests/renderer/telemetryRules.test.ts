import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../renderer/command/execute';
import { parseCommand } from '../../renderer/command/parse';
import { changesReceived, snapshotLoaded } from '../../renderer/state/actions';
import { createStore } from '../../renderer/state/store';
import {
  changedFields,
  checkForm,
  fieldOfProblem,
  formOf,
  type RuleForm,
} from '../../renderer/telemetryRules/ruleForm';
import { RuleSet } from '../../shared/telemetry/rules/schema';
import { statusRow } from './rows';

/**
 * The supervisors' telemetry rules editor (issue 9, decision 0034): the form checks with the
 * shared schema and names the field and why; `rules` in the command bar opens it for a
 * supervisor and refuses an officer; pushed rules replace the ones the store holds.
 */

const files = import.meta.glob<string>('../../assets/telemetry-rules/pipeline-gas.json', {
  query: '?raw',
  import: 'default',
  eager: true,
});
const gas = RuleSet.parse(JSON.parse(Object.values(files)[0]!));
const setField = (form: RuleForm, sensorIndex: number, field: string, value: string): RuleForm => ({
  sensors: form.sensors.map((s, i) => (i === sensorIndex ? { ...s, [field]: value } : s)),
});

describe('rule form', () => {
  it('round-trips a rule set unchanged', () => {
    const checked = checkForm(gas, formOf(gas));
    expect(checked.problems).toEqual([]);
    expect(checked.ruleSet).toEqual(gas);
    expect(checked.changes).toEqual([]);
  });

  it('a changed level is valid and listed with its old and new value', () => {
    const form = setField(formOf(gas), 0, 'warning.enter', '0.29');
    const checked = checkForm(gas, form);
    expect(checked.problems).toEqual([]);
    expect(changedFields(gas, checked.ruleSet!)).toEqual([
      { sensorIndex: 0, field: 'warning.enter', from: '0.3', to: '0.29' },
    ]);
  });

  it('names the field and why: a number, the safe side, the alarm beyond the warning', () => {
    // pressure falls towards danger: warning 0.30 clears at 0.31, alarm 0.22 clears at 0.23
    const notNumber = checkForm(gas, setField(formOf(gas), 0, 'alarm.clear', 'abc'));
    expect(notNumber.ruleSet).toBeNull();
    expect(notNumber.problems).toEqual([{ sensorIndex: 0, field: 'alarm.clear', reason: 'notNumber', values: {} }]);

    const wrongSide = checkForm(gas, setField(formOf(gas), 0, 'warning.clear', '0.29'));
    expect(wrongSide.problems.map((p) => [p.field, p.reason, fieldOfProblem(p)])).toEqual([
      ['warning', 'clearSide', 'warning.clear'],
    ]);

    const alarmFirst = checkForm(gas, setField(formOf(gas), 0, 'alarm.enter', '0.35'));
    expect(alarmFirst.problems.map((p) => [p.field, p.reason, fieldOfProblem(p)])).toContainEqual([
      'alarm',
      'alarmBeyond',
      'alarm.enter',
    ]);

    const zero = checkForm(gas, setField(formOf(gas), 0, 'health.noiseFloor', '0'));
    expect(zero.problems).toEqual([
      { sensorIndex: 0, field: 'health.noiseFloor', reason: 'mustExceed', values: { min: '0' } },
    ]);
    const fraction = checkForm(gas, setField(formOf(gas), 1, 'health.spike.count', '2.5'));
    expect(fraction.problems).toEqual([
      { sensorIndex: 1, field: 'health.spike.count', reason: 'notInteger', values: {} },
    ]);
  });

  it('an empty optional field switches its rule off', () => {
    const checked = checkForm(gas, setField(formOf(gas), 0, 'rate.perMinute', ''));
    expect(checked.problems).toEqual([]);
    expect(checked.ruleSet!.sensors[0]!.rate).toBeUndefined();
    expect(checked.changes).toContain('pressure rate.perMinute 0.0008 → (none)');
  });
});

function storeAs(role: 'officer' | 'supervisor') {
  const store = createStore({ api: null });
  store.dispatch(
    snapshotLoaded({ alerts: [], assets: [], status: statusRow({ officer: { name: 'Mara Quist', role } }) }),
  );
  return store;
}

describe('rules editor in the store', () => {
  it('`rules` opens the editor for a supervisor', async () => {
    expect(parseCommand('rules', { unitIds: [], incidentNumbers: [], stepIds: [] })).toEqual({
      ok: true,
      command: { kind: 'rules' },
    });
    const store = storeAs('supervisor');
    expect(await store.dispatch(executeCommand({ kind: 'rules' }))).toEqual({ ok: true });
    expect(store.getState().telemetryRules.editorOpen).toBe(true);
  });

  it('`rules` is refused to an officer and opens nothing', async () => {
    const store = storeAs('officer');
    expect(await store.dispatch(executeCommand({ kind: 'rules' }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(store.getState().telemetryRules.editorOpen).toBe(false);
  });

  it('rules pushed in a ChangeSet replace the ones held', () => {
    const store = storeAs('supervisor');
    const rules = {
      ruleSets: [{ ruleSet: gas, source: 'edited' as const, updatedAt: 't', updatedBy: 'Mara Quist' }],
    };
    store.dispatch(changesReceived({ alerts: [], assets: [], telemetryRules: rules }));
    expect(store.getState().telemetryRules.rules).toEqual(rules);
    store.dispatch(changesReceived({ alerts: [], assets: [] }));
    expect(store.getState().telemetryRules.rules).toEqual(rules);
  });
});
