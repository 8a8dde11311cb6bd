import { describe, expect, it } from 'vitest';
import {
  incidentNumberOf,
  parseCommand,
  suggestCommands,
  unitStatusPath,
  type CommandContext,
} from '../../renderer/command/parse';

const ctx: CommandContext = {
  unitIds: ['A1', 'E1', 'E2', 'E12', 'WC1'],
  incidentNumbers: ['INC-0001', 'INC-0042'],
  stepIds: ['close-bridge', 'notify-engineer', 'inspect'],
};
const parse = (input: string) => parseCommand(input, ctx);

describe('parseCommand', () => {
  it('dispatches one or several units, to a named incident or the selected one', () => {
    expect(parse('dispatch E12 INC-0042')).toEqual({
      ok: true,
      command: { kind: 'dispatch', unitIds: ['E12'], incident: 'INC-0042', reassign: false },
    });
    expect(parse('d e1 a1 inc-42')).toEqual({
      ok: true,
      command: { kind: 'dispatch', unitIds: ['E1', 'A1'], incident: 'INC-0042', reassign: false },
    });
    expect(parse('dispatch E1 E1')).toMatchObject({ ok: true, command: { unitIds: ['E1'], incident: null } });
    expect(parse('reassign E12 INC-0001')).toMatchObject({ ok: true, command: { reassign: true } });
  });

  it('refuses a dispatch without a unit, or with one the console does not know', () => {
    expect(parse('dispatch INC-0042')).toEqual({ ok: false, error: { key: 'needUnit' } });
    expect(parse('dispatch Z9 INC-0042')).toEqual({ ok: false, error: { key: 'unknownUnit', values: { unit: 'Z9' } } });
    expect(parse('dispatch bridge')).toEqual({ ok: false, error: { key: 'needUnit' } });
  });

  it('reads unit statuses the way officers say them', () => {
    expect(parse('status U7 onscene')).toEqual({ ok: false, error: { key: 'unknownUnit', values: { unit: 'U7' } } });
    expect(parse('status E12 onscene')).toEqual({
      ok: true,
      command: { kind: 'unitStatus', unitId: 'E12', status: 'on-scene' },
    });
    expect(parse('st e12 enroute')).toMatchObject({ command: { status: 'en-route' } });
    expect(parse('status E12 oos')).toMatchObject({ command: { status: 'out-of-service' } });
    expect(parse('status E12 avail')).toMatchObject({ command: { status: 'available' } });
    expect(parse('status E12 flying')).toEqual({ ok: false, error: { key: 'badStatus', values: { word: 'flying' } } });
    expect(parse('status E12')).toEqual({ ok: false, error: { key: 'needStatus' } });
  });

  it('moves incidents by status, verb or number', () => {
    expect(parse('status INC-0042 active')).toEqual({
      ok: true,
      command: { kind: 'incidentStatus', incident: 'INC-0042', status: 'active' },
    });
    expect(parse('close INC-0042')).toMatchObject({ command: { incident: 'INC-0042', status: 'closed' } });
    expect(parse('contain')).toMatchObject({ command: { incident: null, status: 'contained' } });
    expect(parse('activate 1')).toMatchObject({ command: { incident: 'INC-0001', status: 'active' } });
    expect(parse('close bridge')).toEqual({ ok: false, error: { key: 'needIncident' } });
  });

  it('keeps the log text as typed', () => {
    expect(parse('log  Bridge closed  by police at both ends ')).toEqual({
      ok: true,
      command: { kind: 'log', text: 'Bridge closed  by police at both ends' },
    });
    expect(parse('log')).toEqual({ ok: false, error: { key: 'needText' } });
  });

  it('opens an incident, with or without the word "incident" and a title', () => {
    expect(parse('open incident')).toEqual({ ok: true, command: { kind: 'openIncident', title: '' } });
    expect(parse('open incident Harbour Bridge alarm')).toMatchObject({ command: { title: 'Harbour Bridge alarm' } });
    expect(parse('new Gas leak')).toMatchObject({ command: { title: 'Gas leak' } });
  });

  it('sets checklist steps by number or id, done by default, with a remark', () => {
    expect(parse('step 1')).toEqual({
      ok: true,
      command: { kind: 'step', step: 'close-bridge', state: 'done', remark: '' },
    });
    expect(parse('step inspect na not our bridge')).toEqual({
      ok: true,
      command: { kind: 'step', step: 'inspect', state: 'na', remark: 'not our bridge' },
    });
    expect(parse('step 9 done')).toMatchObject({ ok: false, error: { key: 'needStep' } });
    expect(parse('step 2 maybe')).toMatchObject({ ok: false, error: { key: 'badStepState' } });
  });

  it('knows the short verbs and the boards', () => {
    expect(parse('ack')).toEqual({ ok: true, command: { kind: 'ack' } });
    expect(parse('a')).toEqual({ ok: true, command: { kind: 'ack' } });
    expect(parse('units')).toEqual({ ok: true, command: { kind: 'board', board: 'units' } });
    expect(parse('show 42')).toEqual({ ok: true, command: { kind: 'show', incident: 'INC-0042' } });
    expect(parse('?')).toEqual({ ok: true, command: { kind: 'help' } });
    expect(parse('')).toEqual({ ok: false, error: { key: 'empty' } });
    expect(parse('fly E12')).toEqual({ ok: false, error: { key: 'unknownVerb', values: { word: 'fly' } } });
  });
});

