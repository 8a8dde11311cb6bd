import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../hub/store/migrate';
import { HubStore } from '../../hub/store/hubStore';
import { systemClock } from '../../shared/clock';
import { CapAlert } from '../../shared/domain/cap';
import { tempDir } from './helpers';

/**
 * Hub schema 8 (issue 9, decision 0032): alert_hazards and edge_reports. A log written before
 * it is indexed once when the store opens, so a console's report is deduplicated against
 * alerts the hub had before the upgrade too.
 */
const capOf = (identifier: string, msgType: 'Alert' | 'Cancel', refs: string[] = []) =>
  CapAlert.parse({
    version: '1.2',
    identifier,
    sender: 'sensors@porthalden.example',
    sent: `${new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().slice(0, 19)}+00:00`,
    status: 'Actual',
    msgType,
    scope: 'Public',
    references: refs.map((id) => ({
      sender: 'sensors@porthalden.example',
      identifier: id,
      sent: '2026-11-28T10:00:00+00:00',
    })),
    infos: [
      {
        category: ['Infra'],
        event: 'Bridge strain',
        urgency: 'Immediate',
        severity: 'Severe',
        certainty: 'Observed',
        expires: `${new Date(Date.now() + 3_600_000).toISOString().slice(0, 19)}+00:00`,
        eventCode: [{ valueName: 'PH-SENSOR', value: 'BRIDGE_STRAIN' }],
        parameter: [{ valueName: 'PH-ASSET-ID', value: identifier.startsWith('B') ? 'BR-B' : 'BR-A' }],
      },
    ],
  });

describe('hub migration 0008', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('adds alert_hazards and edge_reports to a store of schema 7 and indexes the alerts already on its log', () => {
    const t = tempDir();
    cleanups.push(t.remove);
    const file = join(t.dir, 'hub.sqlite');
    const db = new Database(file);
    migrate(db, { target: 7 });
    const put = db.prepare(
      "INSERT INTO events (seq, type, at, mutation_id, payload) VALUES (?, 'alert.received', 't', NULL, ?)",
    );
    const received = (seq: number, cap: CapAlert) =>
      put.run(
        seq,
        JSON.stringify({ alertId: `${cap.sender},${cap.identifier}`, cap, source: { kind: 'simulator', name: 'x' } }),
      );
    received(1, capOf('A-1', 'Alert'));
    received(2, capOf('B-1', 'Alert'));
    received(3, capOf('B-2', 'Cancel', ['B-1']));
    migrate(db, { target: 8 });
    expect(db.prepare('SELECT count(*) AS n FROM alert_hazards').get()).toEqual({ n: 0 });
    db.close();

    const store = HubStore.open(file, systemClock);
    cleanups.push(() => store.close());
    const now = Date.now();
    expect(store.activeHazard('BR-A/strain/danger', now)).toMatchObject({
      alertId: 'sensors@porthalden.example,A-1',
      seq: 1,
    });
    // B-1 was cancelled by B-2 before the upgrade: not active
    expect(store.activeHazard('BR-B/strain/danger', now)).toBeNull();
    // a maintenance notice is another hazard
    expect(store.activeHazard('BR-A/strain/maintenance', now)).toBeNull();
    // past the expiry: not active
    expect(store.activeHazard('BR-A/strain/danger', now + 2 * 3_600_000)).toBeNull();
    expect(store.meta('edge.hazards')).toBe('1');
    expect(store.edgeReport('anything')).toBeNull();
  });
});
