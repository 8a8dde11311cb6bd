import { describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import type { ConnectionStatus } from '../../shared/api';
import type { UnitView } from '../../shared/domain/unit';
import type { AlertSummary } from '../../shared/domain/alert';
import type { IncidentDetail } from '../../shared/responseApi';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import type { OutboxRow } from '../../main/replica/replica';
import { testResources, hostValue as value, hostCall as call } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Issue 5: with the hub unreachable, the console's actions are kept in its persisted outbox
 * through a restart of the console, and its status says how many are pending and since when
 * it is offline. Real hub on 127.0.0.1, real replica worker, real SQLite.
 */

const fast = { delayMs: 50, maxDelayMs: 300, jitter: 0.5 };
const { dir, later } = testResources();

const status = (host: ConsoleHost) => call<ConnectionStatus>(host, 'getStatus');

describe('offline through a console restart', () => {
  it('keeps the outbox, shows pending count and offline-since, and delivers each action once when the hub is back', async () => {
    const hubDir = dir('hub');
    const consoleDir = dir('console');
    let hub: Hub = await startHub({ dataDir: hubDir, port: 0, simulate: { seed: 5, rate: 0 } });
    const port = hub.port;
    await hub.simulate(40);
    const token = await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
    const open = (): Promise<ConsoleHost> =>
      startConsoleHost({ dataDir: consoleDir, hubUrl: hub.url, token, reconnect: fast });
    let host = await open();
    const first = host;
    later(() => first.close());
    await eventually(async () => {
      const s = await status(first);
      return s.state === 'online' && s.cursor === hub.head();
    }, 'caught up');
    const { incidentId } = await value<{ incidentId: string }>(host, 'openIncident', {
      title: 'Flooding, Mill Lane',
      incidentType: 'flooding',
      priority: 2,
    });
    await eventually(async () => (await status(first)).pendingActions === 0, 'incident confirmed');

    await hub.close();
    await eventually(async () => (await status(first)).state === 'offline', 'offline');
    const offlineAt = Date.now();
    const alert = (await value<{ alerts: AlertSummary[] }>(host, 'getSnapshot')).alerts.find((a) => a.ack === null)!;
    await value(host, 'acknowledgeAlert', { alertId: alert.id, disposition: 'not-relevant' });
    await value(host, 'dispatchUnits', { incidentId, unitIds: ['E1'] });
    const { entryId } = await value<{ entryId: string }>(host, 'appendLog', { incidentId, text: 'Pumps requested' });
    const before = await call<OutboxRow[]>(host, 'getOutbox');
    const open3 = before.filter((r) => r.state === 'pending').map((r) => r.id);
    expect(open3).toHaveLength(3);
    expect((await status(host)).pendingActions).toBe(3);

    // The console is closed and started again while the hub is still away.
    await host.close();
    host = await open();
    const second = host;
    later(() => second.close());
    await eventually(async () => (await status(second)).state === 'offline', 'offline after the restart');
    const s = await status(host);
    expect(s.pendingActions).toBe(3);
    expect(s.lastError?.code).toBe('OFFLINE');
    // Offline since: when the outage began for this console, kept across the restart (not
    // the time of the restart).
    expect(Date.parse(s.since)).toBeGreaterThanOrEqual(offlineAt - 60_000);
    expect(Date.parse(s.since)).toBeLessThanOrEqual(offlineAt);
    const after = await call<OutboxRow[]>(host, 'getOutbox');
    expect(after.filter((r) => r.state === 'pending' || r.state === 'sent').map((r) => r.id)).toEqual(open3);
    // The local effects are still shown after the restart.
    expect((await value<UnitView[]>(host, 'getUnits')).find((u) => u.id === 'E1')).toMatchObject({
      status: 'dispatched',
      pending: true,
    });

    hub = await startHub({ dataDir: hubDir, port, simulate: { seed: 5, rate: 0 } });
    const back = hub;
    later(() => back.close());
    await eventually(async () => {
      const st = await status(second);
      return st.state === 'online' && st.pendingActions === 0 && st.cursor === back.head();
    }, 'delivered');
    const rows = await call<OutboxRow[]>(host, 'getOutbox');
    expect(rows.filter((r) => open3.includes(r.id)).map((r) => r.state)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
    ]);
    const log = (await value<IncidentDetail>(host, 'getIncident', { incidentId })).log;
    expect(log.filter((e) => e.id === entryId)).toHaveLength(1);
    expect(log.filter((e) => e.text === 'Pumps requested')).toHaveLength(1);
  });
});
