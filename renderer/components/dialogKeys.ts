import type { KeyboardEvent } from 'react';

/**
 * A dialog's keys: Escape closes it (and goes no further, so the panel behind it keeps its
 * selection); with `submit`, Ctrl/⌘+Enter sends it from any field, the note's textarea too.
 */
export function dialogKeys(close: () => void, submit?: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (submit && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };
}
