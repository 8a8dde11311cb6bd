import { describe, expect, it } from 'vitest';
import { listMoveTarget } from '../../renderer/components/listKeys';

describe('listMoveTarget', () => {
  it('shows the cursor where it stands on the first arrow press, then moves one row', () => {
    expect(listMoveTarget('ArrowDown', 4, false, 10, 8)).toBe(4);
    expect(listMoveTarget('ArrowDown', 4, true, 10, 8)).toBe(5);
    expect(listMoveTarget('ArrowUp', 4, false, 10, 8)).toBe(4);
    expect(listMoveTarget('ArrowUp', 4, true, 10, 8)).toBe(3);
  });
  it('pages by the page size and jumps to the ends', () => {
    expect(listMoveTarget('PageDown', 4, true, 100, 8)).toBe(12);
    expect(listMoveTarget('PageUp', 4, true, 100, 8)).toBe(-4);
    expect(listMoveTarget('Home', 40, true, 100, 8)).toBe(0);
    expect(listMoveTarget('End', 4, true, 100, 8)).toBe(99);
  });
  it('leaves every other key to the list', () => {
    for (const key of ['Enter', ' ', 'a', 'Escape']) expect(listMoveTarget(key, 4, true, 10, 8)).toBeUndefined();
  });
});
