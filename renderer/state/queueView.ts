import { severityRank, urgencyRank } from '../../shared/domain/cap';
import type { DeepReadonly } from './readonly';
import type { AlertSummary } from '../../shared/domain/alert';

/**
 * Pure helpers for how the queue shows alerts: which messages are the open threads,
 * how they group (correlation groups; in a flood, event and area), which info block
 * comes first. No store, no DOM: tested in tests/renderer/queueView.test.ts.
 */

type Row = DeepReadonly<AlertSummary>;

/**
 * The queue's two views of message threads. `active`: the current version of each open
 * thread. `closed`: threads a Cancel closed (their current version is the Cancel itself,
 * CAP `references` as a set); superseded and cancelled messages stay in the history of
 * the message that replaced them.
 */
export type ThreadView = 'active' | 'closed';

/** A thread's current version that is still open for the officer. A row from an older host (no lifecycle) is current. */
export const isActiveThread = (a: Pick<Row, 'lifecycle' | 'msgType'>): boolean =>
  (a.lifecycle ?? 'current') === 'current' && a.msgType !== 'Cancel';

/** The current version of a thread a Cancel closed: the Cancel message. */
export const isClosedThread = (a: Pick<Row, 'lifecycle' | 'msgType'>): boolean =>
  (a.lifecycle ?? 'current') === 'current' && a.msgType === 'Cancel';

export const inThreadView = (a: Pick<Row, 'lifecycle' | 'msgType'>, view: ThreadView): boolean =>
  view === 'active' ? isActiveThread(a) : isClosedThread(a);

// ---- grouping --------------------------------------------------------------------------

/** `list`: one row per alert; `grouped`: by correlation group; `flood`: by event and area. */
export type QueueLayout = 'list' | 'grouped' | 'flood';

/** A flat queue entry for the virtual list: an alert on its own, a group, or a member under an open group. */
export type QueueEntry =
  | { readonly kind: 'alert'; readonly id: string }
  | { readonly kind: 'group'; readonly key: string; readonly ids: readonly string[]; readonly expanded: boolean }
  | { readonly kind: 'member'; readonly id: string; readonly groupKey: string };

/** About 5 km cells: "the same area" for alerts without a correlation group. */
const CELL_DEG = 0.05;

/**
 * The group an alert belongs to in a layout, or null for "on its own". Actual and
 * non-Actual messages never share a group: an exercise never hides among real alerts.
 */
export function groupKeyOf(a: Row, layout: QueueLayout): string | null {
  if (layout === 'list') return null;
  const real = a.status === 'Actual' ? 'A' : 'X';
  if (layout === 'grouped') return a.groupId ? `${real}|g|${a.groupId}` : null;
  const area = a.groupId
    ? `g:${a.groupId}`
    : a.center
      ? `c:${Math.floor(a.center.lat / CELL_DEG)}:${Math.floor(a.center.lon / CELL_DEG)}`
      : 'none';
  return `${real}|e|${a.event.toLowerCase()}|${area}`;
}

/**
 * Queue entries from ids already in queue order (most severe first): a group takes the
 * place of its most severe member, so the most severe stay on top; its members keep the
 * queue order inside it. A group of one is shown as the alert itself.
 */
export function groupEntries(
  ids: readonly string[],
  entities: Readonly<Record<string, Row | undefined>>,
  layout: QueueLayout,
  expanded: ReadonlySet<string>,
): readonly QueueEntry[] {
  if (layout === 'list') return ids.map((id) => ({ kind: 'alert', id }));
  const members = new Map<string, string[]>();
  const keyOf: (string | null)[] = [];
  for (const id of ids) {
    const a = entities[id];
    const key = a ? groupKeyOf(a, layout) : null;
    keyOf.push(key);
    if (key === null) continue;
    const list = members.get(key);
    if (list) list.push(id);
    else members.set(key, [id]);
  }
  const out: QueueEntry[] = [];
  const placed = new Set<string>();
  ids.forEach((id, i) => {
    const key = keyOf[i];
    const list = key === null || key === undefined ? undefined : members.get(key);
    if (!list || list.length < 2 || key === null || key === undefined) {
      out.push({ kind: 'alert', id });
      return;
    }
    if (placed.has(key)) return;
    placed.add(key);
    const open = expanded.has(key);
    out.push({ kind: 'group', key, ids: list, expanded: open });
    if (open) for (const m of list) out.push({ kind: 'member', id: m, groupKey: key });
  });
  return out;
}