describe('incidentNumberOf', () => {
  it('pads to the hub numbering', () => {
    expect(incidentNumberOf('INC-0042')).toBe('INC-0042');
    expect(incidentNumberOf('inc42')).toBe('INC-0042');
    expect(incidentNumberOf('12345')).toBe('INC-12345');
    expect(incidentNumberOf('E12')).toBeNull();
  });
});

describe('suggestCommands', () => {
  it('completes verbs, then units, then incidents', () => {
    expect(suggestCommands('dis', ctx)).toEqual(['dispatch ']);
    expect(suggestCommands('dispatch E', ctx)).toEqual(['dispatch E1 ', 'dispatch E2 ', 'dispatch E12 ']);
    expect(suggestCommands('dispatch E12 ', ctx).slice(0, 2)).toEqual([
      'dispatch E12 INC-0001 ',
      'dispatch E12 INC-0042 ',
    ]);
    expect(suggestCommands('dispatch E12 INC-0042 ', ctx)).not.toContain('dispatch E12 INC-0042 E12 ');
  });

  it('completes statuses for the kind of thing named', () => {
    expect(suggestCommands('status E12 on', ctx)).toEqual(['status E12 onscene ']);
    expect(suggestCommands('status INC-0042 c', ctx)).toEqual([
      'status INC-0042 contained ',
      'status INC-0042 closed ',
    ]);
    expect(suggestCommands('close ', ctx)).toEqual(['close INC-0001 ', 'close INC-0042 ']);
    expect(suggestCommands('step 1 ', ctx)).toEqual(['step 1 done ', 'step 1 na ', 'step 1 open ']);
  });

  it('offers nothing for free text or an unknown verb', () => {
    expect(suggestCommands('log bridge ', ctx)).toEqual([]);
    expect(suggestCommands('fly ', ctx)).toEqual([]);
  });
});

describe('unitStatusPath', () => {
  it('walks forward along the status machine', () => {
    expect(unitStatusPath('dispatched', 'on-scene')).toEqual(['en-route', 'on-scene']);
    expect(unitStatusPath('dispatched', 'en-route')).toEqual(['en-route']);
    expect(unitStatusPath('on-scene', 'available')).toEqual(['clearing', 'available']);
    expect(unitStatusPath('en-route', 'out-of-service')).toEqual(['out-of-service']);
  });

  it('never goes through out of service, and gives nothing when there is no way', () => {
    expect(unitStatusPath('available', 'on-scene')).toEqual([]);
    expect(unitStatusPath('available', 'dispatched')).toEqual([]);
    expect(unitStatusPath('on-scene', 'on-scene')).toEqual([]);
  });
});
