import { z } from 'zod';
import { AlertDetail, AlertSummary, Disposition } from './domain/alert';
import { Asset } from './domain/asset';
import { CapSeverity } from './domain/cap';
import { Role, SessionState, SignInArgs, SignOutArgs } from './domain/officer';
import type { Result } from './errors';
import { CancelExportArgs, ExportProgress, IntegrityAlarm, StartedExport, StartExportArgs } from './export';
import { ActivityLogEntryView } from './domain/activityLog';
import { ChecklistStepView } from './domain/checklist';
import { IncidentView } from './domain/incident';
import { UnitView } from './domain/unit';
import { Sparklines, SparklinesArgs, TelemetrySeries, TelemetrySeriesArgs } from './telemetry/api';
import { SetTelemetryRuleArgs, TelemetryRules, TelemetryStatusPush } from './telemetry/api';
import {
  ActionResult,
  ActivityLogQuery,
  AppendLogArgs,
  DispatchUnitsArgs,
  IncidentDetail,
  NeedsAttentionItem,
  OpenIncidentArgs,
  ReleaseUnitArgs,
  SetChecklistStepArgs,
  SetIncidentStatusArgs,
  SetUnitStatusArgs,
  UpdateIncidentArgs,
} from './responseApi';
import {
  BasemapList,
  BasemapTile,
  BasemapTileArgs,
  ChosenFile,
  ImportBasemapArgs,
  ImportedBasemap,
  SetActiveBasemapArgs,
} from './basemap';

/**
 * The ConsoleApi: the only thing the renderer can reach (`window.watchfloor`).
 * One invoke channel per operation, arguments and result declared once here;
 * main registers a handler per channel, the preload (or the e2e harness)
 * exposes a method per channel. Errors come back as values.
 */

