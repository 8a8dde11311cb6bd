/**
 * Robust statistics for the rule engine. Allocation-free where it matters: the
 * engine fits one Theil–Sen line per reading per sensor, so medians are found
 * by quickselect in a reused scratch buffer rather than by sorting copies.
 */

let scratch = new Float64Array(1024);
function buffer(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/** k-th smallest of a[0..n) (0-based), reordering a in place (Hoare quickselect). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

/** Median of the first n values of a; reorders a. */
function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const upper = select(a, n, n >> 1);
  if (n % 2 === 1) return upper;
  // the lower middle is the largest value left of the upper middle after selection
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return (lower + upper) / 2;
}

export function median(values: ArrayLike<number>): number {
  const n = values.length;
  const a = buffer(n);
  for (let i = 0; i < n; i++) a[i] = values[i] as number;
  return medianInPlace(a, n);
}

/** Median absolute deviation from the median. */
export function mad(values: ArrayLike<number>): number {
  const m = median(values);
  const n = values.length;
  const a = buffer(n);
  for (let i = 0; i < n; i++) a[i] = Math.abs((values[i] as number) - m);
  return medianInPlace(a, n);
}

/** MAD scaled to estimate a normal standard deviation. */
export const MAD_TO_SIGMA = 1.4826;

export interface Line {
  /** change per unit of x */
  readonly slope: number;
  /** value at x = 0 */
  readonly intercept: number;
}

/**
 * Theil–Sen estimator: the slope is the median of the slopes of all pairs of
 * points, the intercept the median of y − slope·x. Its breakdown point is about
 * 29%: fewer outliers than that cannot drag the line arbitrarily far, which is
 * why a spiking sensor does not fake a trend (decision 0030). Pairs with equal x
 * are skipped. Returns null with fewer than two distinct x.
 */
export function theilSen(xs: ArrayLike<number>, ys: ArrayLike<number>, n = xs.length): Line | null {
  // one monomorphic hot loop: callers with plain arrays pay for a copy
  const fx = xs instanceof Float64Array ? xs : Float64Array.from(xs);
  const fy = ys instanceof Float64Array ? ys : Float64Array.from(ys);
  return fit(fx, fy, n);
}

function fit(xs: Float64Array, ys: Float64Array, n: number): Line | null {
  const pairs = (n * (n - 1)) / 2;
  const a = buffer(Math.max(pairs, n));
  let m = 0;
  for (let i = 0; i < n; i++) {
    const xi = xs[i] as number;
    const yi = ys[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = (xs[j] as number) - xi;
      if (dx !== 0) a[m++] = ((ys[j] as number) - yi) / dx;
    }
  }
  if (m === 0) return null;
  const slope = medianInPlace(a, m);
  for (let i = 0; i < n; i++) a[i] = (ys[i] as number) - slope * (xs[i] as number);
  return { slope, intercept: medianInPlace(a, n) };
}
