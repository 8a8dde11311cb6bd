import type { DesktopName, InvokeName, PushName } from './api';

/**
 * The bridge's channel names without the schemas (issue 8, decision 0041). The preload and
 * the e2e harness's bridge build `window.watchfloor` from names alone; importing shared/api.ts
 * for them brought zod and every schema into the script each window runs before the page's
 * own: ~0.8 s of the page's main thread on the loaded 2-core bench machine, before the
 * renderer's bundle could start. The type checks below keep the lists complete, and
 * tests/shared/channel-names.test.ts that they match shared/api.ts.
 */
export const invokeNames = [
  'getSnapshot',
  'getSnapshotPage',
  'getAlert',
  'acknowledgeAlert',
  'reinstateAlert',
  'getIncidents',
  'getIncident',
  'getUnits',
  'getActivityLog',
  'getNeedsAttention',
  'openIncident',
  'setIncidentStatus',
  'updateIncident',
  'dispatchUnits',
  'releaseUnit',
  'setUnitStatus',
  'appendLog',
  'setChecklistStep',
  'getTelemetrySeries',
  'getSparklines',
  'getTelemetryRules',
  'setTelemetryRule',
  'getBasemaps',
  'importBasemap',
  'setActiveBasemap',
  'getBasemapTile',
  'chooseBasemapFile',
  'getSession',
  'signIn',
  'signOut',
  'startExport',
  'cancelExport',
] as const satisfies readonly InvokeName[];

export const desktopNames = ['openPopout', 'notify', 'setDesktopStatus'] as const satisfies readonly DesktopName[];

export const pushNames = [
  'changes',
  'desktop',
  'exportProgress',
  'telemetryStatus',
] as const satisfies readonly PushName[];

/** `watchfloor:<name>`, as shared/api.ts names every channel. */
export const channelName = (name: string): string => `watchfloor:${name}`;

// Every name of shared/api.ts is listed (a channel added there and not here fails the typecheck).
type Unlisted = [
  Exclude<InvokeName, (typeof invokeNames)[number]>,
  Exclude<DesktopName, (typeof desktopNames)[number]>,
  Exclude<PushName, (typeof pushNames)[number]>,
];
export const everyChannelListed: Unlisted extends [never, never, never] ? true : false = true;
