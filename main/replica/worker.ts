import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ChangeSet } from '../../shared/api';
import { fail, ok, toAppError, WatchfloorError, type Result } from '../../shared/errors';
import { SyncEngine, type SyncChange } from '../sync/engine';
import { claimsOfToken } from '../sync/authors';
import { loadBundledRules } from '../telemetry/bundledRules';
import { startEdgeWorker, type EdgeWorker } from '../telemetry/edgeWorker';
import { startLocalSource } from '../telemetry/localSource';
import { TelemetryIngest } from '../telemetry/ingest';
import { TelemetryQueries } from '../telemetry/series';
import { TelemetryRuleSource } from '../telemetry/ruleSource';
import { TelemetryStore } from '../telemetry/store';
import { afterWaitingCalls } from './callsFirst';
import { Replica } from './replica';
import { telemetryRulesTarget } from './telemetryRules';
import { emptyTouched } from './response';
import { firstSnapshot, snapshotPage } from './snapshotWindow';
import { HostToWorker, WorkerConfig, workerOps, type WorkerOp, type WorkerToHost } from './rpc';

/**
 * The replica worker: the single writer of replica.sqlite, the sync engine and the
 * outbox (decision 0002). The host sends calls; the worker answers and posts coalesced
 * change notifications.
 */

if (!parentPort) throw new Error('main/replica/worker.ts runs only as a worker_threads worker.');
const port = parentPort;

const post = (message: WorkerToHost): void => port.postMessage(message);
/** How often the progress of a catch-up far behind is posted, ms (decision 0040). */
const QUIET_WINDOW_MS = 100;

