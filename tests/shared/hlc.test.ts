import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../../shared/clock';
import { decodeHlc, encodeHlc, HybridLogicalClock } from '../../shared/hlc';

describe('hybrid logical clock', () => {
  it('keeps increasing when the wall clock jumps backwards', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const hlc = new HybridLogicalClock(clock, 'console-a');
    const first = hlc.tick();
    clock.set(1_600_000_000_000); // an NTP step backwards by ~3 years
    const second = hlc.tick();
    const third = hlc.tick();
    expect(second > first).toBe(true);
    expect(third > second).toBe(true);
    expect(decodeHlc(second).wall).toBe(1_700_000_000_000);
  });

  it('never goes behind a timestamp received from elsewhere', () => {
    const clock = new ManualClock(1_000);
    const hlc = new HybridLogicalClock(clock, 'a');
    const remote = encodeHlc({ wall: 5_000, counter: 7, node: 'hub' });
    hlc.receive(remote);
    const next = hlc.tick();
    expect(next > remote).toBe(true);
  });

  it('string order is timestamp order for any sequence of ticks and receives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('tick' as const), wall: fc.integer({ min: 0, max: 1e12 }) }),
            fc.record({
              kind: fc.constant('recv' as const),
              wall: fc.integer({ min: 0, max: 1e12 }),
              counter: fc.integer({ min: 0, max: 999 }),
            }),
          ),
          { maxLength: 50 },
        ),
        (steps) => {
          const clock = new ManualClock(0);
          const hlc = new HybridLogicalClock(clock, 'n1');
          let previous = hlc.current();
          for (const step of steps) {
            clock.set(step.wall);
            if (step.kind === 'tick') {
              const t = hlc.tick();
              expect(t > previous).toBe(true);
              previous = t;
            } else {
              hlc.receive(encodeHlc({ wall: step.wall, counter: step.counter, node: 'n2' }));
              expect(hlc.current() >= previous).toBe(true);
              previous = hlc.current();
            }
          }
        },
      ),
    );
  });

  it('restores from its persisted value', () => {
    const clock = new ManualClock(10);
    const saved = encodeHlc({ wall: 99_999, counter: 3, node: 'a' });
    const hlc = new HybridLogicalClock(clock, 'a', saved);
    expect(hlc.tick() > saved).toBe(true);
  });

  it('rejects a malformed timestamp', () => {
    expect(() => decodeHlc('yesterday')).toThrow();
  });
});
