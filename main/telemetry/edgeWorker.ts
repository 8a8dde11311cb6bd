import type { TelemetryStatusPush } from '../../shared/telemetry/api';
import type { RuleSet } from '../../shared/telemetry/rules/schema';
import type { Replica } from '../replica/replica';
import { EdgeWarnings } from './edgeWarnings';
import type { TelemetryIngest } from './ingest';

/** The status push goes out at most this often (the contract says once a second). */
export const STATUS_PUSH_MS = 1_000;
/** How often silent sensors are looked for; their windows are minutes long. */
export const SWEEP_MS = 15_000;

export interface EdgeWorkerOptions {
  replica: Replica;
  telemetry: Pick<TelemetryIngest, 'onReadings' | 'counters'>;
  /**
   * The one place the rule sets come from (decision 0034's TelemetryRuleSource in the worker;
   * tests pass the bundled files). `onRulesChange` fires when they changed.
   */
  ruleSets: () => readonly RuleSet[];
  onRulesChange?: (listener: () => void) => () => void;
  /** local alerts changed: send a ChangeSet and flush the outbox */
  onAlerts: (alertIds: string[]) => void;
  /** a status push is ready */
  onStatus: (status: TelemetryStatusPush) => void;
  now?: () => number;
  statusEveryMs?: number;
  sweepEveryMs?: number;
}

export interface EdgeWorker {
  readonly edge: EdgeWarnings;
  /** call with the asset ids a hub batch upserted */
  assetsChanged(ids: readonly string[]): void;
  stop(): void;
}

/**
 * Runs the edge rule engine inside the replica worker (issue 9, decision 0032): every
 * reading the ingest accepts (hub or local source) is evaluated at once and its hits are
 * written as local alerts with their outbox rows; silent sensors are swept every
 * SWEEP_MS; the engine's state goes to the renderer as `telemetryStatus` at most once a
 * second, only what changed.
 */
export function startEdgeWorker(options: EdgeWorkerOptions): EdgeWorker {
  const now = options.now ?? Date.now;
  const edge = new EdgeWarnings({
    db: options.replica.db,
    ruleSets: options.ruleSets,
    record: (drafts, levelNow) => options.replica.edge.record(drafts, levelNow),
    onAlerts: options.onAlerts,
  });
  const unsubscribeReadings = options.telemetry.onReadings((readings) => {
    edge.ingest(readings);
  });
  const unsubscribeRules = options.onRulesChange?.(() => edge.rebuild()) ?? (() => {});
  const counters = (): NonNullable<TelemetryStatusPush['counters']> => {
    const c = options.telemetry.counters;
    return { accepted: c.accepted, refused: c.refused, droppedBatches: c.droppedBatches };
  };
  let lastCounters = '';
  const statusTimer = setInterval(() => {
    const c = counters();
    const key = JSON.stringify(c);
    const status = edge.takeStatus(c);
    if (status) options.onStatus(status);
    else if (key !== lastCounters) options.onStatus({ sensors: [], assets: [], counters: c });
    lastCounters = key;
  }, options.statusEveryMs ?? STATUS_PUSH_MS);
  const sweepTimer = setInterval(() => edge.sweep(now()), options.sweepEveryMs ?? SWEEP_MS);
  statusTimer.unref?.();
  sweepTimer.unref?.();
  return {
    edge,
    assetsChanged: (ids) => {
      if (ids.length) edge.assetsChanged(ids);
    },
    stop: () => {
      clearInterval(statusTimer);
      clearInterval(sweepTimer);
      unsubscribeReadings();
      unsubscribeRules();
    },
  };
}
