/**
 * User Timing marks on the page's way to its first frame with rows (issue 8, figure 5):
 * bench/screen-only.ts --profile prints them, and DevTools shows them on the timeline.
 * Each mark is set once per page (the session is polled every few seconds: the first answer
 * is the one on the way to the first frame), so the timeline never grows.
 */
export type StartMark = 'wf:main' | 'wf:session-asked' | 'wf:session-answered' | 'wf:pages-complete';

const marked = new Set<StartMark>();

export function startMark(name: StartMark): void {
  if (marked.has(name) || typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  marked.add(name);
  performance.mark(name);
}
