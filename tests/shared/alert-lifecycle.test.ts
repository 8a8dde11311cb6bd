import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floodState, FLOOD_WINDOW_MS } from '../../shared/alerts/flood';
import { LifecycleBook, lifecycleOfSet, type ChainMessage } from '../../shared/alerts/lifecycle';

/** A chain: an Alert, some Updates each naming a random non-empty subset of earlier messages, maybe a Cancel. */
const chain = fc
  .record({
    updates: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
    cancel: fc.option(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), { nil: null }),
    sameSent: fc.boolean(),
    /** an Update naming a message never received */
    dangling: fc.boolean(),
  })
  .map(({ updates, cancel, sameSent, dangling }) => {
    const msgs: ChainMessage[] = [{ id: 's,A', msgType: 'Alert', sentMs: 0, references: [] }];
    const pick = (picks: number[]) => [...new Set(picks.map((p) => msgs[p % msgs.length]!.id))];
    updates.forEach((picks, i) =>
      msgs.push({
        id: `s,U${i}`,
        msgType: 'Update',
        sentMs: sameSent ? 0 : (i + 1) * 1000,
        references: [...pick(picks), ...(dangling && i === 0 ? ['s,never'] : [])],
      }),
    );
    if (cancel) msgs.push({ id: 's,C', msgType: 'Cancel', sentMs: sameSent ? 0 : 99_000, references: pick(cancel) });
    return msgs;
  });

describe('references as a set (shared/alerts/lifecycle.ts)', () => {
  it('any arrival order of an Alert/Update/Cancel chain ends in the same state', () => {
    fc.assert(
      fc.property(
        chain.chain((msgs) => fc.tuple(fc.constant(msgs), fc.shuffledSubarray(msgs, { minLength: msgs.length }))),
        ([msgs, order]) => {
          const book = new LifecycleBook();
          for (const m of order) book.arrive(m);
          expect(book.snapshot()).toEqual(lifecycleOfSet(msgs));
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });

  it('an Update supersedes every message it names, even when it arrives first', () => {
    const a: ChainMessage = { id: 's,A', msgType: 'Alert', sentMs: 0, references: [] };
    const b: ChainMessage = { id: 's,B', msgType: 'Alert', sentMs: 1, references: [] };
    const u: ChainMessage = { id: 's,U', msgType: 'Update', sentMs: 2, references: ['s,A', 's,B'] };
    const book = new LifecycleBook();
    book.arrive(u);
    expect(book.get('s,U')).toEqual({ lifecycle: 'current', supersededBy: null });
    expect(book.arrive(a)).toEqual(['s,A']);
    expect(book.get('s,A')).toEqual({ lifecycle: 'superseded', supersededBy: 's,U' });
    book.arrive(b);
    expect(book.get('s,B')).toEqual({ lifecycle: 'superseded', supersededBy: 's,U' });
  });

  it('a Cancel closes what it names, and wins over an Update naming the same message', () => {
    const state = lifecycleOfSet([
      { id: 's,A', msgType: 'Alert', sentMs: 0, references: [] },
      { id: 's,U', msgType: 'Update', sentMs: 5, references: ['s,A'] },
      { id: 's,C', msgType: 'Cancel', sentMs: 3, references: ['s,A', 's,U'] },
    ]);
    expect(state.get('s,A')).toEqual({ lifecycle: 'cancelled', supersededBy: 's,C' });
    expect(state.get('s,U')).toEqual({ lifecycle: 'cancelled', supersededBy: 's,C' });
    expect(state.get('s,C')).toEqual({ lifecycle: 'current', supersededBy: null });
  });

  it('Ack and Error reference without superseding; self-references are ignored', () => {
    const state = lifecycleOfSet([
      { id: 's,A', msgType: 'Alert', sentMs: 0, references: [] },
      { id: 's,K', msgType: 'Ack', sentMs: 1, references: ['s,A'] },
      { id: 's,U', msgType: 'Update', sentMs: 2, references: ['s,U'] },
    ]);
    expect(state.get('s,A')?.lifecycle).toBe('current');
    expect(state.get('s,U')?.lifecycle).toBe('current');
  });
});

describe('alarm floods (shared/alerts/flood.ts, ISA-18.2)', () => {
  const now = 1_800_000_000_000;
  it('10 arrivals in 10 minutes is not a flood, 11 is', () => {
    const ten = Array.from({ length: 10 }, (_, i) => now - i * 50_000);
    expect(floodState(ten, now)).toMatchObject({ flood: false, ratePer10Min: 10 });
    expect(floodState([...ten, now - 1], now)).toMatchObject({ flood: true, ratePer10Min: 11 });
  });
  it('only the last 10 minutes count; the window end is when the oldest leaves', () => {
    const old = Array.from({ length: 30 }, (_, i) => now - FLOOD_WINDOW_MS - i);
    expect(floodState([...old, now - 1000], now)).toEqual({
      flood: false,
      ratePer10Min: 1,
      windowEndsAt: now - 1000 + FLOOD_WINDOW_MS,
    });
    expect(floodState([], now)).toEqual({ flood: false, ratePer10Min: 0, windowEndsAt: null });
  });
  it('future times count as now, NaN is ignored, other windows are scaled to 10 minutes', () => {
    expect(floodState([now + 60_000, Number.NaN], now).ratePer10Min).toBe(1);
    expect(floodState([now, now - 1, now - 2], now, { windowMs: 5 * 60_000 }).ratePer10Min).toBe(6);
  });
  it('flood iff more than the threshold within the window (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2 * FLOOD_WINDOW_MS, max: 0 }), { maxLength: 40 }), (offsets) => {
        const inWindow = offsets.filter((o) => o > -FLOOD_WINDOW_MS).length;
        const s = floodState(
          offsets.map((o) => now + o),
          now,
        );
        expect(s.ratePer10Min).toBe(inWindow);
        expect(s.flood).toBe(inWindow > 10);
      }),
      { seed: 7 },
    );
  });
});
