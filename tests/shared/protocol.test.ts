import { describe, expect, it } from 'vitest';
import { HubEvent } from '../../shared/domain/events';
import { MutateRequest, PullRequest } from '../../shared/protocol';

const cap = {
  version: '1.2',
  identifier: 'PH-RIVER-0001',
  sender: 'sensors@port-halden.example',
  sent: '2026-11-28T10:00:00+01:00',
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  infos: [
    {
      category: ['Met'],
      event: 'River level',
      urgency: 'Expected',
      severity: 'Severe',
      certainty: 'Likely',
      areas: [
        {
          areaDesc: 'Old harbour',
          polygons: [
            [
              { lat: 45, lon: 10 },
              { lat: 45.01, lon: 10 },
              { lat: 45.01, lon: 10.01 },
              { lat: 45, lon: 10 },
            ],
          ],
        },
      ],
    },
  ],
};

describe('wire schemas', () => {
  it('accepts a well-formed alert.received event and fills CAP defaults', () => {
    const e = HubEvent.parse({
      seq: 1,
      at: '2026-11-28T09:00:00.000Z',
      mutationId: null,
      type: 'alert.received',
      payload: { alertId: 'sensors@port-halden.example,PH-RIVER-0001', cap, source: { kind: 'simulator', name: 'demo-city' } },
    });
    expect(e.type).toBe('alert.received');
    if (e.type !== 'alert.received') throw new Error('narrowing');
    expect(e.payload.cap.infos[0]!.language).toBe('en-US');
    expect(e.payload.cap.references).toEqual([]);
  });

  it('rejects a CAP time without a zone, an unknown event type, and a seq of 0', () => {
    const at = '2026-11-28T09:00:00.000Z';
    const good = { seq: 1, at, mutationId: null, type: 'alert.received', payload: { alertId: 'a', cap, source: { kind: 'simulator', name: 'x' } } };
    expect(HubEvent.safeParse({ ...good, payload: { ...good.payload, cap: { ...cap, sent: '2026-11-28T10:00:00' } } }).success).toBe(false);
    expect(HubEvent.safeParse({ ...good, type: 'alert.teleported' }).success).toBe(false);
    expect(HubEvent.safeParse({ ...good, seq: 0 }).success).toBe(false);
  });

  it('rejects a polygon of fewer than four points', () => {
    const area = { areaDesc: 'x', polygons: [[{ lat: 1, lon: 1 }, { lat: 2, lon: 2 }, { lat: 1, lon: 1 }]] };
    const bad = { ...cap, infos: [{ ...cap.infos[0], areas: [area] }] };
    const event = { seq: 1, at: 'x', mutationId: null, type: 'alert.received', payload: { alertId: 'a', cap: bad, source: { kind: 'simulator', name: 'x' } } };
    expect(HubEvent.safeParse(event).success).toBe(false);
  });

  it('parses a mutation with its id and HLC and rejects one with an unknown type', () => {
    const m = {
      id: '0192f0c4-8b5e-7a3c-9d2e-1f2a3b4c5d6e',
      hlc: '001732780000000:00001:console-a',
      type: 'alert.acknowledge',
      payload: { alertId: 'a,b', disposition: 'duplicate' },
    };
    expect(MutateRequest.parse(m).type).toBe('alert.acknowledge');
    expect(MutateRequest.safeParse({ ...m, type: 'alert.delete' }).success).toBe(false);
    expect(MutateRequest.safeParse({ ...m, id: 'not-a-uuid' }).success).toBe(false);
  });

  it('bounds pull requests', () => {
    expect(PullRequest.safeParse({ after: -1, limit: 10 }).success).toBe(false);
    expect(PullRequest.safeParse({ after: 0, limit: 0 }).success).toBe(false);
    expect(PullRequest.safeParse({ after: 5, limit: 100 }).success).toBe(true);
  });
});
