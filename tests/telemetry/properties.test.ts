import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextLevel, type Level } from '../../shared/telemetry/rules/hysteresis';
import { median, theilSen } from '../../shared/telemetry/rules/stats';

describe('Theil–Sen', () => {
  it('recovers an exact line', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.integer({ min: 3, max: 60 }),
        (slope, intercept, n) => {
          const xs = Array.from({ length: n }, (_, i) => i - n);
          const line = theilSen(
            xs,
            xs.map((x) => intercept + slope * x),
          );
          expect(line?.slope).toBeCloseTo(slope, 6);
          expect(line?.intercept).toBeCloseTo(intercept, 4);
        },
      ),
    );
  });

  it('is robust to fewer than 29% outliers, however wild', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.integer({ min: 20, max: 60 }),
        fc.double({ min: 0, max: 0.28, noNaN: true }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (slope, n, share, wild, seed) => {
          const xs = Array.from({ length: n }, (_, i) => i);
          const ys = xs.map((x) => 5 + slope * x);
          // corrupt a share of the points below the breakdown point, anywhere in the window
          const bad = Math.floor(share * n);
          const order = xs.map((x) => ((x * 2_654_435_761 + seed) >>> 0) % 1_000_003).map((k, i) => [k, i] as const);
          order.sort((a, b) => a[0] - b[0]);
          for (let j = 0; j < bad; j++) ys[order[j]![1]] = wild[j]!;
          const line = theilSen(xs, ys);
          // the fitted line at the window's end stays near the true one (not exact: the median of pair slopes moves a little)
          const truth = 5 + slope * (n - 1);
          const fitted = (line?.intercept ?? NaN) + (line?.slope ?? NaN) * (n - 1);
          expect(Number.isFinite(fitted)).toBe(true);
          // an unbounded outlier cannot drag it: the error stays a fraction of the signal's own span
          expect(Math.abs(fitted - truth)).toBeLessThanOrEqual(Math.abs(slope) * n + 1e-6);
        },
      ),
    );
  });

  it('finds the median like sorting does', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }), (vs) => {
        const s = [...vs].sort((a, b) => a - b);
        const n = s.length;
        const expected = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
        expect(median(vs)).toBe(expected);
      }),
    );
  });
});

describe('threshold with hysteresis', () => {
  const rule = {
    direction: 'rising' as const,
    warning: { enter: 600, clear: 570 },
    alarm: { enter: 850, clear: 810 },
  };

  it('does not flap: noise narrower than the hysteresis band around a level changes the level at most once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(600, 850),
        fc.array(fc.double({ min: -14.9, max: 14.9, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (levelAt, jitter) => {
          let level: Level = 'normal';
          // start settled below the band
          level = nextLevel(level, levelAt === 600 ? 500 : 700, rule);
          let changes = 0;
          for (const j of jitter) {
            const next = nextLevel(level, levelAt - 15 + j, rule);
            if (next !== level) changes++;
            level = next;
          }
          // hovering within 30 of the enter level can enter once, and never leave
          expect(changes).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('enters at enter and clears only past clear, for falling rules too', () => {
    const falling = {
      direction: 'falling' as const,
      warning: { enter: 0.3, clear: 0.31 },
      alarm: { enter: 0.22, clear: 0.23 },
    };
    const seq = [0.4, 0.3, 0.305, 0.31, 0.311, 0.22, 0.225, 0.23, 0.231, 0.5];
    const levels: Level[] = [];
    let l: Level = 'normal';
    for (const v of seq) levels.push((l = nextLevel(l, v, falling)));
    expect(levels).toEqual([
      'normal',
      'warning',
      'warning',
      'warning',
      'normal',
      'alarm',
      'alarm',
      'alarm',
      'warning',
      'normal',
    ]);
  });

  it('the level is a function of the value alone once outside every band', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Level>('normal', 'warning', 'alarm'),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        (prev, v) => {
          fc.pre(!(v >= 570 && v < 600) && !(v >= 810 && v < 850));
          expect(nextLevel(prev, v, rule)).toBe(v >= 850 ? 'alarm' : v >= 600 ? 'warning' : 'normal');
        },
      ),
    );
  });
});
