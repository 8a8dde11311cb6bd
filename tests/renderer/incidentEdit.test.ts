import { describe, expect, it } from 'vitest';
import { incidentEditChanges, periodInForce } from '../../renderer/incidents/incidentEdit';

const incident = {
  id: 'inc-1',
  title: 'Bridge alarm',
  type: 'bridge-structural' as const,
  priority: 2,
  commanderName: 'Chen',
};
const same = { title: incident.title, type: incident.type, priority: incident.priority, commander: 'Chen' };

describe('incidentEditChanges', () => {
  it('sends nothing when nothing changed', () => {
    expect(incidentEditChanges(incident, same)).toBeNull();
    expect(incidentEditChanges(incident, { ...same, title: '  Bridge alarm ', commander: ' Chen' })).toBeNull();
  });

  it('sends only the fields that changed, trimmed', () => {
    expect(incidentEditChanges(incident, { ...same, title: ' Bridge closed ', priority: 1 })).toEqual({
      incidentId: 'inc-1',
      title: 'Bridge closed',
      priority: 1,
    });
    expect(incidentEditChanges(incident, { ...same, type: 'flooding', commander: 'Li' })).toEqual({
      incidentId: 'inc-1',
      incidentType: 'flooding',
      commanderName: 'Li',
    });
  });

  it('does not send a blank title but may clear the commander', () => {
    expect(incidentEditChanges(incident, { ...same, title: '   ' })).toBeNull();
    expect(incidentEditChanges(incident, { ...same, commander: '' })).toEqual({
      incidentId: 'inc-1',
      commanderName: '',
    });
  });
});

describe('periodInForce', () => {
  it('is 1 before any period is recorded', () => {
    expect(periodInForce({ operationalPeriods: [] })).toBe(1);
  });

  it('is the open period after the hub started the next one', () => {
    const t0 = '2026-11-28T08:00:00.000Z';
    const t1 = '2026-11-28T20:00:00.000Z';
    expect(periodInForce({ operationalPeriods: [{ number: 1, start: t0, end: null }] })).toBe(1);
    expect(
      periodInForce({
        operationalPeriods: [
          { number: 1, start: t0, end: t1 },
          { number: 2, start: t1, end: null },
        ],
      }),
    ).toBe(2);
  });

  it('falls back to the last period when none is open', () => {
    const t0 = '2026-11-28T08:00:00.000Z';
    expect(periodInForce({ operationalPeriods: [{ number: 3, start: t0, end: t0 }] })).toBe(3);
  });
});
