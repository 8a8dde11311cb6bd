/**
 * Where a keyboard-first list's cursor goes for a navigation key (the alert queue, the
 * monitored assets): the first arrow press only shows the cursor where it stands; the caller
 * clamps the index. Undefined: not a navigation key, the list decides (Enter, Space).
 */
export function listMoveTarget(
  key: string,
  from: number,
  hasCursor: boolean,
  length: number,
  page: number,
): number | undefined {
  switch (key) {
    case 'ArrowDown':
      return hasCursor ? from + 1 : from;
    case 'ArrowUp':
      return hasCursor ? from - 1 : from;
    case 'PageDown':
      return from + page;
    case 'PageUp':
      return from - page;
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    default:
      return undefined;
  }
}
