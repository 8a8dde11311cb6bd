import { describe, expect, it } from 'vitest';
import {
  dispatchRefusal,
  INCIDENT_TRANSITIONS,
  isUnitOverdue,
  UNIT_STATUS_LIMITS_MIN,
  UNIT_TRANSITIONS,
  unitTransitionRefusal,
} from '../../shared/domain/statusMachines';
import { IncidentStatuses } from '../../shared/domain/incident';
import { UnitStatuses, UnitTypes } from '../../shared/domain/unit';

describe('status machines (shared by hub and console)', () => {
  it('every status is reachable and every move names a real status', () => {
    const reach = (start: string, table: Record<string, readonly string[]>) => {
      const seen = new Set([start]);
      const todo = [start];
      while (todo.length) {
        for (const next of table[todo.pop()!] ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          todo.push(next);
        }
      }
      return seen;
    };
    expect([...reach('open', INCIDENT_TRANSITIONS)].sort()).toEqual([...IncidentStatuses].sort());
    // dispatched is reached by unit.dispatch, not setStatus
    const units = reach('dispatched', UNIT_TRANSITIONS);
    expect([...units].sort()).toEqual([...UnitStatuses].sort());
  });

  it('a unit is overdue only past its type limit', () => {
    const since = '2026-03-14T09:00:00.000Z';
    const at = (min: number) => Date.parse(since) + min * 60_000;
    const engine = { type: 'fire-engine' as const, status: 'dispatched' as const, statusSince: since };
    expect(UNIT_STATUS_LIMITS_MIN['fire-engine'].dispatched).toBe(2);
    expect(isUnitOverdue(engine, at(2))).toBe(false);
    expect(isUnitOverdue(engine, at(2.1))).toBe(true);
    expect(isUnitOverdue({ ...engine, status: 'available' }, at(10_000))).toBe(false);
    for (const type of UnitTypes)
      expect(Object.keys(UNIT_STATUS_LIMITS_MIN[type]).sort()).toEqual([...UnitStatuses].sort());
  });

  it('refusals name the unit, who holds it and what to do', () => {
    const held = {
      id: 'E12',
      status: 'en-route' as const,
      incidentId: 'i1',
      incidentNumber: 'INC-0041',
      assignedBy: 'Ada Okafor (Duty Officer)',
    };
    const r = dispatchRefusal(held, { id: 'i2', number: 'INC-0042' }, false);
    expect(r).toEqual({
      code: 'CONFLICT',
      message:
        'E12 is committed to INC-0041 (dispatched by Ada Okafor (Duty Officer)) and is en route; reassign it explicitly to take it off that incident.',
    });
    expect(dispatchRefusal(held, { id: 'i2', number: 'INC-0042' }, true)).toBeNull();
    expect(unitTransitionRefusal({ id: 'E12', status: 'available' }, 'on-scene')).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'E12 is available and cannot go to on scene; it can go to out of service.',
    });
  });
});
