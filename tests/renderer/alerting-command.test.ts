import { describe, expect, it } from 'vitest';
import { parseCommand, suggestCommands } from '../../renderer/command/parse';
import { windowRoleOf } from '../../renderer/popout/route';

/** The command bar's desktop commands (mute, pop-out) and the pop-out route (decisions 0027, 0028). */

const ctx = { unitIds: [], incidentNumbers: [], stepIds: [] };

describe('desktop commands', () => {
  it('mute and unmute the alert sounds', () => {
    expect(parseCommand('mute', ctx)).toEqual({ ok: true, command: { kind: 'mute', muted: true } });
    expect(parseCommand('silence', ctx)).toEqual({ ok: true, command: { kind: 'mute', muted: true } });
    expect(parseCommand('unmute', ctx)).toEqual({ ok: true, command: { kind: 'mute', muted: false } });
  });

  it('pop a panel out by any of its names, and say which exist when none is named', () => {
    expect(parseCommand('popout map', ctx)).toEqual({ ok: true, command: { kind: 'popout', panel: 'map' } });
    expect(parseCommand('pop alerts', ctx)).toEqual({ ok: true, command: { kind: 'popout', panel: 'queue' } });
    expect(parseCommand('popout Incidents', ctx)).toEqual({
      ok: true,
      command: { kind: 'popout', panel: 'incidents' },
    });
    expect(parseCommand('popout units', ctx)).toEqual({ ok: true, command: { kind: 'popout', panel: 'units' } });
    expect(parseCommand('popout', ctx)).toEqual({ ok: false, error: { key: 'needPanel' } });
    expect(parseCommand('popout settings', ctx)).toEqual({ ok: false, error: { key: 'needPanel' } });
  });

  it('complete the panel names', () => {
    expect(suggestCommands('popout ', ctx)).toEqual([
      'popout map ',
      'popout queue ',
      'popout incidents ',
      'popout units ',
    ]);
    expect(suggestCommands('popout u', ctx)).toEqual(['popout units ']);
    expect(suggestCommands('mu', ctx)).toEqual(['mute ']);
  });
});

describe('the window role from the hash', () => {
  it('is the console without a pop-out hash, a panel with one, and unknown for anything else', () => {
    expect(windowRoleOf('')).toEqual({ kind: 'console' });
    expect(windowRoleOf('#/incident/42')).toEqual({ kind: 'console' });
    expect(windowRoleOf('#/popout/queue')).toEqual({ kind: 'popout', panel: 'queue' });
    expect(windowRoleOf('#/popout/map')).toEqual({ kind: 'popout', panel: 'map' });
    expect(windowRoleOf('#/popout/settings')).toEqual({ kind: 'unknown-popout' });
    expect(windowRoleOf('#/popout/')).toEqual({ kind: 'unknown-popout' });
    expect(windowRoleOf('#/popout/queue/extra')).toEqual({ kind: 'console' });
  });
});
