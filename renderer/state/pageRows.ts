import { freeze, type EntityState } from '@reduxjs/toolkit';

/**
 * Adds a snapshot page's rows to an entity state without immer (issue 8, decision 0041).
 *
 * A page brings 2 000–5 000 rows into a state that already holds tens of thousands. Through
 * the entity adapter inside an immer draft, each page cost a full re-sort of the ids
 * (RTK's sorted adapter rebuilds the id list and splices each row in), a draft of the
 * 50 000-key entities object and immer's finalise and deep freeze of the result: 0.3–0.5 s
 * of the page's main thread per page at city scale, growing with every page. Here: the new
 * rows sorted among themselves, one linear merge with the stored order, one copy of the
 * entities object. The result is frozen (shallowly), so immer takes it as it is; the new rows
 * are frozen deeply here, as immer froze them: left thawed, immer froze them at the next live
 * change of the slice instead (its finalise walks the entities copy), on that push's time.
 *
 * Rows already stored are left alone (a page is never newer than what the store holds:
 * decision 0038); a row repeated inside the page counts once (the last copy).
 */
export function withPageRows<T extends { readonly id: string }, S extends EntityState<T, string>>(
  base: S,
  rows: readonly T[],
  compare?: (a: T, b: T) => number,
): S {
  const added = new Map<string, T>();
  for (const row of rows) if (base.entities[row.id] === undefined) added.set(row.id, row);
  if (added.size === 0) return base;
  const entities: Record<string, T> = { ...base.entities };
  for (const [id, row] of added) entities[id] = freeze(row, true);
  const fresh = [...added.values()];
  let ids: string[];
  if (!compare) ids = [...base.ids, ...fresh.map((r) => r.id)];
  else {
    fresh.sort(compare);
    ids = new Array<string>(base.ids.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    // Stable like the adapter's binary insertion: a new row goes after stored rows that compare equal.
    while (i < base.ids.length && j < fresh.length) {
      const stored = base.entities[base.ids[i]!]!;
      if (compare(fresh[j]!, stored) >= 0) ids[k++] = base.ids[i++]!;
      else ids[k++] = fresh[j++]!.id;
    }
    while (i < base.ids.length) ids[k++] = base.ids[i++]!;
    while (j < fresh.length) ids[k++] = fresh[j++]!.id;
  }
  return Object.freeze({ ...base, ids: Object.freeze(ids), entities: Object.freeze(entities) }) as S;
}
