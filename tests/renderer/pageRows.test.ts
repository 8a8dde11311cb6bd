import { createEntityAdapter } from '@reduxjs/toolkit';
import { describe, expect, it } from 'vitest';
import { compareAlertsForQueue, type Alert } from '../../renderer/state/alerts';
import { withPageRows } from '../../renderer/state/pageRows';
import { alertRow } from './rows';

/**
 * Snapshot pages merged outside immer (renderer/state/pageRows.ts, decision 0041) give the
 * same state the entity adapter gave: the same ids in the same queue order, the same rows,
 * stored rows untouched.
 */
const severities = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
const urgencies = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
let seed = 7;
const rand = (n: number): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed % n;
};
const row = (i: number): Alert =>
  alertRow(`a${i}`, {
    severity: severities[rand(5)]!,
    urgency: urgencies[rand(5)]!,
    // few distinct times, so ties fall through to receivedSeq and the id
    sent: `2026-11-28T10:0${rand(3)}:00+00:00`,
    receivedSeq: rand(4),
  });

describe('withPageRows', () => {
  it('adds a page in the order the sorted adapter gives, keeping stored rows', () => {
    const adapter = createEntityAdapter<Alert>({ sortComparer: compareAlertsForQueue });
    const first = Array.from({ length: 300 }, (_, i) => row(i));
    let viaAdapter = adapter.setAll(adapter.getInitialState(), first);
    let merged = viaAdapter;
    for (let page = 0; page < 5; page++) {
      // each page repeats some stored ids (with other content: they must not replace the stored rows)
      const rows = Array.from({ length: 400 }, (_, i) => row(page * 400 + i + 200));
      viaAdapter = adapter.addMany(
        viaAdapter,
        rows.filter((r) => viaAdapter.entities[r.id] === undefined),
      );
      // its own copies: the adapter (immer) freezes the rows it is given
      merged = withPageRows(merged, structuredClone(rows), compareAlertsForQueue);
      expect(merged.ids).toEqual(viaAdapter.ids);
      expect(merged.entities).toEqual(viaAdapter.entities);
    }
    expect(merged.ids).toHaveLength(2_200);
    expect(merged.entities['a250']).toBe(first[250]);
    expect(Object.isFrozen(merged)).toBe(true);
    // the page's rows as immer left them: frozen through (a thawed row was frozen by the next live change)
    const added = merged.entities['a2150']!;
    expect(Object.isFrozen(added) && Object.isFrozen(added.center)).toBe(true);
  });

  it('appends in arrival order without a comparer, and returns the same state when nothing is new', () => {
    const adapter = createEntityAdapter<{ id: string; n: number }>();
    const base = adapter.setAll(adapter.getInitialState(), [
      { id: 'x', n: 1 },
      { id: 'y', n: 2 },
    ]);
    const next = withPageRows(base, [
      { id: 'z', n: 3 },
      { id: 'x', n: 9 },
      { id: 'w', n: 4 },
    ]);
    expect(next.ids).toEqual(['x', 'y', 'z', 'w']);
    expect(next.entities['x']).toEqual({ id: 'x', n: 1 });
    expect(withPageRows(next, [{ id: 'y', n: 5 }])).toBe(next);
  });
});
