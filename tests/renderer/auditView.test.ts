import { describe, expect, it } from 'vitest';
import type { ActivityLogEntryView } from '../../shared/domain/activityLog';
import { executeCommand } from '../../renderer/command/execute';
import { parseCommand } from '../../renderer/command/parse';
import { selectAuditRows } from '../../renderer/export/auditEntries';
import { changesReceived, snapshotLoaded } from '../../renderer/state/actions';
import { createStore } from '../../renderer/state/store';
import { statusRow } from './rows';

/**
 * The supervisors' audit view (issue 6): which log entries it shows and in what order, and
 * that the command bar's `audit` opens it for a supervisor and refuses an officer.
 */

const entry = (id: string, seq: number, over: Partial<ActivityLogEntryView> = {}): ActivityLogEntryView => ({
  id,
  seq,
  incidentId: null,
  operationalPeriod: null,
  at: new Date(Date.parse('2026-11-28T10:00:00Z') + seq * 60_000).toISOString(),
  author: 'Ada Okafor',
  position: 'Duty Officer',
  text: `entry ${id}`,
  kind: 'auto',
  corrects: null,
  action: null,
  pending: false,
  ...over,
});

function storeAs(role: 'officer' | 'supervisor') {
  const store = createStore({ api: null });
  store.dispatch(
    snapshotLoaded({
      alerts: [],
      assets: [],
      status: statusRow({ officer: { name: '李华 Li Hua', role } }),
    }),
  );
  store.dispatch(
    changesReceived({
      alerts: [],
      assets: [],
      logEntries: [
        entry('sign-in', 1, { action: 'audit.sign-in', text: 'Ada Okafor signed in.' }),
        entry('dispatch', 2, { action: 'unit.dispatch', incidentId: 'i1', operationalPeriod: 1 }),
        entry('note', 3, { kind: 'manual', action: 'log.append', incidentId: 'i1', operationalPeriod: 1 }),
        entry('export', 5, {
          action: 'audit.export',
          author: '李华 Li Hua',
          position: 'EOC Supervisor',
          text: '李华 Li Hua exported the activity log of every incident as PDF: 4 entries.',
        }),
        entry('refused', 4, { action: 'audit.refused', text: 'Ada Okafor was refused: export the activity log.' }),
      ],
    }),
  );
  return store;
}

describe('audit view', () => {
  it('lists only audit entries, newest first, with kind, officer and detail', () => {
    const rows = selectAuditRows(storeAs('supervisor').getState());
    expect(rows.map((r) => [r.seq, r.kind])).toEqual([
      [5, 'export'],
      [4, 'refused'],
      [1, 'sign-in'],
    ]);
    expect(rows[0]).toMatchObject({
      officer: '李华 Li Hua',
      position: 'EOC Supervisor',
      detail: '李华 Li Hua exported the activity log of every incident as PDF: 4 entries.',
    });
  });

  it('`audit` in the command bar opens it for a supervisor', async () => {
    const parsed = parseCommand('audit', { unitIds: [], incidentNumbers: [], stepIds: [] });
    expect(parsed).toEqual({ ok: true, command: { kind: 'audit' } });
    const store = storeAs('supervisor');
    expect(await store.dispatch(executeCommand({ kind: 'audit' }))).toEqual({ ok: true });
    expect(store.getState().workspace.auditViewOpen).toBe(true);
  });

  it('`audit` is refused to an officer and opens nothing', async () => {
    const store = storeAs('officer');
    expect(await store.dispatch(executeCommand({ kind: 'audit' }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(store.getState().workspace.auditViewOpen).toBe(false);
  });
});
