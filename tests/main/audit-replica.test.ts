import { describe, expect, it } from 'vitest';
import { ActivityLogEntryView } from '../../shared/domain/activityLog';
import { ConnectionStatus } from '../../shared/api';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { startHub, type Hub } from '../../hub/server';
import { eventually } from './stub-hub';
import { testResources } from './fixtures';
import type { Socket } from 'socket.io-client';
import { newId } from '../../shared/ids';
import { MutateAck } from '../../shared/protocol';
import { ask, consoleFor, hlc } from '../hub/helpers';

/**
 * The supervisors' audit view reads the console's copy of the log (issue 6): a real hub and
 * a real console host; the hub's audit events (`audit.recorded`) must land in the replica's
 * activity log beside ordinary entries, as the renderer's audit view selects them from there.
 */
const { dir, later } = testResources();

/** A hub with no simulator and a supervisor's console host caught up with it. */
async function hubAndSupervisorConsole(): Promise<{ hub: Hub; host: ConsoleHost }> {
  const hub: Hub = await startHub({ dataDir: dir('hub'), port: 0, simulate: null });
  later(() => hub.close());
  const host: ConsoleHost = await startConsoleHost({
    dataDir: dir('console'),
    hubUrl: hub.url,
    token: await hub.issueToken({ role: 'supervisor', name: 'Grace Li', position: 'EOC Supervisor' }),
    reconnect: { delayMs: 50, maxDelayMs: 500, jitter: 0.5 },
  });
  later(() => host.close());
  return { hub, host };
}

describe('audit events in the replica', () => {
  it("a refusal the hub audits reaches the console's activity log", async () => {
    const { hub, host } = await hubAndSupervisorConsole();
    // an officer asks for an export: the hub refuses (403) and records the refusal as an audit event
    const officer = await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
    const refused = await fetch(`${hub.url}/export?format=csv`, { headers: { authorization: `Bearer ${officer}` } });
    expect(refused.status).toBe(403);
    const audit = await eventually(async () => {
      const s = await host.call('getStatus');
      if (!s.ok || ConnectionStatus.parse(s.value).cursor !== hub.head()) return null;
      const r = await host.call('getActivityLog', {});
      if (!r.ok) throw new Error(r.error.message);
      const entries = ActivityLogEntryView.array().parse(r.value);
      return entries.find((e) => e.action === 'audit.refused') ?? null;
    });
    expect(audit).toMatchObject({ author: 'Ada Okafor', position: 'Duty Officer', pending: false });
    expect(audit!.seq).toBeGreaterThan(0);
  }, 60_000);

  it('the audit trail query returns audit events of every incident and none, newest last, and nothing else', async () => {
    const { hub, host } = await hubAndSupervisorConsole();
    // Ben opens an incident; Ada tries to close it: the hub refuses and files the audit event under it.
    const ben = await consoleFor(hub, 'officer', 'Ben Ito');
    const ada = await consoleFor(hub, 'officer', 'Ada Okafor');
    const incidentId = newId();
    const mutate = async (s: Socket, type: string, payload: unknown) =>
      MutateAck.parse(await ask(s, 'mutate', { id: newId(), type, payload, hlc: hlc() }));
    try {
      expect(
        await mutate(ben, 'incident.open', { incidentId, title: 'Gas smell', incidentType: 'hazmat', priority: 2 }),
      ).toMatchObject({ ok: true });
      expect(await mutate(ada, 'incident.setStatus', { incidentId, status: 'closed' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    } finally {
      ben.close();
      ada.close();
    }
    const officer = await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
    expect(
      (await fetch(`${hub.url}/export?format=csv`, { headers: { authorization: `Bearer ${officer}` } })).status,
    ).toBe(403);
    const trail = await eventually(async () => {
      const s = await host.call('getStatus');
      if (!s.ok || ConnectionStatus.parse(s.value).cursor !== hub.head()) return null;
      const r = await host.call('getActivityLog', { audit: true });
      if (!r.ok) throw new Error(r.error.message);
      return ActivityLogEntryView.array().parse(r.value);
    });
    expect(trail!.map((e) => [e.action, e.incidentId === incidentId])).toEqual([
      ['audit.refused', true], // the refused close, filed under Ben's incident
      ['audit.refused', false], // the refused export, under none
    ]);
    // the incident's own entries are not audit events
    const all = await host.call('getActivityLog', {});
    expect(
      all.ok &&
        ActivityLogEntryView.array()
          .parse(all.value)
          .some((e) => !e.action?.startsWith('audit.')),
    ).toBe(true);
  }, 60_000);
});
