/** State the renderer holds is never mutated outside a reducer: the type says so all the way down. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? ReadonlyArray<DeepReadonly<U>>
  : T extends ReadonlyArray<infer V>
    ? ReadonlyArray<DeepReadonly<V>>
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/**
 * Structural equality of plain data (what crosses the bridge: objects, arrays,
 * strings, numbers, booleans, null). Used so that a pushed row equal to the stored
 * one leaves the store untouched: same references, no re-render.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (!Object.prototype.hasOwnProperty.call(ra, key)) continue;
    const va = ra[key];
    // `undefined` and a missing key mean the same thing in JSON.
    if (va === undefined) continue;
    count++;
    if (!sameData(va, rb[key])) return false;
  }
  for (const key in rb) if (Object.prototype.hasOwnProperty.call(rb, key) && rb[key] !== undefined) count--;
  return count === 0;
}

/** The rows of `incoming` that differ from what `stored` holds under the same id. */
export function changedRows<T extends { readonly id: string }>(
  stored: Readonly<Record<string, T | undefined>>,
  incoming: readonly T[],
): T[] {
  const changed: T[] = [];
  for (const row of incoming) if (!sameData(stored[row.id], row)) changed.push(row);
  return changed;
}
