import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { HubEvent } from '../../shared/domain/events';
import type { EventDraft } from '../../hub/events';
import { HubStore } from '../../hub/store/hubStore';
import { tempDir } from './helpers';

const asset = (id: string): EventDraft => ({
  type: 'asset.upserted',
  payload: {
    id,
    kind: 'bridge',
    name: `Bridge ${id}`,
    district: 'Old Town',
    criticality: 4,
    location: { lat: 45, lon: 10 },
  },
});

describe('hub store', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const dir = () => {
    const t = tempDir();
    cleanups.push(t.remove);
    return t.dir;
  };
  const clock = new ManualClock(Date.parse('2026-11-28T10:00:00Z'));

  it('numbers entries 1, 2, 3 … gap-free, and carries on from the head after a restart', () => {
    const file = join(dir(), 'hub.sqlite');
    let store = HubStore.open(file, clock);
    const hubId = store.hubId;
    expect(store.head()).toBe(0);
    expect(store.tail()).toBe(1);
    store.append([asset('A'), asset('B')]);
    // A failing append (the second entry breaks the schema) leaves no gap and no half batch.
    expect(() =>
      store.append([asset('C'), { type: 'asset.upserted', payload: { id: '' } } as unknown as EventDraft]),
    ).toThrow();
    store.append([asset('D')]);
    store.close();

    store = HubStore.open(file, clock);
    cleanups.unshift(() => store.close());
    expect(store.hubId).toBe(hubId);
    store.append([asset('E')]);
    const log = store.read(0, 100);
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(log.map((e) => (e.type === 'asset.upserted' ? e.payload.id : ''))).toEqual(['A', 'B', 'D', 'E']);
    for (const e of log) expect(HubEvent.safeParse(e).success).toBe(true);
    expect(store.read(2, 1).map((e) => e.seq)).toEqual([3]);
  });

  it('keeps alert state in step with the log, first acknowledgement only', () => {
    const store = HubStore.open(join(dir(), 'hub.sqlite'), clock);
    cleanups.unshift(() => store.close());
    expect(store.alert('x,1')).toBeNull();
    store.append([
      {
        type: 'alert.received',
        payload: {
          alertId: 'x,1',
          source: { kind: 'simulator', name: 'test' },
          cap: {
            version: '1.2',
            identifier: '1',
            sender: 'x',
            sent: '2026-11-28T10:00:00+01:00',
            status: 'Actual',
            msgType: 'Alert',
            scope: 'Public',
            code: [],
            references: [],
            infos: [],
          },
        },
      },
    ]);
    expect(store.alert('x,1')).toEqual({ id: 'x,1', receivedSeq: 1, ack: null });
    const by = { name: 'Ada', role: 'officer' as const };
    store.append([{ type: 'alert.acknowledged', payload: { alertId: 'x,1', by, hlc: 'h' } }], { mutationId: 'm-1' });
    store.append([{ type: 'alert.acknowledged', payload: { alertId: 'x,1', by: { ...by, name: 'Bo' }, hlc: 'h' } }]);
    expect(store.alert('x,1')?.ack).toEqual({ by, at: '2026-11-28T10:00:00.000Z', seq: 2 });
    expect(store.read(1, 1)[0]?.mutationId).toBe('m-1');
  });
});
