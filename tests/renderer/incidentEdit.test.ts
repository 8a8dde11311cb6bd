import { describe, expect, it } from 'vitest';
import { incidentEditChanges } from '../../renderer/incidents/incidentEdit';

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