/** 'rebuilding': further behind than the hub keeps, fetching its snapshot (issue 5) */
export const ConnectionState = z.enum(['connecting', 'catching-up', 'rebuilding', 'online', 'offline', 'refused']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ConnectionStatus = z.object({
  state: ConnectionState,
  /** when the console entered this state, ISO 8601 */
  since: z.string(),
  hubUrl: z.string(),
  cursor: z.number().int().nonnegative(),
  /** the newest seq the hub has told us of */
  head: z.number().int().nonnegative(),
  /** mutations written here and not yet confirmed or refused by the hub */
  pendingActions: z.number().int().nonnegative(),
  officer: z.object({ name: z.string(), role: Role }).nullable(),
  /** why the console is offline or refused, in words for the officer */
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** the hub's hash chain broke in what this console received (issue 6): persistent until rebuilt */
  integrity: IntegrityAlarm.nullable().optional(),
  /** while rebuilding: the seq the hub's snapshot stands at, and how many of its entries have arrived */
  rebuild: z.object({ asOf: z.number().int().nonnegative(), received: z.number().int().nonnegative() }).optional(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const Snapshot = z.object({
  assets: z.array(Asset),
  alerts: z.array(AlertSummary),
  status: ConnectionStatus,
  /** every incident (closed ones last) and every unit, with this console's open actions on top */
  incidents: z.array(IncidentView).optional(),
  units: z.array(UnitView).optional(),
  /**
   * At city scale the first snapshot is a window (decision 0038): the queue's first rows, and no
   * assets above a few thousand. `rest` says how many rows are left to read with getSnapshotPage
   * after the first frame; absent when the snapshot holds everything.
   */
  rest: z.object({ alerts: z.number().int().nonnegative(), assets: z.number().int().nonnegative() }).optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** One page of what a windowed first snapshot left out: rows after `after` (a row number), in row order. */
export const SnapshotPageArgs = z.object({
  kind: z.enum(['alerts', 'assets']),
  after: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(10_000),
});
export const SnapshotPage = z.object({
  alerts: z.array(AlertSummary),
  assets: z.array(Asset),
  /** `after` for the next page; null: this kind is complete */
  next: z.number().int().nonnegative().nullable(),
});
export type SnapshotPage = z.infer<typeof SnapshotPage>;

/** What changed since the last push; the renderer merges it into its store. */
export const ChangeSet = z.object({
  alerts: z.array(AlertSummary).default([]),
  assets: z.array(Asset).default([]),
  status: ConnectionStatus.optional(),
  /** changed rows, whole; an incident or log entry made here and refused by the hub is in `removed` */
  incidents: z.array(IncidentView).optional(),
  units: z.array(UnitView).optional(),
  logEntries: z.array(ActivityLogEntryView).optional(),
  checklistSteps: z.array(ChecklistStepView).optional(),
  removed: z.object({ incidents: z.array(z.string()), logEntries: z.array(z.string()) }).optional(),
  /** the refused actions (newest first) whenever that list changed */
  needsAttention: z.array(NeedsAttentionItem).optional(),
  /** the telemetry rules in force, whole, whenever they changed (decision 0034) */
  telemetryRules: TelemetryRules.optional(),
  /**
   * A catch-up far behind changed rows this console did not push one by one (decision 0040):
   * read the snapshot again. The other fields still apply.
   */
  resync: z.literal(true).optional(),
});
export type ChangeSet = z.infer<typeof ChangeSet>;

export const AcknowledgeAlertArgs = z.object({
  alertId: z.string().min(1).max(1_100),
  disposition: Disposition.optional(),
  note: z.string().max(2_000).optional(),
});

export const ReinstateAlertArgs = z.object({
  alertId: z.string().min(1).max(1_100),
  note: z.string().max(2_000).optional(),
});

const channel = <A extends z.ZodType, R extends z.ZodType>(name: string, args: A, result: R) => ({
  name: `watchfloor:${name}`,
  args,
  result,
});

/** Request/response operations. Args are a single object (or nothing). */
export const invokeChannels = {
  getSnapshot: channel('getSnapshot', z.undefined(), Snapshot),
  getSnapshotPage: channel('getSnapshotPage', SnapshotPageArgs, SnapshotPage),
  getAlert: channel('getAlert', z.object({ alertId: z.string().min(1).max(1_100) }), AlertDetail),
  acknowledgeAlert: channel('acknowledgeAlert', AcknowledgeAlertArgs, z.object({ mutationId: z.string() })),
  reinstateAlert: channel('reinstateAlert', ReinstateAlertArgs, z.object({ mutationId: z.string() })),
  // incidents, units, activity log, checklists (issue 4; args in ./responseApi)
  getIncidents: channel('getIncidents', z.undefined(), z.array(IncidentView)),
  getIncident: channel('getIncident', z.object({ incidentId: z.string().min(1).max(100) }), IncidentDetail),
  getUnits: channel('getUnits', z.undefined(), z.array(UnitView)),
  getActivityLog: channel('getActivityLog', ActivityLogQuery, z.array(ActivityLogEntryView)),
  getNeedsAttention: channel('getNeedsAttention', z.undefined(), z.array(NeedsAttentionItem)),
  openIncident: channel('openIncident', OpenIncidentArgs, ActionResult.extend({ incidentId: z.string() })),
  setIncidentStatus: channel('setIncidentStatus', SetIncidentStatusArgs, ActionResult),
  updateIncident: channel('updateIncident', UpdateIncidentArgs, ActionResult),
  dispatchUnits: channel('dispatchUnits', DispatchUnitsArgs, ActionResult),
  releaseUnit: channel('releaseUnit', ReleaseUnitArgs, ActionResult),
  setUnitStatus: channel('setUnitStatus', SetUnitStatusArgs, ActionResult),
  appendLog: channel('appendLog', AppendLogArgs, ActionResult.extend({ entryId: z.string() })),
  setChecklistStep: channel('setChecklistStep', SetChecklistStepArgs, ActionResult),
  // sensor telemetry kept in the replica (issue 9, ./telemetry/api, decision 0031)
  getTelemetrySeries: channel('getTelemetrySeries', TelemetrySeriesArgs, TelemetrySeries),
  getSparklines: channel('getSparklines', SparklinesArgs, Sparklines),
  // telemetry rules (issue 9, decision 0034): bundled files overridden by supervisors' edits on the log
  getTelemetryRules: channel('getTelemetryRules', z.undefined(), TelemetryRules),
  setTelemetryRule: channel('setTelemetryRule', SetTelemetryRuleArgs, ActionResult),
  // offline basemaps (issue 5, ./basemap): answered by the console host, not the replica worker
  getBasemaps: channel('getBasemaps', z.undefined(), BasemapList),
  importBasemap: channel('importBasemap', ImportBasemapArgs, ImportedBasemap),
  setActiveBasemap: channel('setActiveBasemap', SetActiveBasemapArgs, BasemapList),
  getBasemapTile: channel('getBasemapTile', BasemapTileArgs, BasemapTile),
  /** the shell's open-file dialog (Electron); a console without one answers NOT_FOUND */
  chooseBasemapFile: channel('chooseBasemapFile', z.undefined(), ChosenFile),
  // signing in and out, handover (issue 6, decision 0020): answered by main/console/sessionHost
  getSession: channel('getSession', z.undefined(), SessionState),
  signIn: channel('signIn', SignInArgs, SessionState),
  signOut: channel('signOut', SignOutArgs, SessionState),
  // exports (issue 6, ./export): downloaded by the console host (main/console/export.ts), supervisors only
  startExport: channel('startExport', StartExportArgs, StartedExport),
  cancelExport: channel('cancelExport', CancelExportArgs, z.object({ cancelled: z.boolean() })),
} as const;
export type InvokeName = keyof typeof invokeChannels;
export type InvokeArgs<N extends InvokeName> = z.input<(typeof invokeChannels)[N]['args']>;
export type InvokeResult<N extends InvokeName> = z.infer<(typeof invokeChannels)[N]['result']>;

// ---- the desktop shell (issue 7; decision 0027) ------------------------------------------

/** The panels that can open in a window of their own (`#/popout/<panel>`). */
export const PopoutPanel = z.enum(['map', 'queue', 'incidents', 'units']);
export type PopoutPanel = z.infer<typeof PopoutPanel>;

/** A native notification the renderer asks for; the text is already in the officer's language. */
export const NotifyArgs = z.object({
  /** the alert a click selects (the worst of a group); null: a click only shows the window */
  alertId: z.string().min(1).max(1_100).nullable(),
  title: z.string().min(1).max(200),
  body: z.string().max(500),
  severity: CapSeverity,
});
export type NotifyArgs = z.infer<typeof NotifyArgs>;

/** What the tray shows: the main window's connection state and unacknowledged count, and its words. */
export const DesktopStatus = z.object({
  state: ConnectionState.nullable(),
  unacknowledged: z.number().int().nonnegative().max(10_000_000),
  muted: z.boolean(),
  labels: z.object({
    tooltip: z.string().max(300),
    show: z.string().max(100),
    mute: z.string().max(100),
    quit: z.string().max(100),
  }),
});
export type DesktopStatus = z.infer<typeof DesktopStatus>;

/** Operations the desktop shell answers itself (windows, notifications, tray); never the console host. */
export const desktopChannels = {
  openPopout: channel('openPopout', z.object({ panel: PopoutPanel }), z.object({ opened: z.boolean() })),
  notify: channel('notify', NotifyArgs, z.object({ shown: z.boolean() })),
  setDesktopStatus: channel('setDesktopStatus', DesktopStatus, z.object({})),
} as const;
export type DesktopName = keyof typeof desktopChannels;

/** From the shell to the page: a notification was clicked, or the tray's mute item. */
export const DesktopEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('focusAlert'), alertId: z.string().min(1).max(1_100) }),
  z.object({ kind: z.literal('setMuted'), muted: z.boolean() }),
]);
export type DesktopEvent = z.infer<typeof DesktopEvent>;

/** Pushes from main to the renderer. */
export const pushChannels = {
  changes: { name: 'watchfloor:changes', payload: ChangeSet },
  desktop: { name: 'watchfloor:desktop', payload: DesktopEvent },
  exportProgress: { name: 'watchfloor:exportProgress', payload: ExportProgress },
  /** the edge rule engine's sensor and asset states, at most once a second, only what changed (issue 9) */
  telemetryStatus: { name: 'watchfloor:telemetryStatus', payload: TelemetryStatusPush },
} as const;
export type PushName = keyof typeof pushChannels;
export type PushPayload<N extends PushName> = z.infer<(typeof pushChannels)[N]['payload']>;

type InvokeMethods = {
  [N in InvokeName]: InvokeArgs<N> extends undefined
    ? () => Promise<Result<InvokeResult<N>>>
    : (args: InvokeArgs<N>) => Promise<Result<InvokeResult<N>>>;
};
type DesktopMethods = {
  [N in DesktopName]: (
    args: z.input<(typeof desktopChannels)[N]['args']>,
  ) => Promise<Result<z.infer<(typeof desktopChannels)[N]['result']>>>;
};
type PushSubscriptions = {
  [N in PushName as `on${Capitalize<N>}`]: (listener: (payload: PushPayload<N>) => void) => () => void;
};

export type ConsoleApi = Readonly<InvokeMethods & DesktopMethods & PushSubscriptions>;