/** Severity counts of a group's members, worst first: "Severe 3 · Moderate 11". */
export function severityBreakdown(
  ids: readonly string[],
  entities: Readonly<Record<string, Row | undefined>>,
): readonly { severity: Row['severity']; count: number }[] {
  const counts = new Map<Row['severity'], number>();
  for (const id of ids) {
    const a = entities[id];
    if (a) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((x, y) => severityRank[y[0]] - severityRank[x[0]])
    .map(([severity, count]) => ({ severity, count }));
}

/** Worst first, like the queue: a group's members and the detail's member list. */
export const bySeverity = (a: Row, b: Row): number =>
  severityRank[b.severity] - severityRank[a.severity] || urgencyRank[b.urgency] - urgencyRank[a.urgency];

// ---- floods ----------------------------------------------------------------------------

/**
 * Arrival times (ms) that count towards an alarm flood: new alerts and updates (an Update
 * announces again); Cancels, Acks and Errors ask nothing of the officer.
 */
export function floodArrivals(rows: Iterable<Row>): number[] {
  const out: number[] = [];
  for (const a of rows) {
    if (a.msgType !== 'Alert' && a.msgType !== 'Update') continue;
    const t = receivedMs(a);
    if (Number.isFinite(t)) out.push(t);
  }
  return out;
}

/** Arrival time per stored row, parsed once (rows are immutable): a push re-checks 50 000 alerts cheaply. */
const receivedCache = new WeakMap<Row, number>();
function receivedMs(a: Row): number {
  let t = receivedCache.get(a);
  if (t === undefined) {
    t = Date.parse(a.receivedAt);
    receivedCache.set(a, t);
  }
  return t;
}

export interface FloodEpisode {
  /** the flood detector's verdict now */
  readonly active: boolean;
  /** the layout the officer had when the flood began, restored when it ends */
  readonly layoutBefore: QueueLayout | null;
}

/**
 * The queue's reaction to the detector: a flood that STARTS switches to flood view; while
 * it lasts the officer may leave it (and it stays left); when it ends, flood view gives
 * way to the layout from before. Returns the layout to show and the new episode.
 */
export function reactToFlood(
  flood: boolean,
  layout: QueueLayout,
  episode: FloodEpisode,
): { layout: QueueLayout; episode: FloodEpisode } {
  if (flood && !episode.active) return { layout: 'flood', episode: { active: true, layoutBefore: layout } };
  if (!flood && episode.active) {
    const back = layout === 'flood' ? (episode.layoutBefore ?? 'list') : layout;
    return { layout: back === 'flood' ? 'list' : back, episode: { active: false, layoutBefore: null } };
  }
  return { layout, episode };
}

// ---- languages -------------------------------------------------------------------------

/** How close a CAP `language` is to the officer's UI language: 0 same tag, 1 same base (en ↔ en-GB, zh-CN ↔ zh-Hans), 2 other. */
export function languageDistance(capLanguage: string, uiLanguage: string): number {
  const cap = capLanguage.trim().toLowerCase();
  const ui = uiLanguage.toLowerCase();
  if (cap === ui) return 0;
  if ((cap.split('-')[0] ?? '') === (ui.split('-')[0] ?? '')) return 1;
  return 2;
}

/**
 * Info blocks as language tabs: blocks in one language together (in message order), the
 * tab nearest the officer's UI language first, the others in message order.
 */
export function languageTabs<T extends { readonly language: string }>(
  infos: readonly T[],
  uiLanguage: string,
): readonly { language: string; infos: readonly T[] }[] {
  const tabs = new Map<string, T[]>();
  for (const info of infos) {
    const key = info.language.trim() || 'und';
    const list = tabs.get(key);
    if (list) list.push(info);
    else tabs.set(key, [info]);
  }
  const ordered = [...tabs.entries()].map(([language, list], i) => ({ language, infos: list, i }));
  ordered.sort(
    (a, b) => languageDistance(a.language, uiLanguage) - languageDistance(b.language, uiLanguage) || a.i - b.i,
  );
  return ordered.map(({ language, infos: list }) => ({ language, infos: list }));
}
