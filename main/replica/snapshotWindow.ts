import type { Snapshot, SnapshotPage } from '../../shared/api';
import type { Replica } from './replica';

/**
 * The renderer's first snapshot, windowed at city scale (issue 8, decision 0038). A console
 * with 100 000 assets and 50 000 active alerts cannot send all of them before its first
 * frame: reading, cloning and normalising every row took longer than the officer should wait.
 * So above a few thousand rows the first snapshot holds the queue's first rows in queue order
 * (the alerts the officer sees first) and no assets, with counts of what is left; the renderer
 * reads the rest in pages after its first frame (`page`). Below the limits it holds everything,
 * exactly as before.
 *
 * Pages carry the rows the renderer keeps: assets, and alerts that are the current message of
 * their thread or were closed by a Cancel (the queue's two views; a Cancel borrows the headline
 * of what it closed). Superseded messages are not streamed: the alert detail reads a thread's
 * history from the replica when it is opened, and a push brings any row that changes.
 */
export const WINDOW = {
  /** up to this many alerts, the first snapshot holds all of them */
  wholeAlertsUpTo: 2_000,
  /** above it: this many of the active queue, in queue order */
  firstAlerts: 300,
  /** up to this many assets, the first snapshot holds all of them; above it, none */
  wholeAssetsUpTo: 5_000,
} as const;

/** the queue's order (`alerts_queue`), current messages that are not Cancels */
const FIRST_ALERTS_SQL = `SELECT id FROM alerts
  WHERE lifecycle = 'current' AND msg_type <> 'Cancel'
  ORDER BY severity_rank DESC, urgency_rank DESC, sent_ms DESC, id LIMIT ?`;
const KEPT = `lifecycle = 'current' OR lifecycle = 'cancelled'`;

export function firstSnapshot(
  replica: Replica,
  rest: Omit<Snapshot, 'assets' | 'alerts' | 'rest'>,
  window: { [K in keyof typeof WINDOW]: number } = WINDOW,
): Snapshot {
  const db = replica.readDb;
  const count = (sql: string, ...args: unknown[]): number =>
    db
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  // Counted only up to the limit: a count(*) of 900 000 alert rows alone took seconds at start.
  const alertCount = count('SELECT count(*) FROM (SELECT 1 FROM alerts LIMIT ?)', window.wholeAlertsUpTo + 1);
  const assetCount = count('SELECT count(*) FROM (SELECT 1 FROM assets LIMIT ?)', window.wholeAssetsUpTo + 1);
  if (alertCount <= window.wholeAlertsUpTo && assetCount <= window.wholeAssetsUpTo)
    return { ...rest, assets: replica.assets(), alerts: replica.alertQueue() };
  const alerts =
    alertCount <= window.wholeAlertsUpTo
      ? replica.alertQueue()
      : replica.alertSummaries(db.prepare(FIRST_ALERTS_SQL).pluck().all(window.firstAlerts) as string[]);
  const assets = assetCount <= window.wholeAssetsUpTo ? replica.assets() : [];
  return {
    ...rest,
    assets,
    alerts,
    rest: {
      // current messages, from the partial index alerts_group_candidates (the closed view's few Cancels aside)
      alerts:
        alertCount <= window.wholeAlertsUpTo ? 0 : count(`SELECT count(*) FROM alerts WHERE lifecycle = 'current'`),
      assets: assetCount <= window.wholeAssetsUpTo ? 0 : count('SELECT count(*) FROM assets'),
    },
  };
}

/** Rows after `after` (rowid / rid), in that order: a keyset page, steady however the tables grow. */
export function snapshotPage(
  replica: Replica,
  args: { kind: 'alerts' | 'assets'; after: number; limit: number },
): SnapshotPage {
  const db = replica.readDb;
  if (args.kind === 'assets') {
    const rows = db
      .prepare('SELECT rid, doc FROM assets WHERE rid > ? ORDER BY rid LIMIT ?')
      .raw()
      .all(args.after, args.limit) as [number, string][];
    return {
      alerts: [],
      assets: rows.map((r) => JSON.parse(r[1]) as SnapshotPage['assets'][number]),
      next: rows.length < args.limit ? null : rows.at(-1)![0],
    };
  }
  // A page reads at most `limit` kept rows; superseded ones in between are skipped by the scan.
  const rows = db
    .prepare(`SELECT rowid, id FROM alerts WHERE rowid > ? AND (${KEPT}) ORDER BY rowid LIMIT ?`)
    .raw()
    .all(args.after, args.limit) as [number, string][];
  return {
    alerts: replica.alertSummaries(rows.map((r) => r[1])),
    assets: [],
    next: rows.length < args.limit ? null : rows.at(-1)![0],
  };
}