function main(): void {
  const config = WorkerConfig.parse(workerData);
  mkdirSync(config.dataDir, { recursive: true });
  // Calls the host has posted and this thread has not taken yet (main/replica/client.ts): while
  // one waits, the apply ends its transaction early (decision 0037). Not a schema'd field: a
  // SharedArrayBuffer is checked by its class.
  const shared = (workerData as { urgentCalls?: unknown } | null)?.urgentCalls;
  const urgentCalls = shared instanceof SharedArrayBuffer ? new Int32Array(shared) : null;
  const replica = new Replica({
    file: path.join(config.dataDir, 'replica.sqlite'),
    consoleId: config.consoleId,
    migrationsDir: config.migrationsDir,
    // Set by the Electron shell when it runs with Electron's build of better-sqlite3.
    nativeBinding: process.env.WATCHFLOOR_SQLITE_BINDING || undefined,
    key: config.replicaKey ? Buffer.from(config.replicaKey, 'hex') : undefined,
    // every action is stamped with the officer signed in, and sent only in their name (decision 0036)
    officer: claimsOfToken(config.token)?.key ?? null,
  });
  // Sensor readings (issue 9, decision 0031), stored outside the log. Every accepted batch goes
  // to `telemetry.onReadings` listeners (the edge rule engine); a local second source feeds its
  // batches in through `telemetry.ingest(batch, 'local')`, the hub's arrive through the engine.
  // its log: a batch the replica could not store, a listener (the edge engine) that threw, retention
  const telemetry = new TelemetryIngest({
    store: new TelemetryStore(replica.db),
    log: (line) => console.warn(`watchfloor: ${line}`),
  });
  // charts and sparklines (getTelemetrySeries, getSparklines); levels from the rules in force
  const telemetryQueries = new TelemetryQueries({ db: replica.db, store: telemetry.store });

  // The telemetry rules in force (issue 9, decision 0034): the bundled files, read once here (a
  // file that fails the schema is refused whole, the rest kept), overridden by supervisors' edits
  // on the log. The edge rule engine rebuilds from rules.currentRuleSets() on rules.onChange.
  const bundledRules = loadBundledRules();
  for (const r of bundledRules.refused)
    console.warn(`watchfloor: telemetry rules file ${r.file} refused (${r.code}): ${r.message}`);
  const rules = new TelemetryRuleSource(
    bundledRules,
    replica.telemetryRules,
    () => engine.status().officer?.name ?? '',
  );
  let rulesTouched = false;
  // The edge rule engine (issue 9, decision 0032): started once the sync engine exists.
  let edgeWarnings: EdgeWorker | null = null;

  // Changes are gathered and posted at most once per window, as fresh rows.
  const windowMs = config.changeWindowMs ?? 16;
  const changedAlerts = new Set<string>();
  const changedAssets = new Set<string>();
  let statusChanged = false;
  // Incident response (issue 4): rows changed by the hub's entries, and whether an action of
  // this console changed state (then every incident and unit is re-read: a few hundred rows,
  // the renderer drops the unchanged ones) and what it had shown as pending-only.
  const response = emptyTouched();
  let ownActionsChanged = false;
  let shownPendingIncidents = new Set<string>();
  let shownPendingLog = new Set<string>();
  let shownRefused = -1;
  const responseChanges = (): Partial<ChangeSet> => {
    const touched = response.incidents.size + response.units.size + response.logEntries.size + response.steps.size;
    if (!ownActionsChanged && touched === 0) return {};
    const r = replica.response;
    r.setOfficer(engine.status().officer);
    const incidents = ownActionsChanged ? r.incidents() : r.incidents([...response.incidents]);
    const units = ownActionsChanged ? r.units() : r.units([...response.units]);
    const logEntries = r.logEntries([...response.logEntries]);
    const stepKeys = new Set(response.steps);
    const out: Partial<ChangeSet> = { incidents, units, checklistSteps: [] };
    if (ownActionsChanged) {
      const pendingLog = r.pendingLogEntries();
      logEntries.push(...pendingLog);
      for (const key of r.pendingStepKeys()) stepKeys.add(key);
      const pendingIncidents = new Set(incidents.filter((i) => i.number === null).map((i) => i.id));
      const present = new Set(incidents.map((i) => i.id));
      const logIds = new Set(pendingLog.map((e) => e.id));
      const confirmedLog = new Set(logEntries.filter((e) => !e.pending).map((e) => e.id));
      out.removed = {
        incidents: [...shownPendingIncidents].filter((id) => !present.has(id)),
        logEntries: [...shownPendingLog].filter(
          (id) => !logIds.has(id) && !confirmedLog.has(id) && r.logEntries([id]).length === 0,
        ),
      };
      shownPendingIncidents = pendingIncidents;
      shownPendingLog = logIds;
      const refused = r.needsAttention();
      if (refused.length !== shownRefused) {
        shownRefused = refused.length;
        out.needsAttention = refused;
      }
    }
    out.logEntries = logEntries;
    out.checklistSteps = stepKeys.size ? r.steps([...stepKeys]) : [];
    response.incidents.clear();
    response.units.clear();
    response.logEntries.clear();
    response.steps.clear();
    ownActionsChanged = false;
    return out;
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  // A catch-up far behind (decision 0040): the rows its pages change are neither read nor posted
  // (at 1 000 000 entries that was a summary read, a post and a renderer merge per alert); the
  // renderer shows the progress (status, at most every QUIET_WINDOW_MS) and, once the catch-up is
  // near the head or over, reads everything again from one `resync`.
  let resyncOwed = false;
  let timerQuiet = false;
  let farBehind = (): boolean => false;
  const schedule = (quiet: boolean): void => {
    if (timer && (quiet || !timerQuiet)) return;
    if (timer) clearTimeout(timer);
    timerQuiet = quiet;
    timer = setTimeout(() => {
      // Due now, even if deferred behind a waiting call to later in this turn: a change arriving
      // meanwhile must not replace it (`timer` stays set until the flush runs).
      timerQuiet = false;
      flushChanges();
    }, quiet ? QUIET_WINDOW_MS : windowMs);
  };
  // A call waiting when the flush is due is answered first (decision 0042); `timer` stays set meanwhile.
  const flushChanges = afterWaitingCalls(urgentCalls && (() => Atomics.load(urgentCalls, 0) > 0), (): void => {
    timer = null;
    const resync = resyncOwed && !farBehind();
    if (resync) {
      // the renderer reads every row again: none needs reading here
      resyncOwed = false;
      changedAlerts.clear();
      changedAssets.clear();
    }
    const changes: ChangeSet = {
      ...(resync ? { resync: true } : {}),
      alerts: changedAlerts.size ? replica.alertSummaries([...changedAlerts]) : [],
      assets: changedAssets.size ? replica.assets([...changedAssets]) : [],
      ...(statusChanged ? { status: engine.status() } : {}),
      ...responseChanges(),
    };
    if (rulesTouched) {
      rulesTouched = false;
      if (rules.changed()) changes.telemetryRules = rules.rules();
    }
    changedAlerts.clear();
    changedAssets.clear();
    statusChanged = false;
    post({ kind: 'changes', changes });
  });
  const onChange = (change: SyncChange): void => {
    if (change.quiet) resyncOwed ||= change.alerts.length + change.assets.length > 0;
    else {
      for (const id of change.alerts) changedAlerts.add(id);
      for (const id of change.assets) changedAssets.add(id);
    }
    edgeWarnings?.assetsChanged(change.assets);
    statusChanged ||= change.status;
    // a rule edit applied from the log, or one of ours written, confirmed or refused, or a snapshot
    // swapped in (its telemetry_rules came from a staging replica: this one's takeChanged never saw them)
    if (
      replica.telemetryRules.takeChanged() ||
      change.targets?.some((t) => t.startsWith('telemetryRules:') || t === 'local:rebuild')
    ) {
      rulesTouched = true;
      rules.stale();
    }
    if (change.response) {
      for (const id of change.response.incidents) response.incidents.add(id);
      for (const id of change.response.units) response.units.add(id);
      for (const id of change.response.logEntries) response.logEntries.add(id);
      for (const key of change.response.steps) response.steps.add(key);
    }
    if (change.targets?.some((t) => !t.startsWith('alert:'))) ownActionsChanged = true;
    schedule(change.quiet === true);
  };
  /** A local response action is in the outbox: show it now, send it when the hub is there. */
  const acted = <R>(result: R): R => {
    onChange({ alerts: [], assets: [], status: true, targets: ['local:action'] });
    engine.notifyOutbox();
    return result;
  };

  const engine = new SyncEngine({
    replica,
    hubUrl: config.hubUrl,
    token: config.token,
    ...(config.deliveryTokens ? { deliveryTokens: config.deliveryTokens } : {}),
    reconnect: config.reconnect,
    ackTimeoutMs: config.ackTimeoutMs,
    ...(config.quietBehind !== undefined ? { quietBehind: config.quietBehind } : {}),
    onChange,
    telemetry,
    ...(urgentCalls ? { urgent: () => Atomics.load(urgentCalls, 0) > 0 } : {}),
  });
  farBehind = () => engine.farBehind();

  // Every accepted reading (hub or local source) through the console's own rules; hits become
  // local alerts with their outbox rows at once, also offline (issue 9, decision 0032).
  edgeWarnings = startEdgeWorker({
    replica,
    telemetry,
    ruleSets: () => rules.currentRuleSets(),
    onRulesChange: (listener) => rules.onChange(listener),
    onAlerts: (alertIds) => {
      onChange({ alerts: alertIds, assets: [], status: true });
      engine.notifyOutbox();
    },
    onStatus: (status) => post({ kind: 'telemetryStatus', status }),
  });
  // A second telemetry source on the control room's network, or a recording (issue 9): its
  // batches go through the same ingest as the hub's, so the same rules see them.
  const localSource = config.localTelemetry
    ? startLocalSource(config.localTelemetry, (raw) => telemetry.ingest(raw, 'local'), {
        log: (line) => console.warn(line),
      })
    : null;
  // charts draw the levels of the rules in force and the sensor's state as the edge engine sees it
  telemetryQueries.setRuleSource(() => rules.currentRuleSets());
  telemetryQueries.setStateProvider((assetId, sensor) => edgeWarnings?.edge.sensorStateOf(assetId, sensor) ?? null);

  const handlers: { [K in WorkerOp]: (args: never) => unknown } = {
    // windowed at city scale, the rest read in pages after the first frame (decision 0038)
    getSnapshot: () =>
      firstSnapshot(replica, {
        status: engine.status(),
        incidents: replica.response.incidents(),
        units: replica.response.units(),
      }),
    getSnapshotPage: (args: { kind: 'alerts' | 'assets'; after: number; limit: number }) => snapshotPage(replica, args),
    getAlert: (args: { alertId: string }) => {
      const detail = replica.alertDetail(args.alertId);
      if (!detail)
        throw new WatchfloorError(
          'NOT_FOUND',
          `Alert ${args.alertId} is not on this console; it may not have arrived yet.`,
        );
      return detail;
    },
    acknowledgeAlert: (args: { alertId: string; disposition?: never; note?: string }) => {
      const { mutationId, created } = replica.acknowledgeAlert(args);
      if (created) {
        onChange({ alerts: [args.alertId], assets: [], status: true });
        engine.notifyOutbox();
      }
      return { mutationId };
    },
    reinstateAlert: (args: { alertId: string; note?: string }) => {
      const { mutationId, created } = replica.reinstateAlert(args);
      if (created) {
        onChange({ alerts: [args.alertId], assets: [], status: true });
        engine.notifyOutbox();
      }
      return { mutationId };
    },
    // incidents, units, activity log, checklists (issue 4)
    getIncidents: () => replica.response.incidents(),
    getIncident: (args: { incidentId: string }) => {
      const detail = replica.response.incidentDetail(args.incidentId);
      if (!detail)
        throw new WatchfloorError(
          'NOT_FOUND',
          `Incident ${args.incidentId} is not on this console; refresh the board.`,
        );
      return detail;
    },
    getUnits: () => replica.response.units(),
    getActivityLog: (
      args: { incidentId?: string | null; beforeSeq?: number; limit?: number; audit?: true } | undefined,
    ) => replica.response.log(args ?? {}),
    getNeedsAttention: () => replica.response.needsAttention(),
    openIncident: (args: Parameters<Replica['response']['openIncident']>[0]) =>
      acted(replica.response.openIncident(args, (id) => replica.alertSummaries([id]).length > 0)),
    setIncidentStatus: (args: Parameters<Replica['response']['setIncidentStatus']>[0]) =>
      acted(replica.response.setIncidentStatus(args)),
    updateIncident: (args: Parameters<Replica['response']['updateIncident']>[0]) =>
      acted(replica.response.updateIncident(args)),
    dispatchUnits: (args: Parameters<Replica['response']['dispatchUnits']>[0]) =>
      acted(replica.response.dispatchUnits(args)),
    releaseUnit: (args: Parameters<Replica['response']['releaseUnit']>[0]) => acted(replica.response.releaseUnit(args)),
    setUnitStatus: (args: Parameters<Replica['response']['setUnitStatus']>[0]) =>
      acted(replica.response.setUnitStatus(args)),
    appendLog: (args: Parameters<Replica['response']['appendLog']>[0]) => acted(replica.response.appendLog(args)),
    setChecklistStep: (args: Parameters<Replica['response']['setChecklistStep']>[0]) =>
      acted(replica.response.setChecklistStep(args)),
    // telemetry rules (issue 9, decision 0034): supervisors edit them, every console applies them
    getTelemetryRules: () => rules.rules(),
    setTelemetryRule: (args: { ruleSet: unknown; reason: string }) => {
      const result = replica.telemetryRules.set(args, engine.status().officer?.role ?? null);
      const target = telemetryRulesTarget(args.ruleSet as { assetKind: string; namePrefix?: string });
      onChange({ alerts: [], assets: [], status: true, targets: [target] });
      engine.notifyOutbox();
      return result;
    },
    getTelemetrySeries: (args: Parameters<TelemetryQueries['series']>[0]) => telemetryQueries.series(args),
    getSparklines: (args: Parameters<TelemetryQueries['sparklines']>[0]) => telemetryQueries.sparklines(args),
    getStatus: () => engine.status(),
    getCounts: () => replica.counts(),
    getOutbox: () => replica.outbox(),
    getWaitingAuthors: () => replica.waitingAuthors(),
    getSyncCounters: () => ({ ...engine.counters }),
    getTelemetryCounters: () => ({ ...telemetry.counters }),
    getEdgeCounters: () => ({
      edge: edgeWarnings ? { ...edgeWarnings.edge.counters, sensors: edgeWarnings.edge.sensorCount } : null,
      local: localSource ? { ...localSource.counters } : null,
    }),
    getLog: (args: { after: number; limit: number }) => replica.log(args.after, args.limit),
  };

  const call = (op: WorkerOp, rawArgs: unknown): Result<unknown> => {
    const args = workerOps[op].safeParse(rawArgs);
    if (!args.success)
      return fail('BAD_REQUEST', `Bad arguments for ${op}: ${args.error.issues[0]?.message ?? 'invalid'}.`);
    try {
      return ok((handlers[op] as (a: unknown) => unknown)(args.data));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  };

  port.on('message', (raw: unknown) => {
    if (urgentCalls && (raw as { kind?: unknown } | null)?.kind === 'call') Atomics.sub(urgentCalls, 0, 1);
    const msg = HostToWorker.safeParse(raw);
    if (!msg.success) return; // not from our host; nothing to answer
    if (msg.data.kind === 'close') {
      void engine.close().then(() => {
        if (timer) clearTimeout(timer);
        flushChanges.cancel(); // a flush deferred behind a call must not read the closed replica
        telemetry.stop();
        edgeWarnings?.stop();
        localSource?.stop();
        replica.close();
        post({ kind: 'closed' });
        port.close();
      });
      return;
    }
    post({ kind: 'result', id: msg.data.id, result: call(msg.data.op, msg.data.args) });
  });

  post({ kind: 'ready', consoleId: replica.consoleId });
  engine.start();
  telemetry.startRetention();
}

try {
  main();
} catch (err) {
  post({ kind: 'fatal', error: toAppError(err) });
  port.close();
}
