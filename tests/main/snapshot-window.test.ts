import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubEvent } from '../../shared/domain/events';
import { Replica } from '../../main/replica/replica';
import { firstSnapshot, snapshotPage } from '../../main/replica/snapshotWindow';
import { alertEvent, assetEvent, tempDir } from './fixtures';

/** An Update of `previous` (same sender), so `previous` becomes superseded. */
function updateEvent(seq: number, identifier: string, previous: string): HubEvent {
  const e = alertEvent(seq, { identifier }) as Extract<HubEvent, { type: 'alert.received' }>;
  const cap = e.payload.cap;
  return {
    ...e,
    payload: {
      ...e.payload,
      cap: { ...cap, msgType: 'Update', references: [{ sender: cap.sender, identifier: previous, sent: cap.sent }] },
    },
  };
}

const status = { state: 'online', since: '2026-11-28T10:00:00.000Z', cursor: 0, head: 0, pending: 0 } as never;
const small = { wholeAlertsUpTo: 4, firstAlerts: 2, wholeAssetsUpTo: 3 };

describe('windowed first snapshot (decision 0038)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let replica: Replica;
  beforeEach(() => {
    tmp = tempDir();
    replica = new Replica({ file: path.join(tmp.dir, 'replica.sqlite') });
  });
  afterEach(() => {
    replica.close();
    tmp.cleanup();
  });

  const fill = (assets: number, threads: number) => {
    const events: HubEvent[] = [];
    let seq = 0;
    for (let i = 0; i < assets; i++) events.push(assetEvent(++seq));
    for (let t = 0; t < threads; t++) {
      events.push(alertEvent(++seq, { identifier: `T${t}-0`, severity: t % 2 ? 'Severe' : 'Moderate' }));
      events.push(updateEvent(++seq, `T${t}-1`, `T${t}-0`));
    }
    const r = replica.applyEvents(events);
    expect(r.applied).toBe(events.length);
  };

  it('holds everything, with no rest, below its limits', () => {
    fill(3, 2);
    const s = firstSnapshot(replica, { status }, small);
    expect(s.rest).toBeUndefined();
    expect(s.assets).toHaveLength(3);
    expect(s.alerts.map((a) => a.id)).toEqual(replica.alertQueue().map((a) => a.id));
  });

  it('above them: the active queue first rows in queue order, no assets, and what is left', () => {
    fill(5, 4);
    const s = firstSnapshot(replica, { status }, small);
    const active = replica.alertQueue().filter((a) => a.lifecycle === 'current' && a.msgType !== 'Cancel');
    expect(s.alerts.map((a) => a.id)).toEqual(active.slice(0, 2).map((a) => a.id));
    expect(s.assets).toEqual([]);
    expect(s.rest).toEqual({ alerts: 4, assets: 5 });
  });

  it('pages bring every asset and every current alert once, superseded messages never', () => {
    fill(7, 5);
    const read = (kind: 'alerts' | 'assets') => {
      const ids: string[] = [];
      let pages = 0;
      for (let after = 0; ; pages++) {
        const p = snapshotPage(replica, { kind, after, limit: 2 });
        ids.push(...(kind === 'alerts' ? p.alerts : p.assets).map((r) => r.id));
        if (p.next === null) break;
        expect(p.next).toBeGreaterThan(after);
        after = p.next;
      }
      return { ids, pages };
    };
    const alerts = read('alerts');
    const current = replica
      .alertQueue()
      .filter((a) => a.lifecycle !== 'superseded')
      .map((a) => a.id);
    expect(new Set(alerts.ids)).toEqual(new Set(current));
    expect(alerts.ids).toHaveLength(current.length);
    expect(current).toHaveLength(5);
    const assets = read('assets');
    expect(assets.ids.sort()).toEqual(
      replica
        .assets()
        .map((a) => a.id)
        .sort(),
    );
    expect(assets.pages).toBeGreaterThan(1);
  });
});
