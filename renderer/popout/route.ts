import { PopoutPanel } from '../../shared/api';

/**
 * Which window this is: the console (no hash) or a pop-out showing one panel
 * (`#/popout/<panel>`, decision 0028). Read once at start: a window never changes role.
 */
export type WindowRole = { kind: 'console' } | { kind: 'popout'; panel: PopoutPanel } | { kind: 'unknown-popout' };

const POPOUT_RE = /^#\/popout\/([^/?#]*)$/;

export function windowRoleOf(hash: string): WindowRole {
  const m = POPOUT_RE.exec(hash);
  if (!m) return { kind: 'console' };
  const panel = PopoutPanel.safeParse(decodeURIComponent(m[1] ?? ''));
  return panel.success ? { kind: 'popout', panel: panel.data } : { kind: 'unknown-popout' };
}

export const popoutHash = (panel: PopoutPanel): string => `#/popout/${panel}`;

let current: WindowRole | null = null;
/** This window's role (from location.hash at first call). */
export function windowRole(): WindowRole {
  current ??= windowRoleOf(typeof location === 'undefined' ? '' : location.hash);
  return current;
}
